"""Structured logs: one JSON line per request with the request id the answer carries, the route
pattern, status and duration; never a path, query string, name, e-mail, phone or note."""

from __future__ import annotations

import logging

import pytest

from app.extensions import db
from app.models import Meeting
from app.ops.logs import formatter
from tests.booking.conftest import make_bank
from tests.web.health_helpers import app_for
from tests.web.helpers import choices_for, csrf_from, fill_details, hold, open_times
from tests.web.ops_helpers import api_book, api_reserve, log_lines

PERSONAL = {
    "name": "Zebulon Quixotefarm",
    "email": "zebulon.q@private-mail.example",
    "phone": "+45 99 88 77 66",
    "note": "Inheritance from aunt Gertrude",
}


def access_lines(err: str) -> list[dict]:
    return [line for line in log_lines(err) if line.get("logger") == "bookme.access"]


def test_each_request_logs_one_json_line_with_the_request_id_it_answers_with(client, world, capsys):
    capsys.readouterr()
    resp = client.get("/book", query_string=choices_for(world))
    lines = access_lines(capsys.readouterr().err)
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == resp.headers["X-Request-Id"]
    assert (line["event"], line["method"], line["route"], line["status"]) == (
        "request",
        "GET",
        "/book",
        200,
    )
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["level"] == "info" and line["timestamp"].endswith("Z")
    assert world.mortgage.id not in str(line)  # the query string is not logged


def test_two_requests_get_two_request_ids(client, world, capsys):
    first, second = client.get("/book"), client.get("/book")
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
    ids = [line["request_id"] for line in access_lines(capsys.readouterr().err)]
    assert ids[-2:] == [first.headers["X-Request-Id"], second.headers["X-Request-Id"]]


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("lb-3f2a9c01-77aa", True),
        ("short", False),
        ("karen@example.com is here", False),
        ("<script>alert(1)</script>", False),
        ("x" * 101, False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_it_is_a_safe_short_token(
    client, world, capsys, incoming, kept
):
    resp = client.get("/book", headers={"X-Request-ID": incoming})
    answered = resp.headers["X-Request-Id"]
    assert (answered == incoming) is kept
    err = capsys.readouterr().err
    assert access_lines(err)[-1]["request_id"] == answered
    if not kept:
        assert incoming not in err


def test_a_private_link_is_logged_as_its_route_pattern(client, world, capsys):
    secret = "a-private-link-token-0123456789abcdef"
    resp = client.get(f"/m/{secret}")
    assert resp.status_code == 404
    err = capsys.readouterr().err
    assert access_lines(err)[-1]["route"] == "/m/<token>"
    assert secret not in err


def test_log_lines_written_during_a_request_carry_its_request_id(tmp_path, clock, capsys):
    app = app_for(f"sqlite:///{tmp_path}/missing/bookme.db", clock)
    with app.app_context():
        resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    warnings = [
        line for line in log_lines(capsys.readouterr().err) if line["logger"] == "app.ops.health"
    ]
    assert warnings and warnings[0]["level"] == "warning"
    assert warnings[0]["request_id"] == resp.headers["X-Request-Id"]


def test_probes_log_at_debug_level_only(client, capsys):
    client.get("/healthz")
    client.get("/readyz")
    assert access_lines(capsys.readouterr().err) == []


def test_a_wizard_booking_logs_no_name_email_phone_or_note(client, world, capsys, caplog):
    with caplog.at_level(logging.DEBUG):
        hold(client, world, open_times(client, world))
        fill_details(client, **PERSONAL)
        page = client.get("/book/confirm").get_data(as_text=True)
        assert PERSONAL["name"] in page  # the details did reach the booking
        done = client.post("/book/confirm", data={"csrf_token": csrf_from(page)})
        assert done.status_code == 302
    assert_nothing_personal(capsys.readouterr().err + caplog.text, requests=5)


def test_an_api_booking_logs_no_name_email_phone_or_note(app, capsys, caplog):
    bank = make_bank()
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        held = api_reserve(client, bank, "tok-private").json
        booked = api_book(
            client,
            bank,
            held["id"],
            customerName=PERSONAL["name"],
            customerEmail=PERSONAL["email"],
            customerPhone=PERSONAL["phone"],
            description=PERSONAL["note"],
        )
        assert booked.status_code == 201, booked.json
        meeting = db.session.get(Meeting, booked.json["id"])
        assert meeting is not None and meeting.customer_email == PERSONAL["email"]
    assert_nothing_personal(capsys.readouterr().err + caplog.text, requests=2)


def assert_nothing_personal(written: str, requests: int) -> None:
    assert len(access_lines(written)) >= requests  # the log did record the requests
    for typed in PERSONAL.values():
        assert typed not in written


def test_console_format_is_readable_text_and_an_unknown_format_is_refused():
    record = logging.LogRecord("app.x", logging.WARNING, __file__, 1, "held %s", ("ok",), None)
    text = formatter("console").format(record)
    assert "held ok" in text and "warning" in text and not text.startswith("{")
    with pytest.raises(ValueError, match="BOOKME_LOG_FORMAT"):
        formatter("xml")
