"""wizard drafts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:20:00.000000

The wizard's state between steps (current hold, step-1 answers, the typed details) moves from the
signed session cookie to this table, keyed by an unguessable id that is all the cookie carries.
"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wizard_drafts',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('reservation_id', sa.String(length=36), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('expires_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wizard_drafts'))
    )
    with op.batch_alter_table('wizard_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wizard_drafts_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('wizard_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wizard_drafts_expires_at'))
    op.drop_table('wizard_drafts')
