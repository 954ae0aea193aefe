"""The audit trail from the pages: who booked (a customer's link, a staff account), and the admin
page that browses it, filters it and exports it as CSV."""

from __future__ import annotations

import csv
import io

from flask import g
from sqlalchemy import select

from app import audit
from app.audit.actors import actor, fingerprint
from app.extensions import db
from app.models import Meeting, User
from tests.audit.helpers import records
from tests.web.helpers import book, csrf_from
from tests.web.staff_book_helpers import confirm, hold_at, new_customer, page, starts, what
from tests.web.staff_helpers import make_staff, sign_in

ADMIN = "boss@nordbank.example"


def _admin(client):  # type: ignore[no-untyped-def]
    make_staff(ADMIN, admin=True)
    db.session.commit()
    assert sign_in(client, ADMIN).status_code == 302
    return client


def test_a_wizard_booking_and_a_cancel_by_link_are_the_customers_without_their_details(
    client, world
):
    assert book(client, world).status_code == 302
    meeting = db.session.scalar(select(Meeting))
    (booked,) = records(entity="meeting", action="book")
    assert (booked.actor_kind, booked.channel, booked.actor_label) == (
        "customer",
        "wizard",
        "wizard",
    )
    assert booked.actor_id and booked.actor_id.startswith("link-")
    assert booked.changes["customer_id"] == [None, "C-1001"]
    assert "Karen" not in str(booked.changes) and "karen@" not in str(booked.changes)
    html = client.get(f"/m/{meeting.manage_token}").get_data(as_text=True)
    client.post(f"/m/{meeting.manage_token}/cancel", data={"csrf_token": csrf_from(html)})
    (cancelled,) = records(entity="meeting", action="cancel")
    assert (cancelled.actor_kind, cancelled.actor_label) == ("customer", "customer link")
    assert cancelled.actor_id == fingerprint(meeting.manage_token)
    assert meeting.manage_token not in str(cancelled.actor_id)


def test_a_staff_booking_is_recorded_with_the_staff_account(client, world):
    make_staff("anna@nordbank.example", employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, "anna@nordbank.example").status_code == 302
    new_customer(client)
    what(client, world, advisors=[world.anna.id])
    html = page(client, "/staff/book/times")
    hold_at(client, html, starts(html)[0])
    assert confirm(client).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "anna@nordbank.example"))
    (booked,) = records(entity="meeting", action="book")
    assert (booked.actor_kind, booked.actor_id, booked.channel) == ("staff", user.id, "staff")
    assert booked.actor_label == "anna@nordbank.example"
    assert {r.actor_kind for r in records(entity="reservation")} == {"staff"}


def test_an_admin_page_change_is_the_admins_with_the_admin_channel(app, world):
    user = make_staff(ADMIN, admin=True)
    with app.test_request_context("/staff/admin/audit"):
        g._login_user = user
        assert actor() == audit.Actor("staff", user.id, ADMIN, "admin")


def test_the_admin_sees_the_change_with_their_name_and_before_and_after(client, world):
    _admin(client)
    user = db.session.scalar(select(User).where(User.email == ADMIN))
    who = audit.Actor("staff", user.id, ADMIN, "admin")
    audit.record("update", "location", world.branch.id, {"address": ["Old 1", "New 2"]}, who=who)
    db.session.commit()
    html = page(client, "/staff/admin/audit")
    assert "<h1>Audit trail</h1>" in html
    assert "Changed: Branch" in html and ADMIN in html
    assert "<del>Old 1</del>" in html and "<ins>New 2</ins>" in html
    assert 'href="/staff/admin/audit"' in page(client, "/staff/admin")


def test_the_page_filters_by_what_who_action_and_day(client, world, clock):
    _admin(client)
    audit.record("update", "location", "loc-x", {"name": ["A", "B"]}, who=audit.CLI)
    api = audit.Actor("api_client", "core-bank", "core-bank", "api")
    audit.record("book", "meeting", "meet-y", {"status": [None, "Booked"]}, who=api)
    db.session.commit()
    assert "meet-y" in page(client, "/staff/admin/audit?entity=meeting")
    assert "loc-x" not in page(client, "/staff/admin/audit?entity=meeting")
    by_client = page(client, "/staff/admin/audit?actor=api_client:core-bank")
    assert "meet-y" in by_client and "loc-x" not in by_client
    assert "loc-x" not in page(client, "/staff/admin/audit?action=book")
    assert "meet-y" in page(client, "/staff/admin/audit?from=2026-03-02&to=2026-03-02")
    assert "meet-y" not in page(client, "/staff/admin/audit?from=2026-03-03")


def test_bad_filters_are_shown_next_to_their_fields(client, world):
    _admin(client)
    for query, field in (
        ("entity=nope", "entity"),
        ("from=tomorrow", "from"),
        ("actor=x", "actor"),
    ):
        answer = client.get(f"/staff/admin/audit?{query}")
        assert answer.status_code == 400
        assert f'id="f-{field}-error"' in answer.get_data(as_text=True)
    assert client.get("/staff/admin/audit?from=2026-03-05&to=2026-03-01").status_code == 400
    assert client.get("/staff/admin/audit.csv?entity=nope").status_code == 400


def test_the_csv_export_has_a_row_per_field_and_defuses_formulas(client, world):
    _admin(client)
    changes = {"name": ['=HYPERLINK("http://evil")', "+1"], "areas": [[], ["-x", "@y"]]}
    audit.record("update", "location", "loc-z", changes, who=audit.CLI)
    db.session.commit()
    answer = client.get("/staff/admin/audit.csv?entity=location")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    by_field = {r["field"]: r for r in rows if r["entity_id"] == "loc-z"}
    assert by_field["name"]["before"] == '\'=HYPERLINK("http://evil")'
    assert by_field["name"]["after"] == "'+1"
    assert by_field["areas"]["after"] == '["-x", "@y"]'
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_an_advisor_gets_403_on_the_page_and_the_export(app, world):
    make_staff("anna@nordbank.example", employee_id=world.anna.id)
    db.session.commit()
    advisor = app.test_client()
    assert sign_in(advisor, "anna@nordbank.example").status_code == 302
    assert advisor.get("/staff/admin/audit").status_code == 403
    assert advisor.get("/staff/admin/audit.csv").status_code == 403
    assert app.test_client().get("/staff/admin/audit").status_code == 302  # to sign-in
