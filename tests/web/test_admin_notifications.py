"""The webhooks page (register with the secret shown once, an internal URL refused next to its
field, switch off) and the dead messages page (retry one, retry all); only admins."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import OutboxMessage, WebhookEndpoint
from app.notifications.webhooks import unseal
from tests import factories
from tests.factories import at
from tests.web.admin_helpers import admin_client, post_form, text
from tests.web.helpers import csrf_from
from tests.web.staff_helpers import make_staff, sign_in

HOOKS = "/staff/admin/webhooks"
OUTBOX = "/staff/admin/outbox"
DEAD_AT = datetime(2026, 3, 1, 9, tzinfo=UTC)


def test_an_admin_registers_a_webhook_sees_its_secret_once_and_switches_it_off(app, world):
    browser = admin_client(app)
    assert "No webhook receivers yet." in browser.get(HOOKS).get_data(as_text=True)
    data = {"name": "CRM", "url": "https://crm.example.com/hook", "events": ["meeting.booked"]}
    created = post_form(browser, HOOKS, HOOKS, data)
    assert created.status_code == 201
    secret = re.search(r'class="secret webhook-secret">([^<]+)<', created.get_data(as_text=True))
    assert secret and secret[1].startswith("whsec_")
    row = db.session.scalar(select(WebhookEndpoint))
    assert row is not None and row.events == ["meeting.booked"] and row.enabled
    assert unseal(row.secret) == secret[1]
    listing = browser.get(HOOKS).get_data(as_text=True)
    assert "https://crm.example.com/hook" in listing and secret[1] not in listing
    removed = post_form(browser, HOOKS, f"{HOOKS}/{row.id}/remove", {})
    assert removed.status_code == 302
    db.session.expire_all()
    assert db.session.get(WebhookEndpoint, row.id).enabled is False  # type: ignore[union-attr]
    assert "Switched off" in text(browser.get(HOOKS).get_data(as_text=True))
    assert post_form(browser, HOOKS, f"{HOOKS}/nope/remove", {}).status_code == 404


def test_an_internal_or_bad_url_is_refused_next_to_the_field(app, world):
    browser = admin_client(app)
    for url, words in (
        ("https://127.0.0.1/hook", "must not point into the bank's internal network"),
        ("ftp://crm.example.com/", "starting with https://"),
        ("", "starting with https://"),
    ):
        answer = post_form(browser, HOOKS, HOOKS, {"url": url})
        assert answer.status_code == 400, url
        error = re.search(r'id="url-error">([^<]+)<', answer.get_data(as_text=True))
        assert error and words in unescape(error[1]), url
    unknown = post_form(browser, HOOKS, HOOKS, {"url": "https://a.example", "events": ["x"]})
    assert unknown.status_code == 400 and 'id="events-error"' in unknown.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(WebhookEndpoint)) == 0


def _dead(world, n: int) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    meeting = factories.meeting(world.anna, at(10), customer_name="Karen Secret")
    rows = [
        OutboxMessage(
            kind="email",
            event="meeting.booked",
            meeting_id=meeting.id,
            payload={"to": "customer"},
            created_at=DEAD_AT,
            available_at=DEAD_AT,
            attempts=8,
            last_error="smtp 550",
            dead_at=DEAD_AT,
        )
        for _ in range(n)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _is_dead(row_id: str) -> bool:
    db.session.expire_all()
    return db.session.get(OutboxMessage, row_id).dead_at is not None  # type: ignore[union-attr]


def test_dead_messages_are_listed_without_personal_data_and_retried_one_then_all(app, world):
    first, second, third = _dead(world, 3)
    browser = admin_client(app)
    page = browser.get(OUTBOX).get_data(as_text=True)
    assert first.id in page and "smtp 550" in page and "Karen" not in page
    one = post_form(browser, OUTBOX, f"{OUTBOX}/{first.id}/retry", {})
    assert one.status_code == 302
    assert not _is_dead(first.id) and _is_dead(second.id) and _is_dead(third.id)
    assert db.session.get(OutboxMessage, first.id).attempts == 0  # type: ignore[union-attr]
    assert post_form(browser, OUTBOX, f"{OUTBOX}/{first.id}/retry", {}).status_code == 404
    every = post_form(browser, OUTBOX, f"{OUTBOX}/retry", {})
    assert every.status_code == 302
    assert not _is_dead(second.id) and not _is_dead(third.id)
    assert "No dead messages." in browser.get(OUTBOX).get_data(as_text=True)


def test_a_retry_without_the_form_token_is_refused(app, world):
    (row,) = _dead(world, 1)
    browser = admin_client(app)
    answer = browser.post(f"{OUTBOX}/{row.id}/retry")  # led back to the page, nothing done
    assert answer.status_code == 302 and answer.location.endswith(OUTBOX)
    assert _is_dead(row.id)


def test_an_advisor_gets_403_and_nothing_changes(app, client, world):
    (row,) = _dead(world, 1)
    make_staff("anna@nordbank.example", employee_id=world.anna.id)
    assert sign_in(client, "anna@nordbank.example").status_code == 302
    token = csrf_from(client.get("/staff").get_data(as_text=True))
    assert client.get(HOOKS).status_code == 403 and client.get(OUTBOX).status_code == 403
    hook = client.post(HOOKS, data={"url": "https://crm.example.com/", "csrf_token": token})
    assert hook.status_code == 403
    for path in (f"{OUTBOX}/retry", f"{OUTBOX}/{row.id}/retry"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403
    assert _is_dead(row.id)
    assert db.session.scalar(select(db.func.count()).select_from(WebhookEndpoint)) == 0


def test_the_revoke_and_remove_buttons_carry_their_token_and_name_their_row(app, world):
    from app.api.clients import register_client
    from app.notifications.endpoints import add_endpoint

    browser = admin_client(app)
    creds = register_client("Portal <b>", "bookme.read")
    add_endpoint("https://crm.example.com/hook?a=1&b=2", [], name="CRM", now=DEAD_AT)
    for page, action, label in (
        (
            "/staff/admin/api-clients",
            f"/api-clients/{creds['client_id']}/revoke",
            "Revoke Portal &lt;b&gt;",
        ),
        (HOOKS, "/remove", "Remove https://crm.example.com/hook?a=1&amp;b=2"),
    ):
        html = browser.get(page).get_data(as_text=True)
        form = re.search(
            r'<form method="post" action="[^"]*'
            + re.escape(action)
            + r'" class="inline">(.*?)</form>',
            html,
            re.S,
        )
        assert form, page
        assert 'name="csrf_token"' in form[1]
        assert f'<button type="submit" class="danger" aria-label="{label}">' in form[1]
