"""What the booking services announce once a change is committed, for whoever listens (metrics).

The services send plain values and stay free of Flask and of any listener; a listener that fails
must not undo a committed booking, so listeners are expected to be cheap and to catch their own
errors. blinker signals (Flask depends on blinker): `signal.connect(fn)` to listen.
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

# Sent with `duration_seconds` (float) and `slot_count` (int) after every availability search.
slots_searched = _events.signal("slots-searched")
# Sent with the new `Reservation` after a hold is written (not when a live hold is returned again).
hold_created = _events.signal("hold-created")
# Sent with the `Meeting` after it is booked, moved to another time, or cancelled.
meeting_booked = _events.signal("meeting-booked")
meeting_moved = _events.signal("meeting-moved")
meeting_cancelled = _events.signal("meeting-cancelled")
