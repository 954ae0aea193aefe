"""How the customer joins a meeting: the video link, who phones whom, or the address we go to.

`video_link_of` fills the configured template (`BOOKME_VIDEO_LINK_TEMPLATE`, placeholders
`{meeting_id}` and `{reference}`) unless the meeting carries its own `video_link`; only http(s) links are ever given out.
"""

from __future__ import annotations

import re
from typing import Protocol

from app.booking.reference import reference_of

# A link a customer may be sent to: http(s), no spaces or controls (never `javascript:` and the like).
WEB_LINK = re.compile(r"^https?://[^\s\x00-\x1f\x7f<>\"']+$", re.IGNORECASE)


def is_web_link(value: str) -> bool:
    """Whether `value` is an http or https address fit for an `href`."""
    return bool(WEB_LINK.match(value))


class Joinable(Protocol):
    id: str
    meeting_type: str
    video_link: str | None
    customer_phone: str
    customer_address: str
    customer_address_note: str


def video_link_of(meeting: Joinable, template: str | None) -> str | None:
    """The meeting's own link, else the template filled in; None for other meeting types."""
    if meeting.meeting_type != "Online":
        return None
    if meeting.video_link:
        return meeting.video_link if is_web_link(meeting.video_link) else None
    if not template:
        return None
    try:
        link = template.format(meeting_id=meeting.id, reference=reference_of(meeting))
    except (KeyError, IndexError, ValueError):
        return None
    return link if is_web_link(link) else None


def offsite_address(meeting: Joinable) -> str:
    """Where an OffSite meeting is held, with how to get in when given."""
    if meeting.meeting_type != "OffSite":
        return ""
    note = f" ({meeting.customer_address_note})" if meeting.customer_address_note else ""
    return f"{meeting.customer_address}{note}" if meeting.customer_address else ""
