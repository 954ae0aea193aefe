"""What the booking services announce once a change is committed, for whoever listens (metrics).

The services send plain values and stay free of Flask and of any listener. They announce through
`announce`, never `signal.send`: a listener runs after the commit, so one that fails must not turn
a committed booking into an error; its failure is logged (the event and the listener's name and
the kind of error, never the message, which may carry personal data) and the next listener runs.
blinker signals (Flask depends on blinker): `signal.connect(fn)` to listen.
"""

from __future__ import annotations

import logging
from typing import Any

from blinker import NamedSignal, Namespace

log = logging.getLogger(__name__)
_events = Namespace()

# Sent with `duration_seconds` (float) and `slot_count` (int) after every availability search.
slots_searched = _events.signal("slots-searched")
# Sent with the new `Reservation` after a hold is written (not when a live hold is returned again).
hold_created = _events.signal("hold-created")
# Sent with the `Meeting` after it is booked, moved to another time, or cancelled.
meeting_booked = _events.signal("meeting-booked")
meeting_moved = _events.signal("meeting-moved")
meeting_cancelled = _events.signal("meeting-cancelled")


def announce(signal: NamedSignal, sender: Any, **values: Any) -> None:
    """Call every listener of `signal`; one that raises is logged and skipped."""
    for receiver in signal.receivers_for(sender):
        try:
            receiver(sender, **values)
        except Exception as exc:  # noqa: BLE001 (a listener's failure must not undo the commit)
            name = getattr(receiver, "__qualname__", type(receiver).__name__)
            log.error(
                "a listener of %s failed: %s raised %s", signal.name, name, type(exc).__name__
            )
