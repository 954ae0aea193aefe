"""Migration 0014 goes down and up again on both databases, keeping the rows it did not add."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app.extensions import db
from app.models import Meeting, Topic
from tests import factories
from tests.factories import at
from tests.integration.test_claim_buffers_migration import scratch  # noqa: F401 (fixture)


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_0014_adds_names_order_and_address_and_takes_them_away_again(scratch):  # noqa: F811
    factories.settings()
    topic = factories.topic("Mortgage", 60, ["Physical"])
    topic.localized_names = {"da-DK": "Boliglån"}
    factories.meeting(factories.employee(factories.location()), at(9), customer_address="Vej 1")
    db.session.commit()
    db.session.remove()
    downgrade(revision="0008")
    assert "localized_names" not in _columns("topics")
    assert "order" not in _columns("customer_types")
    assert "customer_address" not in _columns("meetings")
    upgrade()
    assert {"localized_names", "order"} <= _columns("customer_types")
    assert {"customer_address", "customer_address_note"} <= _columns("meetings")
    stored = db.session.scalar(select(Topic))
    meeting = db.session.scalar(select(Meeting))
    assert stored is not None and stored.name == "Mortgage" and stored.localized_names is None
    assert meeting is not None and meeting.customer_address == ""
