"""A per-process cache of the configuration the slot service reads, keyed on a configuration version.

The configuration (organisation settings, topics, customer types, rooms, locations, advisors with
their weeks and skills, competence groups, service groups, closing days) changes rarely, yet every
search and every booking check reads it. The one row of `configuration_version` holds a random value
that changes in the same transaction as every write to those tables, so each process (each gunicorn
worker) reads the version with one small query and rebuilds its cached value only when the version
is not the one it built for. A missing row means "unknown": the value is built and not kept.

Writes bump the version by themselves, through two events of the app's session (`db.session`):

- `before_flush`: a flush that adds, changes or deletes an instance of a configuration model (a
  change to a many-to-many collection such as `Employee.topics` marks its owner as changed);
- `do_orm_execute`: an INSERT/UPDATE/DELETE statement run through the session against one of the
  configuration tables or their link tables (`db.session.execute(insert(Employee), rows)`), and
  textual SQL through the session that starts with a write and names one of them.

Writes that bypass the session (psql, another program, `db.engine.begin()`) are not seen: bump the
version by hand (`UPDATE configuration_version SET version = 'anything-new'`) or restart.
A fresh random value (never a counter) cannot repeat, so a value built from a transaction that is
later rolled back is never taken for committed data, and truncating the tables cannot make an old
value current again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app
from sqlalchemy import Executable, Table, TextClause, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.extensions import db
from app.models import (
    ClosingDay,
    CompetenceGroup,
    ConfigurationVersion,
    CustomerType,
    Employee,
    Location,
    OrganisationSettings,
    Room,
    ServiceGroup,
    Topic,
    WeeklySchedule,
    competence_group_customer_types,
    competence_group_members,
    competence_group_topics,
    employee_customer_types,
    employee_topics,
    service_group_competence_groups,
    service_group_customer_types,
    service_group_employees,
    service_group_locations,
    service_group_topics,
    topic_customer_types,
)

T = TypeVar("T")

CONFIG_MODELS: tuple[type[Any], ...] = (
    OrganisationSettings,
    ClosingDay,
    Location,
    CustomerType,
    Topic,
    Employee,
    WeeklySchedule,
    Room,
    CompetenceGroup,
    ServiceGroup,
)
_LINK_TABLES = (
    topic_customer_types,
    employee_topics,
    employee_customer_types,
    competence_group_members,
    competence_group_topics,
    competence_group_customer_types,
    service_group_topics,
    service_group_customer_types,
    service_group_locations,
    service_group_employees,
    service_group_competence_groups,
)
CONFIG_TABLES: frozenset[str] = frozenset(
    [m.__table__.name for m in CONFIG_MODELS] + [t.name for t in _LINK_TABLES]
)
# Anywhere in the text (a leading comment, `WITH ... UPDATE`): a false alarm only costs a rebuild.
_TEXT_WRITE = re.compile(r"\b(insert|update|delete|replace|merge|truncate|upsert)\b", re.I)
_TEXT_TABLES = re.compile(r"\b(" + "|".join(sorted(CONFIG_TABLES)) + r")\b", re.I)
_EXTENSION = "bookme_config_cache"


class _Cache:
    """One app's cached values: per builder, the version it was built for and the value."""

    def __init__(self) -> None:
        # Replaced whole (one atomic store), only ever once fully built: readers on other threads
        # see the previous pair or the new one, never a half-built value. One version per builder.
        self.entries: dict[Callable[[], Any], tuple[str, Any]] = {}


def init_app(app: Flask) -> None:
    """Give `app` its own cache and make the session bump the version on configuration writes."""
    app.extensions[_EXTENSION] = _Cache()
    if not event.contains(db.session, "before_flush", _before_flush):
        event.listen(db.session, "before_flush", _before_flush)
        event.listen(db.session, "do_orm_execute", _before_execute)


def cached(build: Callable[[], T]) -> T:
    """`build()` as of the current configuration version: built again only when the version moved.

    `build` reads through `db.session`; it runs at most once per version and process (two threads
    meeting a new version may both build it; the last one stored wins, both values are right).
    """
    version = current_version()
    if version is None:
        return build()
    cache = cast(_Cache, current_app.extensions.setdefault(_EXTENSION, _Cache()))
    entry = cache.entries.get(build)
    if entry is not None and entry[0] == version:
        return cast(T, entry[1])
    value = build()
    cache.entries[build] = (version, value)
    return value


def current_version() -> str | None:
    """The configuration version as this session sees it (a column query: never the identity map)."""
    return db.session.execute(
        select(ConfigurationVersion.version).where(ConfigurationVersion.id == 1)
    ).scalar_one_or_none()


def bump(session: Session) -> None:
    """Give the configuration a new version inside `session`'s transaction (created when missing)."""
    conn = session.connection()
    value = uuid.uuid4().hex
    table = cast(Table, ConfigurationVersion.__table__)
    dialect = conn.dialect.name
    if dialect == "postgresql":
        stmt: Executable = (
            pg_insert(table)
            .values(id=1, version=value)
            .on_conflict_do_update(index_elements=[table.c.id], set_={"version": value})
        )
    elif dialect == "sqlite":
        stmt = (
            sqlite_insert(table)
            .values(id=1, version=value)
            .on_conflict_do_update(index_elements=[table.c.id], set_={"version": value})
        )
    else:
        raise RuntimeError(
            f"no configuration version on {dialect}: BookMe runs on SQLite or PostgreSQL"
        )
    conn.execute(stmt)


def _before_flush(session: Session, context: UOWTransaction, instances: object) -> None:
    """A flush writing configuration changes the version first, in the same transaction."""
    for obj in session.new:
        if isinstance(obj, CONFIG_MODELS):
            bump(session)
            return
    for obj in session.deleted:
        if isinstance(obj, CONFIG_MODELS):
            bump(session)
            return
    for obj in session.dirty:
        if isinstance(obj, CONFIG_MODELS) and session.is_modified(obj):
            bump(session)
            return


def _before_execute(state: ORMExecuteState) -> None:
    """A write statement through the session to a configuration table changes the version first."""
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) in CONFIG_TABLES:
            bump(state.session)
    elif isinstance(statement, TextClause):
        sql = statement.text
        if _TEXT_WRITE.search(sql) and _TEXT_TABLES.search(sql):
            bump(state.session)
