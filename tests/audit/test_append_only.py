"""The audit trail is append-only for the application: the database refuses UPDATE and DELETE."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import audit
from app.extensions import db
from tests.audit.helpers import records


def _one_record() -> int:
    audit.record("update", "location", "loc-1", {"name": ["Old", "New"]}, who=audit.CLI)
    db.session.commit()
    (row,) = records()
    return row.id


def test_inserting_a_record_works(app):
    ident = _one_record()
    assert records()[0].id == ident and records()[0].changes == {"name": ["Old", "New"]}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_records SET action = 'delete' WHERE id = :id",
        "UPDATE audit_records SET changes = '{}'",
        "DELETE FROM audit_records WHERE id = :id",
        "DELETE FROM audit_records",
    ],
)
def test_the_database_refuses_to_change_or_delete_a_record(app, statement):
    ident = _one_record()
    with pytest.raises(DBAPIError, match="audit_records_append_only"):
        db.session.execute(text(statement), {"id": ident})
        db.session.flush()
    db.session.rollback()
    (row,) = records()
    assert (row.id, row.action, row.changes) == (ident, "update", {"name": ["Old", "New"]})


def test_the_orm_cannot_delete_a_record_either(app):
    _one_record()
    db.session.delete(records()[0])
    with pytest.raises(DBAPIError, match="audit_records_append_only"):
        db.session.commit()
    db.session.rollback()
    assert len(records()) == 1
