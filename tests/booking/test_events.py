"""A listener that fails never turns a committed booking into an error, and its log names no one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from app.booking import events
from app.booking.meeting_changes import cancel_meeting
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.reservations import reserve
from app.extensions import db
from app.models import Meeting


@pytest.fixture
def failing_listener() -> Iterator[list[str]]:
    """A listener on every booking event that raises with personal data in its message."""
    heard: list[str] = []

    def listener(sender: Any, **_: Any) -> None:
        heard.append(type(sender).__name__)
        raise RuntimeError("listener broke for Karen Blixen karen@example.com")

    signals = (events.hold_created, events.meeting_booked, events.meeting_cancelled)
    for signal in signals:
        signal.connect(listener, weak=False)
    yield heard
    for signal in signals:
        signal.disconnect(listener)


def test_a_listener_that_raises_leaves_the_booking_committed_and_logs_no_personal_data(
    bank, clock, failing_listener, caplog
):
    caplog.set_level(logging.WARNING)
    hold = reserve(bank.hold("tok-ev"), now=clock.now)
    request = MeetingRequest(
        time_slot_id=hold.id,
        meeting_type="Physical",
        topic_id=bank.topic.id,
        customer_name="Karen Blixen",
        customer_email="karen@example.com",
    )
    meeting = create_meeting(request, now=clock.now)
    cancel_meeting(meeting.id, reason="moved abroad", now=clock.now)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "Cancelled"
    assert failing_listener == ["Reservation", "Meeting", "Meeting"]
    logged = caplog.text
    assert "hold-created" in logged and "meeting-booked" in logged
    assert "Karen" not in logged and "karen@" not in logged and "abroad" not in logged
