"""the audit trail

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 20:30:00.000000

`audit_records`: one row per configuration change or booking action, written in the transaction
that made it (app/audit/). Append-only for the application: the database refuses UPDATE and DELETE
on it, by triggers on SQLite (RAISE(ABORT)) and a trigger function on PostgreSQL (docs/audit.md).
"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

REFUSAL = 'audit_records_append_only'
SQLITE_GUARD = """
CREATE TRIGGER trg_audit_records_no_{op} BEFORE {event} ON audit_records
BEGIN
    SELECT RAISE(ABORT, '{refusal}');
END
"""
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER trg_audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
FOR EACH ROW EXECUTE FUNCTION audit_records_append_only()
"""


def upgrade():
    op.create_table(
        'audit_records',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('at', app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor_kind', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.String(length=100), nullable=True),
        sa.Column('actor_label', sa.String(length=200), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('entity', sa.String(length=50), nullable=False),
        sa.Column('entity_id', sa.String(length=100), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('request_id', sa.String(length=100), nullable=True),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_records')),
    )
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_records_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_records_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index('ix_audit_records_actor', ['actor_kind', 'actor_id'], unique=False)
    _create_guard(op.get_bind().dialect.name)


def _create_guard(dialect):
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    elif dialect == "sqlite":
        op.execute(SQLITE_GUARD.format(op="update", event="UPDATE", refusal=REFUSAL))
        op.execute(SQLITE_GUARD.format(op="delete", event="DELETE", refusal=REFUSAL))


def _drop_guard(dialect):
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_audit_records_append_only ON audit_records")
        op.execute("DROP FUNCTION IF EXISTS audit_records_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_audit_records_no_update")
        op.execute("DROP TRIGGER IF EXISTS trg_audit_records_no_delete")


def downgrade():
    _drop_guard(op.get_bind().dialect.name)
    op.drop_table('audit_records')
