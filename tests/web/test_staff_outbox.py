"""A cancellation on the staff pages owes the customer and the advisors their messages, with the
reason, naming the staff account by its id (never its e-mail address)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.notifications.models import OutboxMessage
from tests.web.test_staff_meetings import ADVISOR, _cancel, advisor, meetings  # noqa: F401


def test_a_staff_cancellation_writes_its_messages_with_the_reason(advisor, meetings):  # noqa: F811
    meeting = meetings["today"]
    assert _cancel(advisor, meeting.id, "Customer called in sick").status_code == 302
    user = db.session.scalar(select(User).where(User.email == ADVISOR))
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.event == "meeting.cancelled")
    ).all()
    assert rows and {r.meeting_id for r in rows} == {meeting.id}
    for row in rows:
        assert row.payload["channel"] == "staff" and row.payload["actor"] == f"user:{user.id}"
        assert row.payload["reason"] == "Customer called in sick"
        assert ADVISOR not in str(row.payload)
