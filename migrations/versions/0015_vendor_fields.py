"""the vendor's topic id and V2 meeting fields

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:40:00.000000

`topics.unique_topic_id`: the vendor's required, unique topic key (filled for existing topics
from their id). `meetings`: the vendor's V2 fields `salesforce_id`, `portal_id`, `custom_fields`,
`external_attendees` (names and e-mails: personal data), and `cpr_encrypted`, a customer's CPR
number encrypted with app/crypto.py (personal data: never logged, never audited).
(The calendar file's description template, `organisation_settings.meeting_description_template`,
came with 0012.)
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unique_topic_id', sa.String(length=100), nullable=True))
    op.execute("UPDATE topics SET unique_topic_id = id WHERE unique_topic_id IS NULL")
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.alter_column('unique_topic_id', existing_type=sa.String(length=100), nullable=False)
        batch_op.create_unique_constraint('uq_topics_unique_topic_id', ['unique_topic_id'])
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('salesforce_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('portal_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('custom_fields', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('external_attendees', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('cpr_encrypted', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        for column in (
            'cpr_encrypted', 'external_attendees', 'custom_fields', 'portal_id', 'salesforce_id'
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_constraint('uq_topics_unique_topic_id', type_='unique')
        batch_op.drop_column('unique_topic_id')
