"""names in the customer's language; where an OffSite meeting happens

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-01 20:30:00.000000

`localized_names` on topics, locations and customer types: a map of BCP 47 locale tag to text
(`{"da-DK": "Boliglån", "en-GB": "Home loan"}`), the shape of the vendor API's `localizedName`;
`name` stays the fallback. `customer_types.order` puts them in the order a bank would ask.
`meetings.customer_address` and `customer_address_note`: where an "at your place" meeting is held.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None

NAMED = ('topics', 'locations', 'customer_types')


def upgrade():
    for table in NAMED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('localized_names', sa.JSON(), nullable=True))
    with op.batch_alter_table('customer_types', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('order', sa.Integer(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('customer_address', sa.String(length=400), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column(
                'customer_address_note', sa.String(length=400), nullable=False, server_default=''
            )
        )


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('customer_address_note')
        batch_op.drop_column('customer_address')
    with op.batch_alter_table('customer_types', schema=None) as batch_op:
        batch_op.drop_column('order')
    for table in NAMED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('localized_names')
