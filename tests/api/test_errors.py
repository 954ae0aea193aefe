"""Errors are JSON with a code; a 500 shows only a request id and logs the trace under it."""

from __future__ import annotations

import logging

import pytest

from app.api import routes_availability
from app.api.errors import RequestValidationError
from app.booking.errors import Conflict, Forbidden, InvalidRequest, NotFound
from tests import factories

URL = "/bookme/time-slots/available?requireEmployeeParticipation=true"


@pytest.fixture
def raising(nodb_app, monkeypatch, read_token):  # type: ignore[no-untyped-def]
    """Call the availability route with its service raising `exc`."""

    def call(exc: BaseException, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        def boom(query, now):  # type: ignore[no-untyped-def]
            raise exc

        monkeypatch.setattr(routes_availability, "find_slots", boom)
        return nodb_app.test_client().get(
            URL, headers={"Authorization": f"Bearer {read_token}", **(headers or {})}
        )

    return call


@pytest.fixture
def read_token(nodb_app, clock) -> str:  # type: ignore[no-untyped-def]
    return factories.token("c1", ["bookme.read"], now=clock.now)


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (InvalidRequest("bad topic", field="topic"), 400, "BAD_REQUEST"),
        (NotFound("topic", "t-1"), 404, "NOT_FOUND"),
        (Conflict("the slot is taken"), 409, "CONFLICT"),
        (Forbidden("not yours"), 403, "FORBIDDEN"),
    ],
)
def test_domain_errors_map_to_their_status_codes(raising, exc, status, code):
    resp = raising(exc)
    assert resp.status_code == status
    assert resp.json["code"] == code
    assert resp.json["message"] == exc.message
    assert resp.headers["X-Request-Id"]


def test_an_invalid_request_lists_the_field(raising):
    resp = raising(InvalidRequest("bad topic", field="topic"))
    assert resp.json["errors"] == [{"field": "topic", "message": "bad topic"}]


def test_several_invalid_fields_are_listed(raising):
    errors = [{"field": "a", "message": "x"}, {"field": "b", "message": "y"}]
    assert raising(RequestValidationError(errors)).json["errors"] == errors


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_crash_answers_500_with_only_a_request_id_and_logs_the_trace(raising):
    collect = _Collect()
    logger = logging.getLogger("app.api")
    logger.addHandler(collect)
    try:
        resp = raising(RuntimeError("SELECT secret FROM customers"))
    finally:
        logger.removeHandler(collect)
    assert resp.status_code == 500
    body = resp.json
    assert body["code"] == "INTERNAL_SERVER_ERROR"
    rid = resp.headers["X-Request-Id"]
    assert body["requestId"] == rid and rid in body["message"]
    assert "SELECT" not in resp.get_data(as_text=True)
    assert "Traceback" not in resp.get_data(as_text=True)
    (record,) = [r for r in collect.records if rid in r.getMessage()]
    assert record.exc_info and "SELECT secret" in str(record.exc_info[1])


def test_a_sane_caller_request_id_is_kept(raising):
    resp = raising(RuntimeError("x"), headers={"X-Request-Id": "trace-1234abcd"})
    assert resp.headers["X-Request-Id"] == "trace-1234abcd"
    assert resp.json["requestId"] == "trace-1234abcd"


def test_an_unsafe_caller_request_id_is_replaced(raising):
    resp = raising(RuntimeError("x"), headers={"X-Request-Id": "<script>"})
    assert resp.headers["X-Request-Id"] != "<script>"


def test_an_unknown_api_path_is_a_json_404(nodb_app):
    resp = nodb_app.test_client().get("/bookme/no-such-thing")
    assert resp.status_code == 404
    assert resp.is_json and resp.json["code"] == "NOT_FOUND"


def test_a_wrong_method_on_an_api_path_is_a_json_405_with_allow(nodb_app):
    resp = nodb_app.test_client().delete("/config/employees")
    assert resp.status_code == 405
    assert resp.is_json and resp.json["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in resp.headers["Allow"]


def test_pages_outside_the_api_keep_their_html_404(nodb_app):
    resp = nodb_app.test_client().get("/no-such-page")
    assert resp.status_code == 404
    assert not resp.is_json
