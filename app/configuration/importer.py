"""Importing a configuration: validate everything first, then write it all in one transaction."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.configuration.document import (
    ConfigurationError,
    Document,
    Problem,
    parse_document,
    read_file,
)
from app.configuration.services import Writer
from app.configuration.validate import find_problems
from app.extensions import db

ORDER = (
    "settings",
    "locations",
    "customer_types",
    "topics",
    "rooms",
    "employees",
    "competence_groups",
    "service_groups",
    "closing_days",
)


@dataclass
class ImportReport:
    """How many items of each section were created, updated or left unchanged."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """One summary line per section present in the file."""
        return [
            f"{section}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for section in ORDER
            if (c := self.counts.get(section))
        ]


def check(raw: Any) -> tuple[Document, list[Problem]]:
    """Parse and cross-check a document without writing; (what parsed, every problem)."""
    doc, problems = parse_document(raw)
    problems += find_problems(doc)
    return doc, sorted(problems, key=_file_order)


def _file_order(problem: Problem) -> tuple[int, int]:
    """Problems in the order of the file: by section, then by item."""
    match = re.match(r"^(\w+)(?:\[(\d+)\])?", problem.path)
    if match is None:
        return (-1, 0)
    rank = ORDER.index(match[1]) if match[1] in ORDER else len(ORDER)
    return (rank, int(match[2] or 0))


def write(doc: Document) -> ImportReport:
    """Write a problem-free document in the current transaction (no commit)."""
    writer = Writer(doc.settings.time_zone if doc.settings else None)
    if doc.settings is not None:
        writer.settings(doc.settings)
    for _, item in doc.items("locations"):
        writer.location(item)
    for _, item in doc.items("customer_types"):
        writer.customer_type(item)
    _write_tree(writer, doc, "topics", writer.topic, writer.topic_parent)
    for _, item in doc.items("rooms"):
        writer.room(item)
    for _, item in doc.items("employees"):
        writer.employee(item)
    _write_tree(writer, doc, "competence_groups", writer.competence_group, writer.group_parent)
    for _, item in doc.items("service_groups"):
        writer.service_group(item)
    for _, item in doc.items("closing_days"):
        writer.closing_day(item)
    db.session.flush()
    return ImportReport(writer.counts, writer.ids)


def _write_tree(writer: Writer, doc: Document, section: str, upsert: Any, set_parent: Any) -> None:
    """Items with parents: create or update them all, then link each to its parent."""
    done = [(item, *upsert(item)) for _, item in doc.items(section)]
    for item, obj, created, changed in done:
        given = created or "parent" in item.model_fields_set
        changed = set_parent(obj, item, given) or changed
        writer.count(section, obj, created, changed)


def import_data(raw: Any) -> ImportReport:
    """Validate `raw`; raise `ConfigurationError` with every problem, or write it and commit."""
    doc, problems = check(raw)
    if problems:
        db.session.rollback()
        raise ConfigurationError(problems)
    try:
        report = write(doc)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def import_file(path: str | Path) -> ImportReport:
    """Read a JSON or YAML file and import it (see `import_data`)."""
    return import_data(read_file(path))
