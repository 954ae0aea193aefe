"""staff accounts: must change the password

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 21:25:00.000000

`users.must_change_password`: set when an admin invites an account with a temporary password;
the account is sent to the change-password page at sign-in until it has set its own.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
