"""A booked meeting as the confirmation and the private-link pages show it."""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.localized import localized_name
from app.models import Employee, Location, Meeting, Room, Topic


@dataclass
class MeetingView:
    """The meeting with the names a customer needs."""

    meeting: Meeting
    advisor: str
    topic: str
    place: str

    @property
    def cancelled(self) -> bool:
        return self.meeting.status == "Cancelled"


def meeting_view(meeting: Meeting) -> MeetingView:
    """Look up the names behind the meeting's ids."""
    employee = db.session.get(Employee, meeting.employee_id)
    topic = db.session.get(Topic, meeting.topic_id) if meeting.topic_id else None
    location = db.session.get(Location, meeting.location_id) if meeting.location_id else None
    room = db.session.get(Room, meeting.room_id) if meeting.room_id else None
    place = ", ".join(
        p
        for p in (
            localized_name(location) if location else "",
            location.address if location else "",
            room.name if room else "",
        )
        if p
    )
    return MeetingView(
        meeting=meeting,
        advisor=employee.display_name if employee else "",
        topic=localized_name(topic) if topic else "",
        place=place if meeting.meeting_type == "Physical" else "",
    )
