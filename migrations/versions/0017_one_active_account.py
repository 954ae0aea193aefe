"""staff accounts: one active account per advisor, kept by the database

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 23:40:00.000000

A partial unique index on `users.employee_id` where `disabled_at IS NULL`: an advisor is acted
as by one active account at most (disabled accounts and accounts of no advisor do not count).
The services check the rule first and answer with a form error; the index closes the race between
two admins and stands behind every other way in. A database that already breaks the rule is
refused with the advisors named, so that an operator disables the extra accounts
(`flask bookme disable-user`) rather than the migration choosing which ones.

SQLite: a later batch migration of `users` must re-create this index with its WHERE clause.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

ACTIVE = sa.text("disabled_at IS NULL")


def upgrade():
    doubled = op.get_bind().execute(
        sa.text(
            "SELECT employee_id FROM users WHERE employee_id IS NOT NULL AND disabled_at IS NULL "
            "GROUP BY employee_id HAVING COUNT(*) > 1"
        )
    ).scalars().all()
    if doubled:
        raise RuntimeError(
            "these advisors have more than one active staff account; disable the extra ones "
            f"first: {', '.join(sorted(doubled))}"
        )
    op.create_index(
        "uq_users_active_employee",
        "users",
        ["employee_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade():
    op.drop_index("uq_users_active_employee", table_name="users")
