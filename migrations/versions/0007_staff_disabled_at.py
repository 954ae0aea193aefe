"""staff accounts can be disabled

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:30:00.000000

`users.disabled_at`: set by `bookme disable-user`, cleared by `enable-user`. A disabled account
cannot sign in, and a session it already has ends at its next request (app/staff/auth.py).
"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('disabled_at', app.db_types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('disabled_at')
