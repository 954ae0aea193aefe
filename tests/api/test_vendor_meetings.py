"""`GET /bookme/meetings` with the vendor's filters, and the vendor's other meeting behaviour."""

from __future__ import annotations

import pytest

from tests.api.test_meetings import BOOK, create, reserve
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
