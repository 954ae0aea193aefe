"""The public JSON API (`/bookme`, `/config`) and the OAuth2 authorization server.

Every route lives on the one blueprint `bp`. A route module needs only:

    from app.api import bp
    from app.api.auth import require_scope, caller_client_id, caller_is_admin
    from app.api.errors import json_response, error_response, RequestValidationError
    from app.api.params import parse_bool, parse_instant, parse_list, ...   (query parsing)
    from app.api.openapi import document                                     (OpenAPI entry)

Views raise `app.booking.errors` exceptions; `app.api.errors` turns them into JSON answers. The
blueprint is exempt from CSRF (callers authenticate with bearer tokens, not cookies).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__)

from app.api.errors import install_blueprint_handlers  # noqa: E402

install_blueprint_handlers(bp)


def init_api(app: Flask) -> None:
    """Register the API blueprint with every route module, its error handlers and OAuth server."""
    from app.api import (  # noqa: F401
        oauth,
        openapi,
        routes_admin,
        routes_audit,
        routes_availability,
        routes_booking,
        routes_config,
        routes_webhooks,
    )
    from app.extensions import csrf

    app.register_blueprint(bp)
    oauth.init_oauth(app)
    csrf.exempt(bp)
