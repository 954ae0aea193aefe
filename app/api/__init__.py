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
VENDOR_BASE_PATHS = ("/api/v1", "/api/v2", "/api/v3")  # where the vendor serves the same API
VENDOR_ROUTED_PREFIXES = ("/bookme", "/config")  # the operations served under those base paths

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
        routes_config_v3,
        routes_config_v3_writes,
        routes_vendor,
        routes_vendor_topics,
        routes_webhooks,
    )
    from app.extensions import csrf

    app.register_blueprint(bp)
    _mount_vendor_base_paths(app)
    oauth.init_oauth(app)
    csrf.exempt(bp)


def _mount_vendor_base_paths(app: Flask) -> None:
    """Serve every `/bookme` and `/config` route under the vendor's base paths as well.

    The extra rules point at the same endpoints, so views, scopes, error handlers and `url_for`
    (which builds the first, unprefixed rule) are shared: nothing is registered twice.
    """
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith(f"{bp.name}.")]
    for rule in rules:
        if not rule.rule.startswith(VENDOR_ROUTED_PREFIXES):
            continue
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for base in VENDOR_BASE_PATHS:
            app.add_url_rule(base + rule.rule, endpoint=rule.endpoint, methods=methods)
