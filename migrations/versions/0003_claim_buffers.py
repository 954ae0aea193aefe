"""claims keep their buffers

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 17:10:00.000000

Every claim gets `blocked_from`/`blocked_until`: the commitment widened by the buffers in force
when it was written. The overlap guard (PostgreSQL's exclusion constraint, SQLite's triggers) now
compares those blocked spans, so two commitments of one advisor or room can never be closer than
the buffers, whichever was booked first.

Existing rows are widened by the organisation's current buffers as far as the neighbouring claims
of the same resource allow: commitments that were booked closer than the buffers (the engine used
to allow that one way round) keep what room there is between them. Claims of expired holds are
purged first (they block nothing, and must not narrow a live meeting's buffers); nothing live is
moved or deleted.

Reservations record the buffers they were granted under, which their meeting keeps.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SQLITE_GUARD = """
CREATE TRIGGER trg_booking_claims_no_overlap_{op} BEFORE {event} ON booking_claims
WHEN EXISTS (
    SELECT 1 FROM booking_claims AS c
    WHERE c.resource = NEW.resource AND c.id IS NOT NEW.id
      AND c.{lo} < NEW.{hi} AND NEW.{lo} < c.{hi}
)
BEGIN
    SELECT RAISE(ABORT, 'booking_claims_overlap');
END
"""

claims = sa.table(
    'booking_claims',
    sa.column('id', sa.Integer()),
    sa.column('resource', sa.String()),
    sa.column('start_at', app.db_types.UTCDateTime()),
    sa.column('end_at', app.db_types.UTCDateTime()),
    sa.column('blocked_from', app.db_types.UTCDateTime()),
    sa.column('blocked_until', app.db_types.UTCDateTime()),
    sa.column('expires_at', app.db_types.UTCDateTime()),
)


def upgrade():
    dialect = op.get_bind().dialect.name
    _drop_guard(dialect)
    # No batch (table copy) for reservations: on SQLite dropping the old table would cascade-delete
    # the claims of live holds. Adding and dropping a nullable column needs no copy (SQLite 3.35+).
    op.add_column('reservations', sa.Column('buffer_before_minutes', sa.Integer(), nullable=True))
    op.add_column('reservations', sa.Column('buffer_after_minutes', sa.Integer(), nullable=True))
    _purge_expired_holds()
    with op.batch_alter_table('booking_claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_from', app.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('blocked_until', app.db_types.UTCDateTime(timezone=True), nullable=True))
    _widen_existing()
    with op.batch_alter_table('booking_claims', schema=None) as batch_op:
        batch_op.alter_column('blocked_from', nullable=False)
        batch_op.alter_column('blocked_until', nullable=False)
        batch_op.create_check_constraint(
            'blocked_covers', 'blocked_from <= start_at AND blocked_until >= end_at'
        )
        batch_op.drop_index('ix_booking_claims_resource_start')
        batch_op.create_index('ix_booking_claims_resource_blocked', ['resource', 'blocked_from'], unique=False)
    _create_guard(dialect, 'blocked_from', 'blocked_until')


def _buffers():
    row = op.get_bind().execute(sa.text(
        "SELECT buffer_before_minutes, buffer_after_minutes FROM organisation_settings WHERE id = 1"
    )).first()
    before, after = (row[0] or 0, row[1] or 0) if row else (0, 0)
    return timedelta(minutes=before), timedelta(minutes=after)


def _purge_expired_holds():
    """Expired holds' claims go, as `bookme purge-expired` would delete them."""
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    holds = sa.table('reservations', sa.column('status', sa.String()),
                     sa.column('expires_at', app.db_types.UTCDateTime()))
    bind.execute(claims.delete().where(
        claims.c.expires_at.is_not(None), claims.c.expires_at <= now
    ))
    bind.execute(holds.update().where(
        holds.c.status == 'Reserved', holds.c.expires_at <= now
    ).values(status='Expired'))


def _widen_existing():
    """Each claim widened by the buffers, but never into its neighbour on the same resource."""
    bind = op.get_bind()
    before, after = _buffers()
    rows = bind.execute(
        sa.select(claims.c.id, claims.c.resource, claims.c.start_at, claims.c.end_at)
        .order_by(claims.c.resource, claims.c.start_at)
    ).all()
    updates = []
    for i, (ident, resource, start, end) in enumerate(rows):
        prev_until = updates[-1]['b_until'] if i and rows[i - 1][1] == resource else None
        nxt = rows[i + 1] if i + 1 < len(rows) and rows[i + 1][1] == resource else None
        lo = start - before if prev_until is None else max(start - before, prev_until)
        hi = end + after if nxt is None else min(end + after, nxt[2])
        updates.append({'b_id': ident, 'b_from': lo, 'b_until': hi, 'b_start': start, 'b_end': end})
    if updates:  # the instants are written back too, so SQLite holds all four in one text format
        bind.execute(
            claims.update()
            .where(claims.c.id == sa.bindparam('b_id'))
            .values(
                start_at=sa.bindparam('b_start'),
                end_at=sa.bindparam('b_end'),
                blocked_from=sa.bindparam('b_from'),
                blocked_until=sa.bindparam('b_until'),
            ),
            updates,
        )


def _drop_guard(dialect):
    if dialect == "postgresql":
        op.execute("ALTER TABLE booking_claims DROP CONSTRAINT IF EXISTS ex_booking_claims_no_overlap")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_booking_claims_no_overlap_insert")
        op.execute("DROP TRIGGER IF EXISTS trg_booking_claims_no_overlap_update")


def _create_guard(dialect, lo, hi):
    if dialect == "postgresql":
        op.execute(
            "ALTER TABLE booking_claims ADD CONSTRAINT ex_booking_claims_no_overlap "
            f"EXCLUDE USING gist (resource WITH =, tstzrange({lo}, {hi}, '[)') WITH &&)"
        )
    elif dialect == "sqlite":
        op.execute(SQLITE_GUARD.format(op="insert", event="INSERT", lo=lo, hi=hi))
        op.execute(SQLITE_GUARD.format(
            op="update", event=f"UPDATE OF resource, {lo}, {hi}", lo=lo, hi=hi
        ))


def downgrade():
    dialect = op.get_bind().dialect.name
    _drop_guard(dialect)
    with op.batch_alter_table('booking_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_claims_resource_blocked')
        batch_op.create_index('ix_booking_claims_resource_start', ['resource', 'start_at'], unique=False)
        batch_op.drop_constraint('blocked_covers', type_='check')
        batch_op.drop_column('blocked_until')
        batch_op.drop_column('blocked_from')
    op.drop_column('reservations', 'buffer_after_minutes')
    op.drop_column('reservations', 'buffer_before_minutes')
    _create_guard(dialect, 'start_at', 'end_at')
