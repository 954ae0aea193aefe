"""the organisation's calendar-file description

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:30:00.000000

`organisation_settings.meeting_description_template`: the description of a meeting's calendar
file (placeholders as in `meeting_title_template`); empty keeps the built-in line.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('meeting_description_template', sa.String(length=1000), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('meeting_description_template')
