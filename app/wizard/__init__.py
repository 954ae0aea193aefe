"""The customer booking wizard (server-rendered pages with htmx)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("wizard", __name__)


def init_wizard(app: Flask) -> None:
    """Register the wizard's pages and the security headers every page carries."""
    from app.security import init_security
    from app.wizard import routes, routes_finish, routes_move  # noqa: F401

    app.config.setdefault("BOOKME_HOLD_RATE_LIMIT", "30 per 10 minutes")
    app.config.setdefault("BOOKME_GRID_REFRESH_SECONDS", 30)
    app.config.setdefault("BOOKME_DRAFT_GRACE_MINUTES", 30)
    app.register_blueprint(bp)
    init_security(app)
