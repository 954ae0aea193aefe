"""advisor priority rules

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 23:55:00.000000

`organisation_settings.priority_levels`: the ordered advisor priority levels that choose a best
slot's advisor (`app/booking/priority.py`); NULL keeps the default Explicit > Local >
ServiceGroup. Service groups already carry the `label` a level may name.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_levels', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('priority_levels')
