"""Migration 0015 on a database that already holds topics: each gets its id as `uniqueTopicId`,
the meetings get the vendor's V2 columns, and the way back works."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from tests.integration.test_claim_buffers_migration import scratch  # noqa: F401


def test_existing_topics_get_their_id_as_unique_topic_id_and_the_way_back_works(scratch):  # noqa: F811
    downgrade(revision="0008")
    db.session.execute(
        text(
            'INSERT INTO topics (id, name, description, meeting_types, is_customer, "order") '
            "VALUES ('t-1', 'Pension', '', '[]', true, 0), ('t-2', 'Loan', '', '[]', true, 1)"
        )
    )
    db.session.commit()
    upgrade()
    rows = db.session.execute(text("SELECT id, unique_topic_id FROM topics ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("t-1", "t-1"), ("t-2", "t-2")]
    columns = {c["name"] for c in inspect(db.engine).get_columns("meetings")}
    assert {
        "salesforce_id",
        "portal_id",
        "custom_fields",
        "external_attendees",
        "cpr_encrypted",
    } <= columns
    db.session.commit()
    downgrade(revision="0008")
    assert "unique_topic_id" not in {c["name"] for c in inspect(db.engine).get_columns("topics")}
    upgrade()
