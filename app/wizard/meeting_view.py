"""A booked meeting as the confirmation and the private-link pages, and its calendar file, show it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.booking.ics import meeting_ics
from app.booking.joining import offsite_address, video_link_of
from app.booking.reference import reference_of
from app.extensions import db
from app.i18n import fmt_time, fmt_when
from app.localized import localized_name
from app.models import Employee, Location, Meeting, OrganisationSettings, Room, Topic


@dataclass
class MeetingView:
    """The meeting with the names and joining details a customer needs."""

    meeting: Meeting
    advisor: str
    topic: str
    place: str
    reference: str = ""
    video_link: str | None = None
    address: str = ""  # where an OffSite meeting is held
    room: str = ""  # the room's name, whatever the meeting type (the staff pages show it)

    @property
    def cancelled(self) -> bool:
        return self.meeting.status == "Cancelled"

    @property
    def phone_note(self) -> str:
        """Who phones whom, for a telephone meeting."""
        if self.meeting.meeting_type != "Telephone":
            return ""
        return _(
            "%(advisor)s calls you on %(phone)s.",
            advisor=self.advisor or _("Your advisor"),
            phone=self.meeting.customer_phone,
        )


def meeting_view(meeting: Meeting) -> MeetingView:
    """Look up the names behind the meeting's ids."""
    return _view(
        meeting,
        db.session.get(Employee, meeting.employee_id),
        db.session.get(Topic, meeting.topic_id) if meeting.topic_id else None,
        db.session.get(Location, meeting.location_id) if meeting.location_id else None,
        db.session.get(Room, meeting.room_id) if meeting.room_id else None,
    )


Named = TypeVar("Named", Employee, Topic, Location, Room)


def _by_id(model: type[Named], ids: Collection[str | None]) -> dict[str, Named]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(wanted)))}


def meeting_views(meetings: Sequence[Meeting]) -> list[MeetingView]:
    """The views of many meetings, in order: the names behind their ids read in one query per
    table, not one per meeting (the staff lists)."""
    employees = _by_id(Employee, [m.employee_id for m in meetings])
    topics = _by_id(Topic, [m.topic_id for m in meetings])
    locations = _by_id(Location, [m.location_id for m in meetings])
    rooms = _by_id(Room, [m.room_id for m in meetings])
    return [
        _view(
            m,
            employees.get(m.employee_id),
            topics.get(m.topic_id or ""),
            locations.get(m.location_id or ""),
            rooms.get(m.room_id or ""),
        )
        for m in meetings
    ]


def _view(
    meeting: Meeting,
    employee: Employee | None,
    topic: Topic | None,
    location: Location | None,
    room: Room | None,
) -> MeetingView:
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
        reference=reference_of(meeting),
        video_link=video_link_of(meeting, current_app.config.get("BOOKME_VIDEO_LINK_TEMPLATE")),
        address=offsite_address(meeting),
        room=room.name if room else "",
    )


def bank_name() -> str:
    """The bank's name as customers see it (calendar titles, mail senders and greetings)."""
    org = db.session.get(OrganisationSettings, 1)
    return org.name if org else "BookMe Bank"


def joining_lines(view: MeetingView) -> list[str]:
    """Where the meeting is or how to join it, in the current language: the one wording shared by
    the customer's calendar file and the e-mails (the pages show the same facts in _joining.html)."""
    meeting = view.meeting
    lines = []
    if view.video_link:
        lines.append(_("Join the video meeting: %(link)s", link=view.video_link))
    elif meeting.meeting_type == "Online":
        lines.append(_("Your advisor sends you the link to the video meeting."))
    if view.phone_note:
        lines.append(view.phone_note)
    if view.address:
        lines.append(_("We meet at: %(address)s", address=view.address))
    if view.place:
        lines.append(_("We meet at: %(address)s", address=view.place))
    return lines


def customer_ics(view: MeetingView, link: str | None, now: datetime) -> bytes:
    """The customer's calendar file, downloaded from the pages and attached to their e-mails:
    the bank's name in the title, and in the description the reference, how to join and the
    private link `link` (absolute; none when the meeting has no private link), in the current
    language. UID, SEQUENCE and METHOD are `meeting_ics`'s, so every copy replaces the last."""
    meeting = view.meeting
    title = _("%(topic)s with %(bank)s", topic=view.topic or _("Meeting"), bank=bank_name())
    where = view.place or view.address or view.video_link or view.phone_note
    lines = [
        _("Booking reference: %(reference)s", reference=view.reference),
        _("When: %(when)s", when=f"{fmt_when(meeting.start_at)}–{fmt_time(meeting.end_at)}"),
        _("Advisor: %(name)s", name=view.advisor),
        *joining_lines(view),
    ]
    if link:
        lines.append(_("See, move or cancel the meeting: %(link)s", link=link))
    return meeting_ics(
        meeting, now=now, title=title, description="\n".join(lines), location=where or None
    )
