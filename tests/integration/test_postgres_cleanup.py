"""The PostgreSQL clean-up between tests (tests/conftest.py) leaves what a TRUNCATE would: every
table empty, the append-only audit table too, and the sequences back at their start."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import audit
from app.extensions import db
from tests.conftest import _USED_TABLES, _empty_postgres
from tests.web.data import build_world


def _row_counts() -> dict[str, int]:
    tables = [row[0] for row in db.session.execute(text(_USED_TABLES))]
    return {t: int(db.session.scalar(text(f'SELECT count(*) FROM "{t}"')) or 0) for t in tables}


def _audit_ids() -> list[int]:
    audit.record("update", "location", "loc-1", {"name": ["Old", "New"]}, who=audit.CLI)
    db.session.commit()
    return [int(i) for i in db.session.scalars(text("SELECT id FROM audit_records ORDER BY id"))]


def test_every_table_is_emptied_and_the_ids_start_again(app, backend, database_url):
    if backend != "postgresql":
        pytest.skip("the clean-up between tests is PostgreSQL's (SQLite tests copy a file)")
    build_world()
    first = _audit_ids()
    filled = {t for t, n in _row_counts().items() if n}
    assert {"locations", "employees", "topics", "audit_records"} <= filled
    db.session.remove()
    _empty_postgres(database_url)
    assert {t: n for t, n in _row_counts().items() if n} == {}
    # The identity restarted, as TRUNCATE ... RESTART IDENTITY does.
    assert _audit_ids() == first[:1]
