"""`GET /bookme/time-slots/available`: every parameter form, every error, the exact answer shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.api import routes_availability
from app.api.routes_availability import iso_stamp, slots_payload
from app.booking.query import Slot, SlotQuery
from app.booking.slot_rows import SlotRows
from app.extensions import db
from tests import factories

URL = "/bookme/time-slots/available"


# ---- parsing, with the slot service replaced by a spy (no database needed) --------------------


@pytest.fixture
def spy(nodb_app, monkeypatch):  # type: ignore[no-untyped-def]
    """Calls `GET URL?<query>` and returns (response, the SlotQuery the service received)."""
    seen: list[SlotQuery] = []

    def fake_find_slots(query: SlotQuery, now: datetime) -> SlotRows:
        seen.append(query)
        return SlotRows.of([], 60, None)

    monkeypatch.setattr(routes_availability, "find_slots", fake_find_slots)
    client = nodb_app.test_client()

    def call(query: str, scopes: tuple[str, ...] = ("bookme.read",)):  # type: ignore[no-untyped-def]
        from app import clock
        from tests import factories

        token = factories.token("c1", scopes, now=clock.now())
        resp = client.get(f"{URL}?{query}", headers={"Authorization": f"Bearer {token}"})
        return resp, (seen[-1] if seen else None)

    return call


def test_the_seed_example_1_parses_into_the_engine_query(spy):
    resp, q = spy(
        "requireEmployeeParticipation=true&lookForwardTime=7.00:00:00&topic=theme-uuid"
        "&customerTypeId=category-uuid&meetingTypes=physical&customerLocation=Copenhagen"
    )
    assert resp.status_code == 200 and resp.json == []
    assert q == SlotQuery(
        require_employee_participation=True,
        look_forward=timedelta(days=7),
        topic_id="theme-uuid",
        customer_type_id="category-uuid",
        meeting_types=("Physical",),
        customer_location="Copenhagen",
        best_slots=True,  # the vendor's default: one advisor per time slot
    )


def test_every_extra_parameter_reaches_the_engine(spy):
    resp, q = spy(
        "requireEmployeeParticipation=0&employeeTypes=local&employeeTypes=SERVICEGROUP"
        "&startDate=2025-10-09T08:00:00%2B02:00&meetingLocation=Branch-North&requireRoom=1"
        '&specificRooms=r1,r2&ignoreMeetingIds=["m1"]&meetingDuration=PT45M'
        "&isCustomerInitiated=true&ignoreMinimumTimeBeforeBooking=TRUE&getBestTimeSlots=false"
    )
    assert resp.status_code == 200
    assert q.require_employee_participation is False
    assert q.employee_types == ("Local", "ServiceGroup")
    assert q.start == datetime(2025, 10, 9, 6, 0, tzinfo=UTC)
    assert q.meeting_location == "Branch-North" and q.require_room is True
    assert q.specific_room_ids == ("r1", "r2") and q.ignore_meeting_ids == ("m1",)
    assert q.duration == timedelta(minutes=45)
    assert q.is_customer_initiated and q.ignore_minimum_notice and q.best_slots is False


@pytest.mark.parametrize(
    "ids",
    [
        "explicitEmployeeIds=a&explicitEmployeeIds=b",
        "explicitEmployeeIds=a,b",
        'explicitEmployeeIds=["a","b"]',
        "explicitEmployeeIds=[a, b]",
        'explicitEmployeeIds=["a"]&explicitEmployeeIds=b',
    ],
)
def test_arrays_are_read_in_all_three_forms(spy, ids):
    _, q = spy(f"requireEmployeeParticipation=true&{ids}")
    assert q.explicit_employee_ids == ("a", "b")


def test_the_empty_bracket_form_is_an_empty_list(spy):
    _, q = spy("requireEmployeeParticipation=true&explicitEmployeeIds=[]")
    assert q.explicit_employee_ids == ()


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("physical", "Physical"),
        ("ONLINE", "Online"),
        ("phone", "Telephone"),
        ("Telephone", "Telephone"),
        ("offsite", "OffSite"),
    ],
)
def test_meeting_types_are_accepted_in_any_case_and_phone_is_telephone(spy, given, canonical):
    _, q = spy(f"requireEmployeeParticipation=true&meetingTypes={given}")
    assert q.meeting_types == (canonical,)


@pytest.mark.parametrize(
    ("given", "span"),
    [
        ("00:45:00", timedelta(minutes=45)),
        ("PT45M", timedelta(minutes=45)),
        ("1.00:00:00", timedelta(days=1)),
    ],
)
def test_lookforward_and_duration_accept_timespan_and_iso(spy, given, span):
    _, q = spy(f"requireEmployeeParticipation=true&lookForwardTime={given}")
    assert q.look_forward == span


def test_topic_and_customer_type_aliases_are_accepted(spy):
    _, q = spy("requireEmployeeParticipation=true&topicId=t&customerCategoryId=c")
    assert (q.topic_id, q.customer_type_id) == ("t", "c")


def test_an_absurd_window_is_cut_not_refused(spy):
    resp, q = spy("requireEmployeeParticipation=true&lookForwardTime=9999999.00:00:00")
    assert resp.status_code == 200
    assert q.look_forward <= timedelta(days=3660)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "requireEmployeeParticipation"),
        ("requireEmployeeParticipation=", "requireEmployeeParticipation"),
        ("requireEmployeeParticipation=yes please", "requireEmployeeParticipation"),
        ("requireEmployeeParticipation=true&lookForwardTime=a week", "lookForwardTime"),
        ("requireEmployeeParticipation=true&lookForwardTime=-1.00:00:00", "lookForwardTime"),
        ("requireEmployeeParticipation=true&meetingDuration=00:00:00", "meetingDuration"),
        ("requireEmployeeParticipation=true&meetingDuration=2.00:00:00", "meetingDuration"),
        ("requireEmployeeParticipation=true&startDate=2025-10-09T08:00:00", "startDate"),
        ("requireEmployeeParticipation=true&startDate=tomorrow", "startDate"),
        ("requireEmployeeParticipation=true&startDate=0001-01-01T00:00:00Z", "startDate"),
        ("requireEmployeeParticipation=true&meetingTypes=boat", "meetingTypes"),
        ("requireEmployeeParticipation=false&employeeTypes=Everyone", "employeeTypes"),
        ("requireEmployeeParticipation=true&requireRoom=perhaps", "requireRoom"),
        ("requireEmployeeParticipation=true&isCustomerInitiated=2", "isCustomerInitiated"),
        ("requireEmployeeParticipation=true&topic=%00", "topic"),
        ("requireEmployeeParticipation=true&explicitEmployeeIds=a%01b", "explicitEmployeeIds.0"),
    ],
)
def test_malformed_input_is_a_400_naming_the_field(spy, query, field):
    resp, _ = spy(query)
    assert resp.status_code == 400, resp.json
    body = resp.json
    assert body["code"] == "BAD_REQUEST"
    assert field in [e["field"] for e in body["errors"]]


def test_several_bad_fields_are_all_listed(spy):
    resp, _ = spy("lookForwardTime=x&meetingTypes=boat")
    fields = {e["field"] for e in resp.json["errors"]}
    assert fields == {"requireEmployeeParticipation", "lookForwardTime", "meetingTypes"}


def test_availability_needs_the_read_scope(spy):
    resp, _ = spy("requireEmployeeParticipation=true", scopes=("bookme.book",))
    assert resp.status_code == 403


# ---- serialisation ------------------------------------------------------------------------------


def test_instants_are_written_with_milliseconds_and_z():
    assert iso_stamp(datetime(2025, 10, 10, 8, 0, tzinfo=UTC)) == "2025-10-10T08:00:00.000Z"
    assert iso_stamp(datetime(2025, 10, 10, 8, 0, 1, 123456, tzinfo=UTC)) == (
        "2025-10-10T08:00:01.123Z"
    )


def test_the_payload_has_exactly_the_contract_fields():
    start = datetime(2025, 10, 10, 8, 0, tzinfo=UTC)
    slot = Slot(start, start + timedelta(hours=1), "Physical", "e1", ("e1", "e2"), None, "t1")
    assert slots_payload([slot]) == [
        {
            "startDate": "2025-10-10T08:00:00.000Z",
            "endDate": "2025-10-10T09:00:00.000Z",
            "meetingType": "Physical",
            "employeeId": "e1",
            "employeeIds": ["e1", "e2"],
            "roomId": None,
            "meetingTopicId": "t1",
        }
    ]


# ---- against the real slot service ------------------------------------------------------------


@pytest.fixture
def branch(app):  # type: ignore[no-untyped-def]
    factories.settings()
    loc = factories.location("Branch-North", ["Copenhagen"])
    adv = factories.employee(loc, meeting_types=("Physical", "Online"))
    topic = factories.topic("Pension", duration=60)
    db.session.commit()
    return dict(loc=loc, adv=adv, topic=topic)


def test_a_day_of_online_slots_comes_back_sorted_on_the_half_hour(client, read_headers, branch):
    resp = client.get(
        f"{URL}?requireEmployeeParticipation=true&lookForwardTime=1.00:00:00"
        f"&meetingTypes=online&customerLocation=Copenhagen&topic={branch['topic'].id}",
        headers=read_headers,
    )
    assert resp.status_code == 200, resp.json
    slots = resp.json
    assert slots, "the advisor works 08:00-16:00 local today"
    starts = [s["startDate"] for s in slots]
    assert starts == sorted(starts)
    for s in slots:
        assert s["startDate"][14:] in ("00:00.000Z", "30:00.000Z")
        assert s["meetingType"] == "Online" and s["employeeId"] == branch["adv"].id
        assert s["employeeIds"] == [branch["adv"].id]


def test_a_meeting_duration_sets_the_slot_length(client, read_headers, branch):
    resp = client.get(
        f"{URL}?requireEmployeeParticipation=true&explicitEmployeeIds={branch['adv'].id}"
        "&meetingDuration=00:45:00&lookForwardTime=1.00:00:00&meetingTypes=Online",
        headers=read_headers,
    )
    assert resp.status_code == 200 and resp.json
    first = resp.json[0]
    start = datetime.fromisoformat(first["startDate"])
    assert datetime.fromisoformat(first["endDate"]) - start == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("param", "kind"),
    [
        ("topic=nope", "topic"),
        ("customerTypeId=nope", "ustomer"),
        ("explicitEmployeeIds=nope", "employee"),
        ("specificRooms=nope", "room"),
    ],
)
def test_unknown_ids_are_a_404_naming_which(client, read_headers, branch, param, kind):
    resp = client.get(f"{URL}?requireEmployeeParticipation=true&{param}", headers=read_headers)
    assert resp.status_code == 404, resp.json
    assert kind in resp.json["message"]


def test_fifty_thousand_slots_serialise_whole():
    """Every one of 50 000 slots reaches the body (its speed is measured in bench/availability.py,
    never timed in a test)."""
    from app.api.errors import _dumps

    base = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    slots = [
        Slot(
            base + timedelta(minutes=30 * i),
            base + timedelta(minutes=30 * i + 60),
            mtype,
            f"e{e}",
            (f"e{e}",),
            None,
            "t1",
        )
        for i in range(500)
        for e in range(50)
        for mtype in ("Physical", "Online")
    ]
    body = _dumps(slots_payload(slots))
    assert body.count(b'"startDate"') == 50_000


def test_without_participation_at_least_one_employee_type_is_needed(client, read_headers, branch):
    resp = client.get(f"{URL}?requireEmployeeParticipation=false", headers=read_headers)
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == "employeeTypes"


def test_seed_example_2_searches_only_the_preferred_advisor(client, read_headers, branch):
    other = factories.employee(branch["loc"])
    db.session.commit()
    resp = client.get(
        f"{URL}?requireEmployeeParticipation=true&explicitEmployeeIds={branch['adv'].id}"
        "&employeeTypes=Explicit&employeeTypes=Local&employeeTypes=ServiceGroup"
        "&lookForwardTime=1.00:00:00&meetingTypes=online",
        headers=read_headers,
    )
    assert resp.status_code == 200 and resp.json
    assert {s["employeeId"] for s in resp.json} == {branch["adv"].id}
    assert other.id not in {s["employeeId"] for s in resp.json}


def test_a_large_answer_is_gzipped_for_clients_that_accept_it(nodb_app, monkeypatch):
    import gzip
    import json

    from app import clock
    from tests import factories

    first = int(datetime(2026, 3, 3, 8, 0, tzinfo=UTC).timestamp()) // 60
    many = SlotRows.of([(first + 30 * i, "Online", "e1", None) for i in range(2000)], 60, None)
    monkeypatch.setattr(routes_availability, "find_slots", lambda query, now: many)
    token = factories.token("c1", ["bookme.read"], now=clock.now())
    client = nodb_app.test_client()
    plain = client.get(
        f"{URL}?requireEmployeeParticipation=true", headers={"Authorization": f"Bearer {token}"}
    )
    zipped = client.get(
        f"{URL}?requireEmployeeParticipation=true",
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip, deflate"},
    )
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert json.loads(gzip.decompress(zipped.data)) == plain.json
    assert len(zipped.data) * 10 < len(plain.data)
