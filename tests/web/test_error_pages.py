"""The site's own 400/404/405/413/500/503 pages: branded, in the visitor's language, right status."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.unavailable import RETRY_AFTER_SECONDS
from app.wizard import routes, routes_finish
from tests.api.test_database_unavailable import refused_url

DANISH = {"Accept-Language": "da"}


def assert_branded(resp, status: int, heading: str, lang: str = "en") -> str:  # type: ignore[no-untyped-def]
    """The page has the site's header, language and heading, and shows no internals."""
    assert resp.status_code == status
    assert resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert 'class="site-header"' in html and 'href="/static/css/app.css?v=' in html
    assert f"<h1>{heading}</h1>" in html
    for leak in ("Traceback", "Werkzeug", "sqlalchemy", "psycopg", "SELECT"):
        assert leak not in html
    return html


def test_an_unknown_page_is_the_sites_own_404(client):
    assert_branded(client.get("/no-such-page"), 404, "Page not found")


def test_the_404_speaks_danish_to_danish_browsers(client):
    assert_branded(client.get("/no-such-page", headers=DANISH), 404, "Siden blev ikke fundet", "da")


@pytest.mark.parametrize(
    "path",
    ["/m/%00abcdefabcdefabcdefabcdefabcdef", "/book/booked/%00abc", "/m/a%00b/move", "/m/x%01y"],
)
def test_a_private_link_with_a_nul_is_the_404_page(client, path):
    assert_branded(client.get(path), 404, "Page not found")


def test_a_wrong_method_is_a_branded_405_with_allow(client):
    resp = client.delete("/book")
    assert_branded(resp, 405, "Please try again")
    assert "GET" in resp.headers["Allow"]


def test_a_form_over_the_size_limit_is_the_413_page(app, client):
    big = "a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    resp = client.post("/book/details", data={"name": big})
    assert_branded(resp, 413, "Too much to send")


def test_a_nul_in_a_form_field_is_the_400_page(client):
    resp = client.post("/book/details", data={"name": "a\x00b"})
    assert_branded(resp, 400, "Please try again")


@pytest.fixture
def crashing(app, monkeypatch):  # type: ignore[no-untyped-def]
    """Step 1 raising an unexpected error, answered as in production (not re-raised)."""

    def boom(choices):  # type: ignore[no-untyped-def]
        raise RuntimeError("SELECT secret FROM customers")

    monkeypatch.setattr(routes, "resolve", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False


def test_a_crash_is_the_sites_own_500_with_a_reference_and_no_trace(crashing, client, caplog):
    html = assert_branded(client.get("/book"), 500, "Something went wrong")
    match = re.search(r"give this reference: ([0-9a-f]{8})<", html)
    assert match, html
    (line,) = [r.getMessage() for r in caplog.records if r.name == "app.wizard"]
    assert f"request_id={match.group(1)}" in line and "RuntimeError" in line


def test_the_500_speaks_danish(crashing, client):
    assert_branded(client.get("/book", headers=DANISH), 500, "Noget gik galt", "da")


@pytest.fixture
def down_client(tmp_path, clock) -> Iterator:  # type: ignore[no-untyped-def]
    """A test client of the app pointed at a PostgreSQL server that refuses connections."""
    app: Flask = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "SQLALCHEMY_DATABASE_URI": refused_url(),
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
        }
    )
    with app.app_context():
        yield app.test_client()


@pytest.mark.parametrize("path", ["/book", "/book/times?topic=t", "/m/abcdefabcdefabcdefabcdef"])
def test_an_unreachable_database_is_the_503_page_with_retry_after(down_client, path):
    resp = down_client.get(path)
    html = assert_branded(resp, 503, "Booking is paused for a moment")
    assert resp.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "127.0.0.1" not in html


def test_the_503_page_speaks_danish(down_client):
    resp = down_client.get("/book", headers=DANISH)
    assert_branded(resp, 503, "Booking er sat på pause et øjeblik", "da")


def test_the_503_logs_one_warning_without_the_private_link(down_client, caplog):
    token = "abcdefabcdefabcdefabcdef"
    assert down_client.get(f"/m/{token}").status_code == 503
    assert token not in caplog.text
    (record,) = [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert "/m/<token>" in record.getMessage() and "OperationalError" in record.getMessage()


def test_another_database_error_is_still_the_500_page(app, client, monkeypatch):
    def boom(choices):  # type: ignore[no-untyped-def]
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    monkeypatch.setattr(routes, "resolve", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert_branded(client.get("/book"), 500, "Something went wrong")


def test_a_crash_on_a_private_link_logs_the_trace_but_not_the_link(
    app, client, monkeypatch, caplog
):
    token = "abcdefabcdefabcdefabcdef"

    def boom(given):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(routes_finish, "_meeting_by_token", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert_branded(client.get(f"/m/{token}"), 500, "Something went wrong")
    assert token not in caplog.text
    traced = [r for r in caplog.records if r.exc_info]
    assert traced and "/m/<token>" in traced[0].getMessage()


@pytest.mark.parametrize(
    "path", ["/book?move=%00", "/book?advisor=%00", "/book/times?move=%00", "/book?topic=a%00b"]
)
def test_a_nul_in_a_pages_query_is_the_400_page(client, path):
    resp = client.get(path)
    assert resp.status_code == 400


def test_a_control_character_in_the_language_switch_target_goes_home(client):
    resp = client.get("/language/da?next=/x%0Ay")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_a_nul_in_the_second_value_of_a_repeated_field_is_the_400_page(client):
    assert client.get("/book?topic=x&topic=a%00b").status_code == 400


HTMX = {"HX-Request": "true"}


def test_an_htmx_request_to_an_unreachable_database_reloads_the_page_to_show_the_503(down_client):
    resp = down_client.get("/book/times?topic=t", headers=HTMX)
    assert resp.status_code == 503 and resp.headers["HX-Refresh"] == "true"
    assert "HX-Refresh" not in down_client.get("/book/times?topic=t").headers


def test_an_htmx_request_that_fails_reloads_the_page_instead_of_showing_nothing(client):
    assert client.get("/no-such-page", headers=HTMX).headers["HX-Refresh"] == "true"
    assert "HX-Refresh" not in client.get("/no-such-page").headers
