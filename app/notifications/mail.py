"""E-mails for outbox messages: rendered at delivery from the database, sent over SMTP.

`build_message(row, now=...)` renders one message in the meeting's language (HTML and plain
text) with the calendar file attached -- the customer's own file (`customer_ics`, the one the
private-link page offers) for the customer, the plain meeting file for the advisor -- or gives
None when its recipient no longer has an address. The calendar file always shows the meeting as it is now, with its current SEQUENCE, so
a message delivered late never sets a calendar back. Links only lead to pages: nothing in a
mail changes anything on GET, and there are no tracking images.
"""

from __future__ import annotations

import email.policy
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from icalendar import Calendar

from app.booking.ics import meeting_ics
from app.extensions import db
from app.i18n import LANGUAGES, fmt_time, fmt_when, zone_label
from app.models import Meeting
from app.notifications.models import OutboxMessage
from app.notifications.outbox import (
    ADVISOR,
    API,
    BOOKED,
    CANCELLED,
    MOVED,
    REMINDER,
    STAFF,
    advisor_addresses,
    customer_address,
)
from app.wizard.choices import MEETING_TYPE_LABELS
from app.wizard.meeting_view import (
    MeetingView,
    bank_name,
    customer_ics,
    joining_lines,
    meeting_view,
)

# Long enough that a subject is not folded: Python folds before an encoded word leaving a space
# on both sides, which readers then show as two.
HEADERS_POLICY = email.policy.default.clone(max_line_length=200)
NAME_MAX = 200  # a display name longer than this is cut (the address is what delivers)


class InvalidRecipient(ValueError):
    """The recipient's address is not one plain address (a second address, a line break):
    retrying cannot help. Carries no text: the address is personal data."""


def build_message(row: OutboxMessage, *, now: datetime) -> EmailMessage | None:
    """The e-mail for one outbox row, or None when there is nothing to send any more: its
    recipient has no address, or the meeting was cancelled since (its cancellation follows)."""
    meeting = db.session.get(Meeting, row.meeting_id)
    if meeting is None or _superseded(row, meeting):
        return None
    recipient = _recipient(row, meeting)
    if recipient is None:
        return None
    locale = (
        meeting.locale if meeting.locale in LANGUAGES else current_app.config["BOOKME_MAIL_LOCALE"]
    )
    bank = bank_name()
    audience = row.payload.get("to", "customer")
    with force_locale(locale):
        view = meeting_view(meeting)  # names in the meeting's language
        context = _context(row, view, recipient[1], bank, audience)
        subject = _subject(row.event, audience, context)
        text = render_template(f"mail/{audience}.txt", **context)
        html = render_template(f"mail/{audience}.html", subject=subject, **context)
        calendar = (
            meeting_ics(meeting, now=now)
            if audience == ADVISOR
            else customer_ics(view, context["link"] or None, now)
        )
    message = EmailMessage(policy=HEADERS_POLICY)
    sender = current_app.config["BOOKME_SMTP_SENDER"]
    message["From"] = Address(display_name=_one_line(bank), addr_spec=sender)
    message["To"] = _recipient_header(*recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(row.id, sender)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    _attach_calendar(message, calendar)
    message["Content-Language"] = locale  # after the body: setting content clears Content-*
    return message


def _superseded(row: OutboxMessage, meeting: Meeting) -> bool:
    """Cancelled since (its cancellation follows), or a reminder of a time since moved."""
    if row.event != CANCELLED and meeting.status == "Cancelled":
        return True
    start = row.payload.get("start")
    return row.event == REMINDER and start != meeting.start_at.isoformat()


def message_id(outbox_id: str, sender: str) -> str:
    """The stable Message-ID of an outbox message: the same at every attempt."""
    domain = sender.rpartition("@")[2] or "bookme.invalid"
    return f"<{outbox_id}@{domain}>"


def _recipient(row: OutboxMessage, meeting: Meeting) -> tuple[str, str] | None:
    """(address, name) of whom the row is for."""
    if row.payload.get("to") == ADVISOR:
        employee_id = str(row.payload.get("employee_id"))
        return advisor_addresses((employee_id,)).get(employee_id)
    return customer_address(meeting)


def _recipient_header(address: str, name: str) -> Address:
    """Exactly one recipient: an address that parses as more (or less) than one addr-spec is
    refused, and the name is put on one line, so customer input never adds a recipient or a
    header."""
    try:
        return Address(display_name=_one_line(name), addr_spec=address.strip())
    except (ValueError, IndexError):  # the parser's HeaderParseError is a ValueError
        raise InvalidRecipient() from None


def _one_line(text: str) -> str:
    """A display name without line breaks or other control characters, of bounded length."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:NAME_MAX]


def _attach_calendar(message: EmailMessage, body: bytes) -> None:
    """The meeting's calendar file, with its METHOD also on the part (as calendar programs want)."""
    method = Calendar.from_ical(body)["METHOD"]  # REQUEST, CANCEL, or PUBLISH without attendee
    message.add_attachment(
        body,
        maintype="text",
        subtype="calendar",
        filename="meeting.ics",
        params={"method": method, "charset": "utf-8"},
    )


def _context(
    row: OutboxMessage, view: MeetingView, name: str, bank: str, audience: str
) -> dict[str, Any]:
    """What the templates show, formatted in the current language and the organisation's zone."""
    meeting = view.meeting
    data = row.payload
    old_start = data.get("old_start")
    reason = data.get("reason") if data.get("channel") in (STAFF, API) else ""
    return {
        "event": row.event,
        "bank": bank,
        "name": name,
        "when": f"{fmt_when(meeting.start_at)}–{fmt_time(meeting.end_at)}",
        "old_when": _old_when(old_start, data.get("old_end")) if old_start else "",
        "zone": zone_label(),
        "advisor": view.advisor,
        "topic": view.topic,
        "reference": view.reference,
        "video_link": view.video_link or "",
        "kind": str(MEETING_TYPE_LABELS.get(meeting.meeting_type, meeting.meeting_type)),
        "how": _how(view, audience),
        "reason": reason or "",
        "link": _public_url("wizard.manage", token=meeting.manage_token)
        if meeting.manage_token
        else "",
        "staff_link": _public_url("staff.my_meetings"),
        "customer": meeting.customer_name,
        "BOOKED": BOOKED,
        "MOVED": MOVED,
        "CANCELLED": CANCELLED,
        "REMINDER": REMINDER,
    }


def _old_when(start: str, end: str | None) -> str:
    old_start = datetime.fromisoformat(start)
    return fmt_when(old_start) + (f"–{fmt_time(datetime.fromisoformat(end))}" if end else "")


def _how(view: MeetingView, audience: str) -> list[str]:
    """Where the meeting is or how to join it, worded as the customer's calendar file words it;
    the advisor is told whom to call rather than that they will be called."""
    lines = joining_lines(view)
    meeting = view.meeting
    if audience == ADVISOR and view.phone_note:
        call = gettext(
            "Call %(name)s on %(phone)s.", name=meeting.customer_name, phone=meeting.customer_phone
        )
        lines = [call if line == view.phone_note else line for line in lines]
    return lines


def _subject(event: str, audience: str, context: dict[str, Any]) -> str:
    """The subject line: what happened, and when."""
    when = context["when"]
    if audience == ADVISOR:
        subjects = {
            BOOKED: gettext("New meeting %(when)s", when=when),
            MOVED: gettext("Meeting moved to %(when)s", when=when),
            CANCELLED: gettext("Meeting cancelled: %(when)s", when=when),
        }
    else:
        subjects = {
            BOOKED: gettext("Your meeting with %(bank)s is booked", bank=context["bank"]),
            MOVED: gettext("Your meeting with %(bank)s is moved", bank=context["bank"]),
            CANCELLED: gettext("Your meeting with %(bank)s is cancelled", bank=context["bank"]),
            REMINDER: gettext(
                "Reminder: your meeting with %(bank)s %(when)s", bank=context["bank"], when=when
            ),
        }
    return subjects[event]


def _public_url(endpoint: str, **values: Any) -> str:
    """An absolute link under BOOKME_PUBLIC_URL (no request is needed to build it)."""
    base = urlsplit(current_app.config["BOOKME_PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
