"""`/config/webhooks` (`bookme.admin`): register, list, switch off, and read the delivery log."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.notifications.models import OutboxMessage, WebhookAttempt, WebhookEndpoint
from app.notifications.webhooks import unseal


@pytest.fixture
def admin(auth):  # type: ignore[no-untyped-def]
    return auth("bookme.admin")


def _add(client, headers, **body):  # type: ignore[no-untyped-def]
    return client.post("/config/webhooks", json=body, headers=headers)


def test_registering_answers_201_with_the_secret_once_and_lists_it_without(client, admin):
    resp = _add(client, admin, url="https://crm.bank.test/hooks", name="CRM")
    assert resp.status_code == 201
    created = resp.json
    assert resp.headers["Location"] == f"/config/webhooks/{created['id']}"
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["meeting.booked", "meeting.moved", "meeting.cancelled"]
    assert created["enabled"] is True and created["createdAt"] == "2026-03-02T07:00:00.000Z"
    stored = db.session.get(WebhookEndpoint, created["id"])
    assert stored.secret != created["secret"] and unseal(stored.secret) == created["secret"]
    (listed,) = client.get("/config/webhooks", headers=admin).json
    assert "secret" not in listed and listed["url"] == "https://crm.bank.test/hooks"


def test_only_the_events_asked_for_are_kept(client, admin):
    resp = _add(client, admin, url="https://crm.bank.test/h", events=["meeting.cancelled"])
    assert resp.json["events"] == ["meeting.cancelled"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://crm.bank.test/h"}, "url"),
        ({"url": "https:///no-host"}, "url"),
        ({"url": "http://127.0.0.1:5432/"}, "url"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "url"),
        ({"url": "https://crm.bank.test/h", "events": ["meeting.deleted"]}, "events"),
        ({"url": "https://crm.bank.test/h", "secret": "mine"}, "secret"),
        ({}, "url"),
    ],
)
def test_a_bad_body_is_a_400_naming_the_field(client, admin, body, field):
    resp = _add(client, admin, **body)
    assert resp.status_code == 400
    assert field in str(resp.json)
    assert db.session.query(WebhookEndpoint).count() == 0


def test_without_the_admin_scope_nothing_is_registered(client, auth):
    resp = _add(client, auth("bookme.read", "bookme.book"), url="https://crm.bank.test/h")
    assert resp.status_code == 403
    assert db.session.query(WebhookEndpoint).count() == 0


def test_switching_off_answers_204_and_an_unknown_id_404(client, admin):
    created = _add(client, admin, url="https://crm.bank.test/h").json
    assert client.delete(f"/config/webhooks/{created['id']}", headers=admin).status_code == 204
    assert client.get("/config/webhooks", headers=admin).json[0]["enabled"] is False
    assert client.delete("/config/webhooks/nope", headers=admin).status_code == 404
    assert client.get("/config/webhooks/nope/attempts", headers=admin).status_code == 404


def test_the_delivery_log_lists_attempts_newest_first(client, admin, clock):
    from tests.booking.conftest import make_bank
    from tests.notifications.conftest import book

    created = _add(client, admin, url="https://crm.bank.test/h").json
    meeting = book(make_bank(), clock, customer_email="")
    row = db.session.query(OutboxMessage).filter_by(kind="webhook").one()
    for status in (500, 204):
        db.session.add(
            WebhookAttempt(
                endpoint_id=created["id"],
                message_id=row.id,
                attempted_at=clock.now,
                status_code=status,
                duration_ms=3,
            )
        )
    db.session.commit()
    log = client.get(f"/config/webhooks/{created['id']}/attempts", headers=admin).json
    assert [a["statusCode"] for a in log] == [204, 500]
    assert log[0]["messageId"] == row.id and row.meeting_id == meeting.id
