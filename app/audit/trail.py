"""Reading the audit trail: filters, pages newest first, the actors seen, and CSV export.

One home for the filters that the admin page (/staff/admin/audit), its CSV export and the admin API
(`GET /config/audit`) share.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from app.audit.actors import ACTOR_KINDS
from app.extensions import db
from app.models import AuditRecord

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
ACTIONS = ("create", "update", "delete", "hold", "release", "consume", "book", "move", "cancel")
CSV_COLUMNS = (
    "id",
    "at",
    "actor_kind",
    "actor_id",
    "actor_label",
    "channel",
    "action",
    "entity",
    "entity_id",
    "field",
    "before",
    "after",
    "request_id",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilter:
    """Which records to show: every given condition must hold (`until` is exclusive)."""

    entity: str | None = None
    entity_id: str | None = None
    actor_kind: str | None = None
    actor_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of records, newest first."""

    records: list[AuditRecord]
    number: int
    has_next: bool


def _query(f: AuditFilter) -> Select[Any]:
    q = select(AuditRecord)
    for column, value in (
        (AuditRecord.entity, f.entity),
        (AuditRecord.entity_id, f.entity_id),
        (AuditRecord.actor_kind, f.actor_kind),
        (AuditRecord.actor_id, f.actor_id),
        (AuditRecord.action, f.action),
    ):
        if value is not None:
            q = q.where(column == value)
    if f.since is not None:
        q = q.where(AuditRecord.at >= f.since)
    if f.until is not None:
        q = q.where(AuditRecord.at < f.until)
    return q.order_by(AuditRecord.at.desc(), AuditRecord.id.desc())


def find(f: AuditFilter, *, page: int = 1, size: int = PAGE_SIZE) -> AuditPage:
    """Page `page` (from 1) of the matching records, newest first."""
    page = max(1, page)
    rows = list(db.session.scalars(_query(f).offset((page - 1) * size).limit(size + 1)))
    return AuditPage(rows[:size], page, len(rows) > size)


def every(f: AuditFilter, limit: int = EXPORT_LIMIT) -> Iterator[AuditRecord]:
    """Every matching record, newest first, read in batches (for the CSV export)."""
    yield from db.session.scalars(_query(f).limit(limit).execution_options(yield_per=500))


def actors_seen(limit: int = 500) -> list[tuple[str, str | None, str]]:
    """The distinct (kind, id, label) of the people and systems in the trail, for the filter."""
    q = (
        select(AuditRecord.actor_kind, AuditRecord.actor_id, func.max(AuditRecord.actor_label))
        .where(AuditRecord.actor_kind.in_(ACTOR_KINDS), AuditRecord.actor_id.is_not(None))
        .group_by(AuditRecord.actor_kind, AuditRecord.actor_id)
        .order_by(AuditRecord.actor_kind, func.max(AuditRecord.actor_label))
        .limit(limit)
    )
    return [(kind, ident, label or "") for kind, ident, label in db.session.execute(q)]


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text that starts like a formula gets a quote."""
    text = "" if value is None else value if isinstance(value, str) else _json_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_rows(records: Iterable[AuditRecord]) -> Iterator[list[str]]:
    """One row per changed field (a record without fields gets one row), header first."""
    yield list(CSV_COLUMNS)
    for r in records:
        head = [str(r.id), r.at.isoformat(), r.actor_kind, r.actor_id, r.actor_label, r.channel]
        head += [r.action, r.entity, r.entity_id]
        fields = list((r.changes or {}).items()) or [("", [None, None])]
        for name, (before, after) in fields:
            cells = [*head, name, before, after, r.request_id]
            yield [safe_cell(c) for c in cells]


def csv_text(records: Iterable[AuditRecord]) -> Iterator[str]:
    """The CSV export, streamed line by line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in csv_rows(records):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
