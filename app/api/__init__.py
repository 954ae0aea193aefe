"""The public JSON API (`/bookme`, `/config`) and the OAuth2 authorization server."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__)


def init_api(app: Flask) -> None:
    """Register the API blueprint with every route module."""
    from app.api import routes_availability, routes_booking, routes_config  # noqa: F401

    app.register_blueprint(bp)
