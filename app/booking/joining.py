"""How the customer joins a meeting: the video link, who phones whom, or the address we go to.

`video_link_of` fills the configured template (`BOOKME_VIDEO_LINK_TEMPLATE`, placeholders
`{meeting_id}` and `{reference}`) unless the meeting carries its own `video_link`.
"""

from __future__ import annotations

from typing import Protocol

from app.booking.reference import reference_of


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
        return meeting.video_link
    if not template:
        return None
    try:
        return template.format(meeting_id=meeting.id, reference=reference_of(meeting))
    except (KeyError, IndexError, ValueError):
        return None


def offsite_address(meeting: Joinable) -> str:
    """Where an OffSite meeting is held, with how to get in when given."""
    if meeting.meeting_type != "OffSite":
        return ""
    note = f" ({meeting.customer_address_note})" if meeting.customer_address_note else ""
    return f"{meeting.customer_address}{note}" if meeting.customer_address else ""
