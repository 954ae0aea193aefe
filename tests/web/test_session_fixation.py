"""Session fixation: a session cookie planted in a customer's browser (by a sibling subdomain, over
plain http, ...) must lead its planter to nothing the customer chose, typed or booked."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Meeting
from tests.web.data import World
from tests.web.helpers import (
    DETAILS,
    csrf_from,
    fill_details,
    hold,
    open_times,
    session_cookie,
    slot_labels,
)

TYPED = [DETAILS[k] for k in ("name", "email", "phone", "customer_number", "note")]
MALLORY = {
    "name": "Mallory Mole",
    "email": "mallory@example.com",
    "phone": "+45 99 99 99 99",
    "customer_number": "C-6666",
    "note": "Just looking",
}


def _plant(
    app: Flask, world: World, *, with_details: bool = False
) -> tuple[FlaskClient, FlaskClient]:
    """The attacker takes a hold (and types their own details) and plants their cookie in the
    victim's browser; returns (attacker, victim)."""
    attacker = app.test_client()
    hold(attacker, world, open_times(attacker, world))
    if with_details:
        fill_details(attacker, **MALLORY)
    victim = app.test_client()
    victim.set_cookie(session_cookie(app), attacker.get_cookie(session_cookie(app)).value)
    return attacker, victim


def _what_the_attacker_reaches(attacker: FlaskClient, world: World, chosen: str) -> list[str]:
    """Everything of the victim's that the attacker's copy of the cookie reaches by looking
    (empty: nothing)."""
    found = []
    for path in ("/book/details", "/book/confirm"):
        response = attacker.get(path)
        body = response.get_data(as_text=True)
        found += [f"{path} shows {value!r}" for value in TYPED if value in body]
        if response.location and (
            "/book/booked/" in response.location or "/m/" in response.location
        ):
            found.append(f"{path} leads to the victim's private page {response.location}")
        if chosen in body:
            found.append(f"{path} shows the victim's time {chosen!r}")
    page = open_times(attacker, world)
    panel = page.split('id="hold"', 1)[1].split("</section>", 1)[0] if 'id="hold"' in page else ""
    if chosen in panel:
        found.append(f"the times page holds the victim's time {chosen!r}")
    return found


def _attacker_confirms(attacker: FlaskClient, world: World) -> list[str]:
    """What a confirm sent with the attacker's copy of the cookie reaches (empty: nothing)."""
    response = attacker.post(
        "/book/confirm", data={"csrf_token": csrf_from(open_times(attacker, world))}
    )
    if response.location and "/book/booked/" in response.location:
        return [f"a confirm leads to the victim's private page {response.location}"]
    return []


def _victim_books(attacker: FlaskClient, victim: FlaskClient, world: World) -> dict[str, list[str]]:
    """The victim picks the second time, types their details and books; after each step, what the
    attacker reaches."""
    html = open_times(victim, world)
    chosen = slot_labels(html)[1]
    reached = {}
    assert hold(victim, world, html, index=1).status_code == 302
    reached["after the hold"] = _what_the_attacker_reaches(attacker, world, chosen)
    assert fill_details(victim).status_code == 302
    reached["after the details"] = _what_the_attacker_reaches(attacker, world, chosen)
    page = victim.get("/book/confirm").get_data(as_text=True)
    booked = victim.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert "/book/booked/" in booked.location
    reached["after booking"] = _what_the_attacker_reaches(attacker, world, chosen)
    reached["after booking"] += _attacker_confirms(attacker, world)
    assert "Your meeting is booked" in victim.get(booked.location).get_data(as_text=True)
    assert victim.get("/book/details").location == booked.location  # the back button still works
    return reached


def test_a_planted_cookie_reaches_nothing_the_customer_chose_typed_or_booked(app, world):
    attacker, victim = _plant(app, world)
    reached = _victim_books(attacker, victim, world)
    assert reached == {step: [] for step in reached}


def test_a_planted_cookie_whose_draft_holds_details_reaches_nothing_typed_over_them(app, world):
    attacker, victim = _plant(app, world, with_details=True)
    reached = _victim_books(attacker, victim, world)
    assert reached == {step: [] for step in reached}


def test_a_planted_cookie_whose_hold_ran_out_reaches_nothing_either(app, world, clock):
    attacker, victim = _plant(app, world)
    clock.advance(minutes=6)
    reached = _victim_books(attacker, victim, world)
    assert reached == {step: [] for step in reached}


def test_details_typed_without_choosing_a_time_take_the_planted_hold_away_from_its_planter(
    app, world
):
    planted_time = slot_labels(open_times(app.test_client(), world))[0]
    attacker, victim = _plant(app, world)
    assert planted_time in attacker.get("/book/details").get_data(as_text=True)
    assert fill_details(victim).status_code == 302
    assert _what_the_attacker_reaches(attacker, world, planted_time) == []
    page = victim.get("/book/confirm").get_data(as_text=True)
    assert (
        "/book/booked/"
        in victim.post("/book/confirm", data={"csrf_token": csrf_from(page)}).location
    )


def test_the_planter_cannot_confirm_the_booking_the_customer_is_making(app, world):
    attacker, victim = _plant(app, world)
    hold(victim, world, open_times(victim, world), index=1)
    fill_details(victim)
    assert _attacker_confirms(attacker, world) == []
    assert db.session.scalar(select(Meeting)) is None


def test_a_secure_session_cookie_is_named_with_the_host_prefix_so_no_sibling_host_can_set_it(
    app, client, world
):
    app.config["SESSION_COOKIE_SECURE"] = True
    hold(client, world, open_times(client, world))
    cookie = fill_details(client).headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain=" not in cookie


def test_a_cookie_planted_under_the_plain_name_is_not_read_when_cookies_are_secure(app, world):
    app.config["SESSION_COOKIE_SECURE"] = True
    attacker = app.test_client()
    hold(attacker, world, open_times(attacker, world))
    victim = app.test_client()
    victim.set_cookie("session", attacker.get_cookie("__Host-session").value)
    assert victim.get("/book/details").status_code == 302  # no hold: the planted draft is not read


def test_without_secure_cookies_the_session_cookie_keeps_its_plain_name(app, client, world):
    app.config["SESSION_COOKIE_SECURE"] = False  # BOOKME_INSECURE_COOKIES=1, plain http on loopback
    response = hold(client, world, open_times(client, world))
    assert response.headers["Set-Cookie"].startswith("session=")
    assert "Secure" not in response.headers["Set-Cookie"]


def test_a_cookie_copied_on_the_confirm_page_reaches_nothing_once_the_meeting_is_booked(
    app, client, world
):
    hold(client, world, open_times(client, world))
    fill_details(client)
    page = client.get("/book/confirm").get_data(as_text=True)
    copy = app.test_client()
    copy.set_cookie(session_cookie(app), client.get_cookie(session_cookie(app)).value)
    booked = client.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert "/book/booked/" in booked.location
    for path in ("/book/details", "/book/confirm"):
        assert "/book/booked/" not in (copy.get(path).location or "")
    assert client.get("/book/details").location == booked.location  # the back button


def test_after_the_customers_hold_the_planter_cannot_release_it_with_the_shared_token(app, world):
    attacker, victim = _plant(app, world)
    html = open_times(victim, world)
    assert hold(victim, world, html, index=1).status_code == 302
    hold(attacker, world, open_times(attacker, world), index=2)
    assert slot_labels(html)[1] in victim.get("/book/details").get_data(as_text=True)
