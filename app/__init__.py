"""BookMe: meeting booking for banks. `create_app()` builds the Flask application."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then environment, then instance/config.py, then `test_config`."""
    app = Flask(
        __name__,
        instance_path=os.path.join(ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    from app.config import load_config

    load_config(app, test_config)
    from app.request_guard import init_request_guard

    init_request_guard(app)  # first: its path converter must exist before any route is added

    from app.extensions import init_extensions

    init_extensions(app)
    from app.booking import config_cache

    config_cache.init_app(app)  # configuration writes bump the version the slot cache is keyed on
    from app import audit

    audit.init_app(app)  # every configuration change and booking action appends an audit record

    from app.blueprints import register_blueprints

    register_blueprints(app)
    from app.static_files import init_static_files

    init_static_files(app)  # hashed static URLs, long caching, gzip
    from app.ops import init_ops

    init_ops(app)  # logs, request timing, /healthz, /readyz, /metrics

    from app.cli import bookme_cli

    app.cli.add_command(bookme_cli)
    hops = int(app.config.get("BOOKME_PROXY_HOPS") or 0)
    if hops > 0:  # behind that many trusted proxies: the client's address, scheme and host
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    return app
