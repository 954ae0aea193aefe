"""Running for real: liveness and readiness, Prometheus metrics, structured logs (docs/operations.md).

`init_ops(app)` configures the logs, times and logs every request, and adds `/healthz`, `/readyz`
and `/metrics`: unauthenticated (metrics: a bearer token), exempt from rate limits and CSRF, and
setting no cookie.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("ops", __name__)


def init_ops(app: Flask) -> None:
    """Install the logs, the per-request hooks and the operations routes on `app`."""
    from app.extensions import csrf, limiter
    from app.ops import access, health, logs, metrics  # noqa: F401  (the routes live there)

    logs.configure_logging(app)
    access.init_access(app)
    metrics.init_metrics(app)
    limiter.exempt(bp)
    csrf.exempt(bp)
    app.register_blueprint(bp)
