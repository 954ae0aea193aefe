"""a second factor for staff accounts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:00:00.000000

`users.mfa_secret` (TOTP secret, encrypted with a key derived from SECRET_KEY), `mfa_enabled_at`,
`mfa_recovery_codes` (SHA-256 hashes), `mfa_last_step` (no replay), and
`organisation_settings.staff_mfa_required` (every staff account must enrol; admins always must).
"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mfa_secret', sa.String(length=256), nullable=True))
        batch_op.add_column(
            sa.Column('mfa_enabled_at', app.db_types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('mfa_recovery_codes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('mfa_last_step', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'staff_mfa_required', sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('staff_mfa_required')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('mfa_last_step')
        batch_op.drop_column('mfa_recovery_codes')
        batch_op.drop_column('mfa_enabled_at')
        batch_op.drop_column('mfa_secret')
