"""The session cookie is signed, not encrypted: it must carry ids only, never what was typed."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models import Meeting
from tests.web.helpers import (
    DETAILS,
    book,
    choices_for,
    csrf_from,
    fill_details,
    hold,
    open_times,
    session_of,
    slot_values,
)

ALLOWED_KEYS = {"token", "draft", "lang", "csrf_token", "_flashes"}


def test_after_the_details_step_the_cookie_holds_none_of_the_typed_values(app, client, world):
    hold(client, world, open_times(client, world))
    assert fill_details(client).status_code == 302
    data = session_of(app, client)
    text = json.dumps(data)
    for key, value in DETAILS.items():
        if key != "consent":
            assert value not in text, key
    assert set(data) <= ALLOWED_KEYS


def test_after_booking_the_cookie_holds_no_private_link_token(app, client, world):
    book(client, world)
    token = db.session.scalar(select(Meeting)).manage_token
    assert token not in json.dumps(session_of(app, client))
    assert set(session_of(app, client)) <= ALLOWED_KEYS


def test_moving_a_meeting_keeps_its_private_link_token_out_of_the_cookie(app, client, world):
    book(client, world)
    token = db.session.scalar(select(Meeting)).manage_token
    html = client.get(client.get(f"/m/{token}/move").location).get_data(as_text=True)
    form = {**choices_for(world), "move": token, "csrf_token": csrf_from(html)}
    client.post("/book/hold", data={**form, "slot": slot_values(html)[2]})
    assert "Move the meeting" in client.get(f"/m/{token}/move/confirm").get_data(as_text=True)
    assert token not in json.dumps(session_of(app, client))
