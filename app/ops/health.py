"""`/healthz`: the process answers. `/readyz`: it can serve, so a proxy or orchestrator may send it
traffic: the database answers `SELECT 1`, its schema is at the migrations' head, and Redis (when the
rate limits are counted there) answers PING. 200, or 503 naming the failed checks, by name only:
no error text, host or revision, so the answers can be public.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from flask import Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.ops import bp

log = logging.getLogger("app.ops.health")

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
REDIS_TIMEOUT_SECONDS = 0.5
_NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz() -> tuple[Response, int, dict[str, str]]:
    """The process is alive (asks nothing else)."""
    return jsonify(status="ok"), 200, _NO_STORE


@bp.get("/readyz")
def readyz() -> tuple[Response, int, dict[str, str]]:
    """Ready for traffic: 200 when every check passes, else 503 naming the ones that failed."""
    reachable, revisions = _database_revisions()
    checks = {
        "database": OK if reachable else FAILED,
        "migrations": OK if revisions == migration_heads() else FAILED,
        "redis": _redis_check(),
    }
    failed = sorted(name for name, result in checks.items() if result == FAILED)
    if failed:
        body = {"status": "unavailable", "checks": checks, "failed": failed}
        return jsonify(body), 503, _NO_STORE
    return jsonify(status="ready", checks=checks), 200, _NO_STORE


def _database_revisions() -> tuple[bool, frozenset[str] | None]:
    """Whether the database answers, and the revisions it is stamped with (None: unknown, as in
    a database never migrated)."""
    reachable = False
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            reachable = True
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return True, frozenset(str(r) for r in rows)
    except SQLAlchemyError as exc:
        # The driver's class only: its message may name the host or the statement.
        failed = "migration record unreadable" if reachable else "database unreachable"
        log.warning("readiness: %s: %s", failed, type(exc).__name__)
        return reachable, None


def migration_heads() -> frozenset[str]:
    """The head revision(s) of this code's migrations, read once per process and directory."""
    return _heads(str(current_app.extensions["migrate"].directory))


@functools.cache
def _heads(directory: str) -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", os.path.abspath(directory))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _redis_check() -> str:
    """PING the rate limits' Redis when they are counted there; `skipped` otherwise."""
    url = str(current_app.config.get("RATELIMIT_STORAGE_URI") or "")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return SKIPPED
    try:
        return OK if _redis_client(url).ping() else FAILED
    except Exception as exc:  # noqa: BLE001 - any failure means: not ready
        log.warning("readiness: redis check failed: %s", type(exc).__name__)
        return FAILED


@functools.cache
def _redis_client(url: str) -> Any:
    """One client (and connection pool) per URL and process, with short timeouts."""
    import redis

    return redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )
