"""`GET /config/audit`: admin API clients read the trail, filtered, newest first."""

from __future__ import annotations

from app import audit
from app.extensions import db
from tests import factories


def _trail(clock) -> None:  # type: ignore[no-untyped-def]
    factories.settings()
    db.session.commit()
    who = audit.Actor("staff", "user-1", "boss@nordbank.example", "admin")
    audit.record("update", "location", "loc-1", {"address": ["A", "B"]}, who=who)
    clock.advance(minutes=5)
    audit.record("book", "meeting", "m-1", {"status": [None, "Booked"]}, who=audit.CLI)
    db.session.commit()


def test_the_trail_needs_the_admin_scope(client, auth):
    assert client.get("/config/audit").status_code == 401
    assert (
        client.get("/config/audit", headers=auth("bookme.read", "bookme.book")).status_code == 403
    )


def test_the_trail_is_filtered_and_newest_first(client, auth, clock):
    _trail(clock)
    admin = auth("bookme.admin")
    every = client.get("/config/audit", headers=admin).json
    assert [r["entityId"] for r in every["records"]][:2] == ["m-1", "loc-1"]
    assert every["hasNext"] is False
    staff = client.get("/config/audit?actorKind=staff&actorId=user-1", headers=admin).json
    (one,) = staff["records"]
    assert one["actor"] == {"kind": "staff", "id": "user-1", "label": "boss@nordbank.example"}
    assert one["changes"] == {"address": ["A", "B"]} and one["channel"] == "admin"
    assert one["at"] == "2026-03-02T07:00:00.000Z"
    later = client.get("/config/audit?from=2026-03-02T07:01:00Z&entity=meeting", headers=admin)
    assert [r["entityId"] for r in later.json["records"]] == ["m-1"]
    paged = client.get("/config/audit?entity=location&pageSize=1&page=2", headers=admin).json
    assert paged["records"] == [] and paged["page"] == 2


def test_bad_filters_are_400_naming_the_field(client, auth):
    admin = auth("bookme.admin")
    for query, field in (
        ("entity=nonsense", "entity"),
        ("from=soon", "from"),
        ("pageSize=0", "pageSize"),
    ):
        answer = client.get(f"/config/audit?{query}", headers=admin)
        assert answer.status_code == 400
        assert field in {e["field"] for e in answer.json["errors"]}


def test_the_trail_is_in_the_openapi_document(client):
    doc = client.get("/openapi.json").json
    operation = doc["paths"]["/config/audit"]["get"]
    assert {"oauth2": ["bookme.admin"]} in operation["security"]
    assert {p["name"] for p in operation["parameters"]} >= {"entity", "actorId", "from", "to"}
