"""What the booking-for-a-customer pages show: the "what" form's options from the configuration,
the booking's hold and the booked meeting with the names behind their ids. Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.booking.constants import MEETING_TYPES
from app.booking.errors import NotFound
from app.booking.reservations import RESERVED, get_reservation, live_status
from app.extensions import db
from app.models import (
    CustomerType,
    Location,
    Meeting,
    Reservation,
    Room,
    Topic,
    WizardDraft,
)
from app.staff.auth import hold_owner
from app.staff.booking import AUTO, NO_ROOM, StaffChoices, bookable_advisors
from app.staff.forms import MeetingChoicesForm
from app.staff.meeting_detail import advisor_names
from app.wizard.choices import MEETING_TYPE_LABELS, customer_type_label


def what_form(form: MeetingChoicesForm | None, kept: StaffChoices | None) -> MeetingChoicesForm:
    """The "what" form with its options (a posted form keeps its answers, else the kept ones)."""
    if form is None:
        form = MeetingChoicesForm(formdata=None, data=_data(kept))
    topics = db.session.scalars(select(Topic).order_by(Topic.order, Topic.name)).all()
    form.topic.choices = [("", _("Choose a topic"))] + [
        (t.id, t.name if t.is_customer else _("%(topic)s (staff only)", topic=t.name))
        for t in topics
    ]
    form.meeting_type.choices = [("", _("Choose how to meet"))] + [
        (m, str(MEETING_TYPE_LABELS[m])) for m in MEETING_TYPES
    ]
    types = db.session.scalars(select(CustomerType).order_by(CustomerType.name)).all()
    form.customer_type.choices = [("", _("Any"))] + [
        (c.id, customer_type_label(c.name)) for c in types
    ]
    locations = db.session.scalars(select(Location).order_by(Location.name)).all()
    form.location.choices = [("", _("Any branch"))] + [(loc.id, loc.name) for loc in locations]
    form.advisors.choices = [(e.id, e.display_name) for e in bookable_advisors()]
    rooms = db.session.scalars(
        select(Room).where(Room.can_be_booked.is_(True)).order_by(Room.name)
    ).all()
    names = {loc.id: loc.name for loc in locations}
    form.room.choices = [(AUTO, _("Automatic")), (NO_ROOM, _("No room"))] + [
        (r.id, f"{r.name} ({names.get(r.location_id, '')})") for r in rooms
    ]
    return form


def _data(kept: StaffChoices | None) -> dict[str, object]:
    if kept is None:
        return {"room": AUTO}
    return {
        "topic": kept.topic,
        "meeting_type": kept.meeting_type,
        "customer_type": kept.customer_type or "",
        "location": kept.location or "",
        "area": kept.area or "",
        "advisors": list(kept.advisors),
        "room": kept.room,
        "ignore_notice": kept.ignore_notice,
    }


@dataclass
class Summary:
    """A hold or a meeting with names: when, what, with whom, where."""

    start: datetime
    end: datetime
    meeting_type: str
    topic: str
    advisors: list[str]
    room: str
    place: str
    live: bool = True
    expires_at: datetime | None = None
    customer: dict[str, str] = field(default_factory=dict)
    manage_token: str | None = None
    now: datetime | None = None

    @property
    def seconds_left(self) -> int:
        """Seconds until the hold runs out, for the countdown."""
        if self.expires_at is None or self.now is None:
            return 0
        return max(0, int((self.expires_at - self.now).total_seconds()))


def _names(row: Reservation | Meeting) -> tuple[str, list[str], str, str]:
    """The topic, the advisors (lead first), the room and the branch of a hold or meeting."""
    topic = db.session.get(Topic, row.topic_id) if row.topic_id else None
    room = db.session.get(Room, row.room_id) if row.room_id else None
    place = room.location.name if room is not None else ""
    return (
        (topic.name if topic else ""),
        advisor_names(row),
        (room.name if room else ""),
        place,
    )


def hold_summary(draft: WizardDraft | None, now: datetime) -> Summary | None:
    """The booking's hold while it keeps its time, else None."""
    if draft is None or not draft.reservation_id:
        return None
    try:
        hold = get_reservation(draft.reservation_id, owner=hold_owner())
    except NotFound:
        return None
    if live_status(hold, now) != RESERVED:
        return None
    topic, advisors, room, place = _names(hold)
    return Summary(
        hold.start_at,
        hold.end_at,
        hold.meeting_type or "",
        topic,
        advisors,
        room,
        place,
        expires_at=hold.expires_at,
        now=now,
    )


def meeting_summary(meeting: Meeting) -> Summary:
    """The booked meeting, with its customer and private-link token."""
    topic, advisors, room, place = _names(meeting)
    if not place and meeting.location_id:
        location = db.session.get(Location, meeting.location_id)
        place = location.name if location else ""
    return Summary(
        meeting.start_at,
        meeting.end_at,
        meeting.meeting_type,
        topic,
        advisors,
        room,
        place,
        customer={
            "number": meeting.customer_id or "",
            "name": meeting.customer_name,
            "email": meeting.customer_email,
            "phone": meeting.customer_phone,
        },
        manage_token=meeting.manage_token,
    )
