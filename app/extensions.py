"""Extensions are created here at module level and bound to the app in `init_extensions`."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints the same everywhere."""

    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # type: ignore[no-untyped-def]
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait instead of failing when busy."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def init_extensions(app: Flask) -> None:
    """Bind every extension to `app`."""
    from app import models  # noqa: F401  (registers the tables on db.metadata)
    from app.notifications import models as _outbox  # noqa: F401

    db.init_app(app)
    migrate.init_app(
        app, db, directory=app.config.get("MIGRATIONS_DIR", _migrations_dir()), render_as_batch=True
    )
    csrf.init_app(app)
    from app.i18n import init_i18n

    init_i18n(app, babel)
    _configure_limiter(app)
    limiter.init_app(app)


# Redis answers in well under a millisecond; a Redis that does not answer within this must not hold
# the request up (the limiter then counts in this process's memory until Redis is back).
RATELIMIT_REDIS_TIMEOUT_SECONDS = 0.5


def _configure_limiter(app: Flask) -> None:
    """Flask-Limiter's settings from ours: shared storage, a key prefix, and what to do when it is down."""
    config = app.config
    config.setdefault("RATELIMIT_STORAGE_URI", config["BOOKME_RATELIMIT_STORAGE"])
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("redis"):  # redis, rediss, redis+sentinel
        # The storage's own prefix, not RATELIMIT_KEY_PREFIX: the limiter is one object per process
        # and keeps the first app's RATELIMIT_KEY_PREFIX, but takes storage options from every app.
        config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS",
            {
                "key_prefix": config["BOOKME_RATELIMIT_KEY_PREFIX"],
                "socket_connect_timeout": RATELIMIT_REDIS_TIMEOUT_SECONDS,
                "socket_timeout": RATELIMIT_REDIS_TIMEOUT_SECONDS,
            },
        )
    # Storage down: keep limiting, per process, and log it, rather than answer 500 or not limit.
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)


def _migrations_dir() -> str:
    import os

    from app import ROOT

    return os.path.join(ROOT, "migrations")
