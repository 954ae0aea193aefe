"""reservation owner

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 17:10:00.000000

A reservation belongs to whoever made it: `owner` is "client:<client id>" for API clients and
"wizard:<browser token>" for the customer wizard, and hold tokens are namespaced by it, so the
partial unique index on live holds moves from (token) to (owner, token). Existing rows are given
the owner they were made by: their `client_id`, else the wizard browser their token names.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LIVE = sa.text("status = 'Reserved'")
# Only live holds whose token two owners share would break the older index on the way down.
SHARED_LIVE_TOKENS = (
    "UPDATE reservations SET status = 'Released' WHERE status = 'Reserved' AND token IN "
    "(SELECT token FROM reservations WHERE status = 'Reserved' GROUP BY token HAVING COUNT(*) > 1)"
)


def upgrade():
    # No batch (table copy) on SQLite: dropping the old table would cascade-delete the live holds'
    # claims. SQLite keeps the '' server default, which every insert overrides.
    op.add_column(
        "reservations", sa.Column("owner", sa.String(length=100), nullable=False, server_default="")
    )
    op.execute(
        "UPDATE reservations SET owner = CASE WHEN client_id IS NOT NULL "
        "THEN 'client:' || client_id ELSE 'wizard:' || token END"
    )
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("reservations", "owner", server_default=None)
    op.drop_index("uq_reservations_live_token", table_name="reservations")
    op.create_index(
        "uq_reservations_live_owner_token",
        "reservations",
        ["owner", "token"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade():
    op.execute(SHARED_LIVE_TOKENS)
    op.drop_index("uq_reservations_live_owner_token", table_name="reservations")
    op.create_index(
        "uq_reservations_live_token",
        "reservations",
        ["token"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.drop_column("reservations", "owner")
