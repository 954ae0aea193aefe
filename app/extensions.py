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

    db.init_app(app)
    migrate.init_app(
        app, db, directory=app.config.get("MIGRATIONS_DIR", _migrations_dir()), render_as_batch=True
    )
    csrf.init_app(app)
    from app.i18n import init_i18n

    init_i18n(app, babel)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["BOOKME_RATELIMIT_STORAGE"])
    limiter.init_app(app)


def _migrations_dir() -> str:
    import os

    from app import ROOT

    return os.path.join(ROOT, "migrations")
