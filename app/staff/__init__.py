"""The advisor workspace: staff sign-in and the pages behind it (app/staff/auth.py guards them)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__)


def init_staff(app: Flask) -> None:
    """Register the staff pages, Flask-Login and the session timeouts."""
    from app.staff import auth, routes  # noqa: F401

    config = app.config
    config.setdefault("BOOKME_STAFF_IDLE_MINUTES", 30)
    config.setdefault("BOOKME_STAFF_MAX_HOURS", 12)
    config.setdefault("BOOKME_LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes")
    config.setdefault("BOOKME_LOGIN_ADDRESS_LIMIT", "20 per 15 minutes")
    auth.init_auth(app)
    app.register_blueprint(bp)
