"""The customer booking wizard (server-rendered pages with htmx)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("wizard", __name__)


def init_wizard(app: Flask) -> None:
    """Register the wizard's pages."""
    from app.wizard import routes  # noqa: F401

    app.register_blueprint(bp)
