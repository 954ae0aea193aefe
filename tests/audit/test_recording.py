"""Every configuration change (admin API, import) and every API booking action appends one audit
record in its own transaction: who, what, the fields before and after, and the request id."""

from __future__ import annotations

import json
from datetime import timedelta

from app.api.clients import register_client
from app.audit.fields import REDACTED
from app.configuration.accounts import create_staff_user
from app.extensions import db
from app.models import Location
from tests import factories
from tests.api.test_meetings import BOOK, create, meeting_body, reserve
from tests.audit.helpers import all_text, records
from tests.booking.conftest import SLOT_START, make_bank
from tests.web.staff_helpers import NOW


def test_an_admin_api_change_records_the_client_the_fields_and_the_request_id(client, auth):
    factories.settings()
    branch = factories.location("Branch-North", ["Copenhagen"])
    db.session.commit()
    old_address = branch.address
    headers = {**auth("bookme.admin"), "X-Request-Id": "req-audit-1"}
    body = {"address": "Havnegade 1", "requireRoom": True}
    answer = client.patch(f"/config/locations/{branch.id}", json=body, headers=headers)
    assert answer.status_code == 200, answer.json
    (change,) = records(entity="location", action="update")
    assert (change.actor_kind, change.actor_id, change.channel) == (
        "api_client",
        "test-client",
        "api",
    )
    assert change.entity_id == branch.id and change.request_id == "req-audit-1"
    assert change.changes == {
        "address": [old_address, "Havnegade 1"],
        "require_room": [False, True],
    }


def test_an_admin_api_delete_records_what_the_item_held(client, auth):
    factories.settings()
    ctype = factories.customer_type("Business")
    db.session.commit()
    gone = client.delete(f"/config/customer-types/{ctype.id}", headers=auth("bookme.admin"))
    assert gone.status_code == 204
    (deleted,) = records(entity="customer_type", action="delete")
    assert deleted.entity_id == ctype.id
    assert deleted.changes == {"name": ["Business", None], "order": [0, None]}


def test_the_import_command_records_each_item_as_the_import(runner, tmp_path):
    factories.settings()
    north = factories.location("Branch-North", ["Copenhagen"])
    db.session.commit()
    old_address = north.address
    path = tmp_path / "config.json"
    data = {"locations": [{"name": "Branch-North", "address": "Torvet 2"}, {"name": "Branch-West"}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["bookme", "import", str(path)])
    assert result.exit_code == 0, result.output
    (changed,) = records(entity="location", action="update")
    assert changed.changes == {"address": [old_address, "Torvet 2"]}
    created = records(entity="location", action="create")[-1]
    assert created.changes["name"] == [None, "Branch-West"]
    for r in (changed, created):
        assert (r.actor_kind, r.actor_label, r.channel) == ("cli", "bookme import", "import")


def test_a_rolled_back_change_leaves_no_record(app):
    factories.settings()
    db.session.commit()
    before = len(records())
    db.session.add(Location(name="Never", areas=[]))
    db.session.flush()  # the record is written with the change ...
    assert len(records()) == before + 1
    db.session.rollback()  # ... and goes with it
    assert len(records()) == before
    assert db.session.query(Location).filter_by(name="Never").count() == 0


def test_an_api_clients_hold_book_move_and_cancel_are_each_recorded(client, auth):
    bank = make_bank()
    book = auth(*BOOK)
    meeting = create(client, bank, book, customerName="Karen Kunde", customerEmail="k@ex.dk").json
    later = SLOT_START + timedelta(minutes=30)
    moving = reserve(
        client, bank, book, token="tok-move", start=later, existingMeetingId=meeting["id"]
    )
    ops = [{"op": "replace", "path": "/timeSlotId", "value": moving["id"]}]
    assert (
        client.patch(f"/bookme/meetings/{meeting['id']}", json=ops, headers=book).status_code == 200
    )
    assert client.delete(f"/bookme/meetings/{meeting['id']}", headers=book).status_code == 204
    trail = [(r.action, r.entity) for r in records() if r.entity in ("meeting", "reservation")]
    # one flush writes a booking's meeting and its used hold, in no set order: compare as sets
    assert sorted(trail) == sorted(
        [("hold", "reservation")] * 2
        + [("consume", "reservation")] * 2
        + [("book", "meeting"), ("move", "meeting"), ("cancel", "meeting")]
    )
    booking = records(entity="meeting")
    assert {(r.actor_kind, r.actor_id, r.channel) for r in booking} == {
        ("api_client", "test-client", "api")
    }
    booked, moved, cancelled = booking
    assert booked.entity_id == meeting["id"] and booked.changes["customer_id"] == [None, "67890"]
    assert booked.changes["customer_name"] == [None, REDACTED]
    assert moved.changes["start_at"] == [SLOT_START.isoformat(), later.isoformat()]
    assert cancelled.changes["status"] == ["Booked", "Cancelled"]


def test_no_personal_data_or_secret_reaches_the_trail(client, auth):
    bank = make_bank()
    book = auth(*BOOK)
    slot = reserve(client, bank, book)
    extra = {"customerName": "Karen Kunde", "customerEmail": "karen@kunde.dk"}
    extra["customerPhone"] = "+45 99 88 77 66"
    body = meeting_body(bank, slot["id"], **extra)
    assert client.post("/bookme/meetings", json=body, headers=book).status_code == 201
    user = create_staff_user("boss@nordbank.example", "correct horse battery", now=NOW, admin=True)
    secret = register_client("Core banking", "bookme.read")["client_secret"]
    db.session.commit()
    text = all_text()
    for private in ("Karen Kunde", "karen@kunde.dk", "99 88 77 66", "boss@nordbank.example"):
        assert private not in text
    assert secret not in text and user.password_hash not in text
    assert bank.advisor.email not in text and bank.advisor.first_name not in text
    (account,) = records(entity="staff_account")
    assert account.changes["password_hash"] == [None, REDACTED]
    assert account.changes["is_admin"] == [None, True]


def test_an_api_release_is_recorded_and_the_token_is_not(client, auth):
    bank = make_bank()
    book = auth(*BOOK)
    slot = reserve(client, bank, book, token="secret-browser-token")
    url = f"/bookme/time-slots/{slot['id']}?reservationToken=secret-browser-token"
    assert client.delete(url, headers=book).status_code == 204
    (released,) = records(entity="reservation", action="release")
    assert released.entity_id == slot["id"] and released.actor_id == "test-client"
    assert released.changes["status"] == ["Reserved", "Released"]
    assert "secret-browser-token" not in all_text()
