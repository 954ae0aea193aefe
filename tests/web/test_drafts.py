"""The wizard's drafts on the server: keyed by an unguessable id, wiped on booking, purged after."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import WizardDraft
from tests.web.helpers import (
    DETAILS,
    book,
    choices_for,
    csrf_from,
    fill_details,
    hold,
    open_times,
    session_cookie,
    session_of,
    slot_values,
)


def _draft() -> WizardDraft:
    db.session.expire_all()
    draft = db.session.scalar(select(WizardDraft))
    assert draft is not None
    return draft


def _drafts() -> int:
    return int(db.session.scalar(select(func.count()).select_from(WizardDraft)) or 0)


def test_the_details_live_in_a_draft_named_by_an_unguessable_id_in_the_cookie(app, client, world):
    hold(client, world, open_times(client, world))
    fill_details(client)
    draft = _draft()
    assert session_of(app, client)["draft"] == draft.id and len(draft.id) >= 43
    assert draft.details["email"] == DETAILS["email"]
    other = app.test_client()
    assert 'value="karen@example.com"' not in other.get("/book/details").get_data(as_text=True)


def test_booking_wipes_the_details_from_the_draft_at_once(client, world):
    book(client, world)
    assert _draft().details == {}


def test_the_back_button_after_booking_still_lands_on_the_confirmation(client, world):
    booked = book(client, world)
    assert client.get("/book/details").location == booked.location
    assert client.get("/book/confirm").location == booked.location


def test_the_purge_deletes_drafts_a_grace_period_after_their_hold_ran_out(
    app, client, world, clock, runner
):
    hold(client, world, open_times(client, world))
    fill_details(client)
    clock.advance(minutes=5 + 29)
    assert "purged 0 wizard draft" in runner.invoke(args=["bookme", "purge-expired"]).output
    assert _drafts() == 1
    clock.advance(minutes=2)
    assert "purged 1 wizard draft" in runner.invoke(args=["bookme", "purge-expired"]).output
    assert _drafts() == 0


def test_a_draft_past_its_grace_is_not_read_even_before_the_purge(app, client, world, clock):
    hold(client, world, open_times(client, world))
    fill_details(client)
    clock.advance(minutes=5 + app.config["BOOKME_DRAFT_GRACE_MINUTES"])
    response = client.get("/book/details")
    assert response.status_code == 302 and "/book/details" not in response.location
    hold(client, world, open_times(client, world))
    assert "Karen Kunde" not in client.get("/book/details").get_data(as_text=True)
    assert session_of(app, client)["draft"] != _oldest_draft_id()


def _oldest_draft_id() -> str:
    db.session.expire_all()
    rows = db.session.scalars(select(WizardDraft).order_by(WizardDraft.expires_at)).all()
    return rows[0].id


def test_a_booked_draft_goes_with_the_purge(client, world, clock, runner):
    book(client, world)
    clock.advance(minutes=31)
    runner.invoke(args=["bookme", "purge-expired"])
    assert _drafts() == 0


def test_an_old_cookie_with_personal_data_is_rewritten_without_it(app, client, world):
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    legacy = {"details": {"name": "Karen Kunde"}, "last_booked": "x" * 32, "token": "t"}
    client.set_cookie(session_cookie(app), serializer.dumps(legacy))
    client.get("/book/details")
    assert set(session_of(app, client)) == {"token", "_flashes"}


def test_a_long_week_or_note_is_refused_or_dropped_not_an_error(client, world):
    html = open_times(client, world)
    form = {**choices_for(world), "slot": slot_values(html)[0], "csrf_token": csrf_from(html)}
    response = client.post("/book/hold", data={**form, "week": "9" * 5000})
    assert response.status_code == 302
    response = fill_details(client, note="n" * 100_000)
    assert response.status_code == 422
    assert len(_draft().details["note"]) <= 2000 and _draft().week == ""
