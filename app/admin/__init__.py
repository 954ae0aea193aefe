"""The configuration pages for admins, under /staff/admin (docs/admin.md).

Every page is an admin page (`staff_required("admin")`, walked by tests/web/test_staff_route_guard.py)
and writes only through the configuration services that the import and the admin API use.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


def init_admin(app: Flask) -> None:
    """Register the admin pages."""
    from app.admin import (  # noqa: F401
        advisors,
        api_clients,
        audit,
        closing_days,
        entities,
        notifications,
        routes,
        schedule,
        settings,
        staff_accounts,
    )

    app.register_blueprint(bp)
