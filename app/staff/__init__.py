"""The advisor workspace: staff sign-in and the pages behind it (app/staff/auth.py guards them)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__)


def init_staff(app: Flask) -> None:
    """Register the staff pages, Flask-Login and the session timeouts (settings: app/config.py)."""
    from app.staff import (  # noqa: F401
        auth,
        book,
        branch_day,
        meeting_detail,
        move,
        my_meetings,
        password_change,
        routes,
        security,
        sso,
        sso_routes,
        why_not,
    )

    auth.init_auth(app)
    sso.init_sso(app)
    app.register_blueprint(bp)
