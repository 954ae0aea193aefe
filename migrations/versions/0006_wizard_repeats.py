"""wizard repeats

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:20:00.000000

A wizard request sent twice (a double click without JavaScript, a retry after a database blip)
finds the draft and token the first one moved the browser to, for two minutes, keyed by a hash of
the request (app/wizard/repeats.py). Drafts are looked up by their hold, too: a hold that no
draft names is one whose draft was never saved (app/wizard/state.py `hold_token`).
"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wizard_repeats',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('draft_id', sa.String(length=64), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=True),
    sa.Column('expires_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wizard_repeats'))
    )
    with op.batch_alter_table('wizard_repeats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wizard_repeats_expires_at'), ['expires_at'], unique=False)
    with op.batch_alter_table('wizard_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wizard_drafts_reservation_id'), ['reservation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('wizard_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wizard_drafts_reservation_id'))
    with op.batch_alter_table('wizard_repeats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wizard_repeats_expires_at'))
    op.drop_table('wizard_repeats')
