"""Markup typed into configuration by an admin (or into the form by a customer) shows as text.

Every admin-editable name and description gets `<script>` or an attribute breaker; every wizard
page must show the escaped text and never the raw markup.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.extensions import db
from app.models import Meeting
from tests import factories
from tests.web.data import World
from tests.web.helpers import (
    book,
    choices_for,
    csrf_from,
    fill_details,
    hold,
    open_times,
    slot_values,
)

SCRIPT = "<script>alert(1)</script>"
BREAKER = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(", "<img src=x")


def hostile(label: str, n: int) -> str:
    """A name carrying one of the two payloads (alternating, so both reach every kind of place)."""
    return f"{label} {SCRIPT if n % 2 else BREAKER}"


@pytest.fixture
def names(world: World) -> dict[str, str]:
    """Rename every admin-editable text the wizard shows; returns the new texts by what they name."""
    room = factories.room(world.branch)
    world.branch.require_room = True
    texts = {
        "org": hostile("Bank", 0),
        "private": hostile("Private", 1),
        "business": hostile("Business", 0),
        "mortgage": hostile("Mortgage", 0),
        "mortgage_description": hostile("Buying a home", 1),
        "phone_only": hostile("Quick", 1),
        "branch": hostile("North", 1),
        "address": hostile("Street 1", 0),
        "other_branch": hostile("Aarhus", 0),
        "room": hostile("Room", 1),
        "anna": hostile("Anna", 1),
        "bo": hostile("Bo", 0),
        "closing_day": hostile("Staff day", 1),
    }
    factories.settings(name=texts["org"])
    factories.closing_day(date(2026, 3, 6), texts["closing_day"])
    world.private.name, world.business.name = texts["private"], texts["business"]
    world.mortgage.name = texts["mortgage"]
    world.mortgage.description = texts["mortgage_description"]
    world.phone_only.name = texts["phone_only"]
    world.branch.name, world.branch.address = texts["branch"], texts["address"]
    world.other_branch.name, room.name = texts["other_branch"], texts["room"]
    for person, key in ((world.anna, "anna"), (world.bo, "bo")):
        person.display_name = person.first_name = person.last_name = texts[key]
    db.session.commit()
    return texts


def assert_text(html: str, *shown: str) -> None:
    """No raw markup on the page; each of `shown` appears escaped."""
    for raw in RAW:
        assert raw not in html
    for text in shown:
        assert str(escape(text)) in html, text


def test_step_one_shows_names_and_descriptions_as_text(client, world, names):
    # the chosen branch's address shows under the list (the options carry names only)
    query = {"customer_type": world.private.id, "location": world.branch.id}
    html = client.get("/book", query_string=query).get_data(as_text=True)
    assert_text(
        html,
        names["org"],
        names["private"],
        names["business"],
        names["mortgage"],
        names["mortgage_description"],
        names["branch"],
        names["address"],
        names["other_branch"],
    )
    partial = client.get(
        "/book", query_string=choices_for(world), headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert_text(partial, names["private"], names["mortgage"], names["branch"])


def test_the_grid_and_the_hold_show_names_as_text(client, world, names):
    html = open_times(client, world)
    assert_text(html, names["mortgage"], names["branch"], names["anna"], names["bo"])
    assert_text(html, names["closing_day"])
    grid = client.get(
        "/book/times", query_string=choices_for(world), headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert_text(grid, names["anna"], names["closing_day"])
    response = hold(client, world, html, **{"HX-Request": "true"})
    assert response.status_code == 200
    place = (names["mortgage"], names["branch"], names["address"], names["room"])
    assert_text(response.get_data(as_text=True), *place)
    assert_text(open_times(client, world), *place)


def test_details_and_confirm_show_names_and_what_the_customer_typed_as_text(client, world, names):
    hold(client, world, open_times(client, world))
    assert_text(client.get("/book/details").get_data(as_text=True), names["room"])
    typed = {"name": hostile("Karen", 1), "note": hostile("Note", 0)}
    assert fill_details(client, **typed).status_code == 302
    html = client.get("/book/confirm").get_data(as_text=True)
    assert_text(html, names["mortgage"], names["address"], names["room"], *typed.values())
    assert_text(client.get("/book/details").get_data(as_text=True), *typed.values())


def test_the_confirmation_and_the_private_link_show_names_as_text(client, world, names):
    booked = book(client, world)
    shown = (names["org"], names["mortgage"], names["branch"], names["address"], names["room"])
    assert_text(client.get(booked.location).get_data(as_text=True), *shown)
    token = db.session.scalar(select(Meeting)).manage_token
    assert_text(client.get(f"/m/{token}").get_data(as_text=True), *shown)


def test_the_move_flow_shows_names_as_text(client, world, names):
    book(client, world)
    token = db.session.scalar(select(Meeting)).manage_token
    html = client.get(client.get(f"/m/{token}/move").location).get_data(as_text=True)
    assert_text(html, names["mortgage"], names["branch"], names["closing_day"])
    form = {**choices_for(world), "move": token, "csrf_token": csrf_from(html)}
    client.post("/book/hold", data={**form, "slot": slot_values(html)[2]})
    page = client.get(f"/m/{token}/move/confirm").get_data(as_text=True)
    assert "Move the meeting" in page
    assert_text(page, names["mortgage"], names["address"], names["room"])


def test_demo_customer_type_names_are_still_shown_in_danish(client, world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    html = client.get("/book").get_data(as_text=True)
    assert "<span>Privat</span>" in html and "<span>Erhverv</span>" in html


GETTEXT_NAMES = {"_", "gettext", "lazy_gettext", "_l", "ngettext", "lazy_ngettext"}
ROOT = Path(__file__).resolve().parents[2]


def test_no_template_passes_data_through_gettext_or_marks_it_safe():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b_\(\s*[^\"'\s]", text), path
        assert not re.search(r"\|\s*safe\b|Markup\(", text), path


def test_python_calls_gettext_with_literal_messages_only():
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT_NAMES:
                first = node.args[0] if node.args else None
                literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                assert literal, f"{path}:{node.lineno}"
