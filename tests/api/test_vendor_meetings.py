"""`GET /bookme/meetings` with the vendor's filters, and the vendor's other meeting behaviour."""

from __future__ import annotations

import pytest

from tests.api.test_meetings import BOOK, create, meeting_body, reserve
from tests.booking.conftest import HOUR, SLOT_START, make_bank


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


def _ids(client, headers, query):  # type: ignore[no-untyped-def]
    resp = client.get(f"/bookme/meetings?{query}", headers=headers)
    assert resp.status_code == 200, resp.json
    return [m["id"] for m in resp.json]


def test_the_modified_window_filters_by_when_the_meeting_last_changed(client, bank, auth, clock):
    headers = auth(*BOOK)
    made_at = clock.now
    meeting = create(client, bank, headers).json["id"]
    later = made_at.replace(year=2030).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier = made_at.replace(year=2020).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _ids(client, headers, f"startDateModified={later}") == []
    assert _ids(client, headers, f"startDateModified={earlier}") == [meeting]
    assert _ids(client, headers, f"endDateModified={earlier}") == []
    assert _ids(client, headers, f"startDateModified={earlier}&endDateModified={later}") == [
        meeting
    ]


def test_start_and_end_select_meetings_inside_the_window(client, bank, auth):
    headers = auth(*BOOK)
    meeting = create(client, bank, headers).json  # 2026-03-03 09:00-10:00 UTC
    assert _ids(client, headers, "startDate=2026-03-03T09:00:00Z") == [meeting["id"]]
    assert _ids(client, headers, "startDate=2026-03-03T09:30:00Z") == []
    assert _ids(client, headers, "endDate=2026-03-03T10:00:00Z") == [meeting["id"]]
    assert _ids(client, headers, "endDate=2026-03-03T09:59:00Z") == []


@pytest.mark.parametrize(
    "query", ["startDateModified=soon", "endDateModified=2026-01-01", "startDate=x", "endDate=1"]
)
def test_a_bad_instant_in_a_filter_answers_400_naming_it(client, bank, auth, query):
    resp = client.get(f"/bookme/meetings?{query}", headers=auth(*BOOK))
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == query.split("=")[0]


def test_a_reservation_reads_with_the_vendors_statuses_and_is_gone_once_released(
    client, bank, auth
):
    headers = auth(*BOOK)
    meeting = create(client, bank, headers).json
    booked = client.get(f"/bookme/time-slots/{meeting['timeSlotId']}", headers=headers)
    assert booked.status_code == 200 and booked.json["status"] == "Booked"
    held = reserve(client, bank, headers, token="tok-2", start=SLOT_START + 3 * HOUR)
    assert held["status"] == "Reserved"
    url = f"/bookme/time-slots/{held['id']}"
    assert client.delete(f"{url}?reservationToken=tok-2", headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


CPR = "010190-1234"
V2 = {
    "salesforceId": "006Qy00000ABC",
    "videoLink": "https://meet.example/abc",
    "portalId": "portal-7",
    "customFields": [{"key": "branchCode", "value": "0400"}],
    "externalAttendees": [{"name": "Eva Revisor", "email": "eva@revision.test"}],
}


def test_the_v2_fields_are_stored_and_returned(client, bank, auth):
    headers = auth(*BOOK)
    made = create(client, bank, headers, **V2, cpr=CPR).json
    assert {k: made[k] for k in V2} == V2
    assert "cpr" not in made  # never in the create answer (kept for Idempotency-Key replays)
    read = client.get(f"/bookme/meetings/{made['id']}", headers=headers).json
    assert {k: read[k] for k in V2} == V2 and "cpr" not in read
    listed = client.get("/bookme/meetings", headers=headers).json
    assert "cpr" not in listed[0]


def test_the_cpr_number_is_read_back_only_with_its_scope_and_stored_encrypted(
    client, bank, auth, caplog
):
    from sqlalchemy import text

    from app.extensions import db

    made = create(client, bank, auth(*BOOK), cpr=CPR).json
    cpr_reader = auth(*BOOK, "bookme.cpr")
    assert client.get(f"/bookme/meetings/{made['id']}", headers=cpr_reader).json["cpr"] == CPR
    assert client.get("/bookme/meetings", headers=cpr_reader).json[0]["cpr"] == CPR
    stored = db.session.execute(text("SELECT * FROM meetings")).mappings().one()
    assert stored["cpr_encrypted"] and CPR not in str(dict(stored))
    assert "0101901234" not in str(dict(stored)).replace("-", "")
    assert CPR not in caplog.text
    records = db.session.execute(text("SELECT body FROM idempotency_records")).all()
    assert all(CPR not in str(r) for r in records)


@pytest.mark.parametrize("bad", ["0101901234x", "01-01-90-1234", "12345", 1234567890])
def test_a_malformed_cpr_number_is_a_400_that_does_not_echo_it(client, bank, auth, bad):
    from tests.api.test_meetings import meeting_body

    headers = auth(*BOOK)
    slot = reserve(client, bank, headers)
    body = meeting_body(bank, slot["id"], cpr=bad)
    resp = client.post("/bookme/meetings", json=body, headers=headers)
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == "cpr"
    assert str(bad) not in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "data:text/html,x", "//meet.example/x", "https://a b.example"]
)
def test_a_video_link_that_is_not_a_web_address_is_a_400(client, bank, auth, bad):
    headers = auth(*BOOK)
    body = meeting_body(bank, reserve(client, bank, headers)["id"], videoLink=bad)
    resp = client.post("/bookme/meetings", json=body, headers=headers)
    assert resp.status_code == 400 and resp.json["errors"][0]["field"] == "videoLink"


def test_a_stored_link_that_is_not_a_web_address_is_never_given_out():
    from types import SimpleNamespace

    from app.booking.joining import video_link_of

    meeting = SimpleNamespace(id="m1", meeting_type="Online", video_link="javascript:alert(1)")
    assert video_link_of(meeting, None) is None  # type: ignore[arg-type]
    meeting.video_link = "https://meet.example/abc"
    assert video_link_of(meeting, None) == "https://meet.example/abc"  # type: ignore[arg-type]
    meeting.video_link = None
    assert video_link_of(meeting, "javascript:{reference}") is None  # type: ignore[arg-type]
