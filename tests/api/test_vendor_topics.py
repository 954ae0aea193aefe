"""The vendor's `/bookme/meeting-topics` create, read and JSON Patch, with `uniqueTopicId`."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories

ADMIN = ("bookme.read", "bookme.admin")


@pytest.fixture
def pension(app):  # type: ignore[no-untyped-def]
    factories.settings()
    topic = factories.topic("Pension")
    db.session.commit()
    return topic


def test_creating_a_topic_keeps_its_unique_topic_id_and_reads_back_by_either_key(
    client, auth, pension
):
    body = {"name": "Mortgage", "uniqueTopicId": "MORTGAGE-01", "parentId": pension.id, "order": 3}
    resp = client.post("/bookme/meeting-topics", json=body, headers=auth(*ADMIN))
    assert resp.status_code == 201, resp.json
    made = resp.json
    assert (made["uniqueTopicId"], made["parentId"], made["order"]) == (
        "MORTGAGE-01",
        pension.id,
        3,
    )
    assert resp.headers["Location"] == f"/bookme/meeting-topics/{made['id']}"
    reader = auth("bookme.read")
    for key in (made["id"], "MORTGAGE-01"):
        assert client.get(f"/bookme/meeting-topics/{key}", headers=reader).json == made
    listed = client.get("/bookme/meeting-topics?isCustomer=true", headers=reader).json
    assert {t["uniqueTopicId"] for t in listed} == {"MORTGAGE-01", pension.unique_topic_id}


def test_a_topic_made_without_one_gets_its_id_as_unique_topic_id(client, auth, pension):
    made = client.post("/bookme/meeting-topics", json={"name": "Loan"}, headers=auth(*ADMIN)).json
    assert made["uniqueTopicId"] == made["id"]


def test_a_unique_topic_id_already_used_is_a_400_naming_it_and_nothing_is_written(
    client, auth, pension
):
    body = {"name": "Copy", "uniqueTopicId": pension.unique_topic_id}
    resp = client.post("/bookme/meeting-topics", json=body, headers=auth(*ADMIN))
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == "uniqueTopicId"
    assert db.session.query(factories.Topic).count() == 1


def test_patch_changes_name_order_and_unique_topic_id_in_one_write(client, auth, pension):
    ops = [
        {"op": "replace", "path": "/name", "value": "Pensions"},
        {"op": "replace", "path": "/uniqueTopicId", "value": "PEN"},
        {"op": "replace", "path": "/order", "value": 7},
    ]
    url = f"/bookme/meeting-topics/{pension.id}"
    resp = client.patch(url, json=ops, headers=auth(*ADMIN))
    assert resp.status_code == 200, resp.json
    assert (resp.json["name"], resp.json["uniqueTopicId"], resp.json["order"]) == (
        "Pensions",
        "PEN",
        7,
    )
    single = {"op": "replace", "path": "/name", "value": "Retirement"}
    assert (
        client.patch("/bookme/meeting-topics/PEN", json=single, headers=auth(*ADMIN)).json["name"]
        == "Retirement"
    )


@pytest.mark.parametrize(
    "body",
    [
        [],
        [{"op": "remove", "path": "/name"}],
        [{"op": "replace", "path": "/secret", "value": 1}],
        [{"op": "replace", "path": "/order", "value": "soon"}],
        [{"op": "replace", "path": "/order", "value": 10**12}],  # was a 500 on PostgreSQL
    ],
)
def test_a_bad_patch_is_a_400_and_changes_nothing(client, auth, pension, body):
    url = f"/bookme/meeting-topics/{pension.id}"
    assert client.patch(url, json=body, headers=auth(*ADMIN)).status_code == 400
    assert client.get(url, headers=auth("bookme.read")).json["name"] == "Pension"


def test_writes_need_the_admin_scope_and_unknown_topics_are_404(client, auth, pension):
    book = auth("bookme.read", "bookme.book")
    assert (
        client.post("/bookme/meeting-topics", json={"name": "X"}, headers=book).status_code == 403
    )
    url = f"/bookme/meeting-topics/{pension.id}"
    assert client.patch(url, json=[], headers=book).status_code == 403
    assert client.get("/bookme/meeting-topics/nope", headers=book).status_code == 404
