"""Calendar files (RFC 5545) for meetings, built with `icalendar`.

`meeting_ics(meeting, *, now, title=None, description=None, location=None) -> bytes` gives one
VCALENDAR with one VEVENT: a UID that never changes for the meeting, SEQUENCE = `meeting.sequence`
(bumped by every change, so calendars replace the old copy), DTSTAMP = `now`, DTSTART/DTEND in
UTC (unambiguous across daylight-saving changes in every client), SUMMARY, DESCRIPTION, LOCATION,
ORGANIZER (the advisor), ATTENDEE (the customer, where an email is known) and STATUS. A cancelled
meeting gives METHOD:CANCEL with STATUS:CANCELLED. The API and the wizard both call it.
"""

from __future__ import annotations

import re
from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from app.extensions import db
from app.models import Customer, Employee, Location, Meeting, OrganisationSettings, Topic

PRODID = "-//BookMe//Meeting booking//EN"
UID_DOMAIN = "bookme"
PLACES = {"Online": "Online", "Telephone": "Telephone", "OffSite": "At the customer's address"}


def meeting_uid(meeting: Meeting) -> str:
    """The meeting's calendar UID: the same in every file ever produced for it."""
    return f"meeting-{meeting.id}@{UID_DOMAIN}"


def meeting_ics(
    meeting: Meeting,
    *,
    now: datetime,
    title: str | None = None,
    description: str | None = None,
    location: str | None = None,
) -> bytes:
    """The meeting as an RFC 5545 calendar file (CRLF lines, UTF-8)."""
    cancelled = meeting.status == "Cancelled"
    attendee = _attendee(meeting)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else ("REQUEST" if attendee else "PUBLISH"))
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", meeting.start_at)
    event.add("dtend", meeting.end_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.modified_at)
    event.add("summary", title or _default_title(meeting))
    event.add("description", description or _default_description(meeting))
    event.add("location", location or _default_location(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = _organizer(meeting)
    if organizer is not None:
        event.add("organizer", organizer)
    if attendee is not None:
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def _topic(meeting: Meeting) -> Topic | None:
    return db.session.get(Topic, meeting.topic_id) if meeting.topic_id else None


PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}|\{(\w+)\}")


def fill_template(template: str, values: dict[str, str]) -> str:
    """The vendor's `{{employee}}` and our `{advisor}` placeholders filled (names in any case);
    a placeholder it does not know stays as written."""

    def one(match: re.Match[str]) -> str:
        name = (match.group(1) or match.group(2)).lower()
        return values.get(name, match.group(0))

    return PLACEHOLDER.sub(one, template)


def _template_values(meeting: Meeting, org: OrganisationSettings | None) -> dict[str, str]:
    """What a title or description template may name (lower-case keys)."""
    topic = _topic(meeting)
    employee = db.session.get(Employee, meeting.employee_id)
    advisor = employee.display_name if employee else ""
    organisation = org.name if org else ""
    return {
        "topic": topic.name if topic else "Meeting",
        "advisor": advisor,
        "employee": advisor,
        "organisation": organisation,
        "organization": organisation,
        "type": meeting.meeting_type,
        "meetingtype": meeting.meeting_type,
    }


def _default_title(meeting: Meeting) -> str:
    """The meeting's own title, else the organisation's template, else the topic's name."""
    if meeting.title:
        return meeting.title
    org = db.session.get(OrganisationSettings, 1)
    values = _template_values(meeting, org)
    template = org.meeting_title_template if org else None
    return fill_template(template, values) if template else values["topic"]


def _default_description(meeting: Meeting) -> str:
    """The meeting's description, else the organisation's template, else a line naming the topic
    and the advisor."""
    if meeting.description:
        return meeting.description
    org = db.session.get(OrganisationSettings, 1)
    values = _template_values(meeting, org)
    template = org.meeting_description_template if org else None
    if template:
        return fill_template(template, values)
    who = f" with {values['advisor']}" if values["advisor"] else ""
    return f"{values['topic']}{who} ({meeting.meeting_type})"


def _default_location(meeting: Meeting) -> str:
    """The branch and its address for a physical meeting, else how the meeting happens."""
    if meeting.meeting_type == "Online" and meeting.video_link:
        return f"Online: {meeting.video_link}"
    if meeting.meeting_type in PLACES:
        return PLACES[meeting.meeting_type]
    branch = db.session.get(Location, meeting.location_id) if meeting.location_id else None
    if branch is None:
        return meeting.meeting_type
    return ", ".join(part for part in (branch.name, branch.address) if part)


def _organizer(meeting: Meeting) -> vCalAddress | None:
    """The advisor as ORGANIZER (a mailto address is required, so none without an email)."""
    employee = db.session.get(Employee, meeting.employee_id)
    if employee is None or not employee.email:
        return None
    address = vCalAddress(f"mailto:{employee.email}")
    address.params["cn"] = vText(employee.display_name)
    address.params["role"] = vText("CHAIR")
    return address


def _attendee(meeting: Meeting) -> vCalAddress | None:
    """The customer as ATTENDEE, when an email is known for them."""
    email, name = meeting.customer_email, meeting.customer_name
    if not email and meeting.customer_id:
        customer = db.session.get(Customer, meeting.customer_id)
        if customer is not None:
            email, name = customer.email, name or customer.name
    if not email:
        return None
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    address.params["role"] = vText("REQ-PARTICIPANT")
    address.params["partstat"] = vText("ACCEPTED")
    address.params["rsvp"] = vText("FALSE")
    return address
