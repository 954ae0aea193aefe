"""`flask bookme purge-expired` clears expired holds."""

from __future__ import annotations

from sqlalchemy import func, select

from app.booking.reservations import reserve
from app.extensions import db
from app.models import BookingClaim, Reservation


def test_purge_expired_command_marks_expired_holds_and_deletes_their_claims(bank, clock, runner):
    hold = reserve(bank.hold(), now=clock.now)
    clock.advance(minutes=6)
    result = runner.invoke(args=["bookme", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert "purged 1 expired reservation" in result.output
    db.session.expire_all()
    assert db.session.get(Reservation, hold.id).status == "Expired"
    assert db.session.scalar(select(func.count()).select_from(BookingClaim)) == 0


def test_purge_expired_command_leaves_live_holds_alone(bank, clock, runner):
    reserve(bank.hold(), now=clock.now)
    result = runner.invoke(args=["bookme", "purge-expired"])
    assert "purged 0 expired reservation" in result.output
    assert db.session.scalar(select(func.count()).select_from(BookingClaim)) == 2
