"""configuration version

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 01:45:00.000000

The one-row table whose `version` changes with every configuration write, so that each process
can cache the configuration the slot service reads (app/booking/config_cache.py).
"""
import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    version = op.create_table('configuration_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_configuration_version_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_configuration_version'))
    )
    op.bulk_insert(version, [{'id': 1, 'version': uuid.uuid4().hex}])


def downgrade():
    op.drop_table('configuration_version')
