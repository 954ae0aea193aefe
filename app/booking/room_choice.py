"""Which rooms a request may use, per meeting type and place: the candidates in preference order
and whether a room is required. Pure: the query and the facts in, frozen values out; every
(meeting type, place) a search can meet is worked out once, in `build_context`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.booking.constants import MEETING_TYPES, PHYSICAL
from app.booking.facts import Facts, RoomFacts
from app.booking.query import SlotQuery

RoomOptions = tuple[tuple[RoomFacts, ...], bool]  # candidates in preference order, required
RoomTable = Mapping[tuple[str, str | None], RoomOptions]  # by (meeting type, place)


def place_requires_room(facts: Facts, place: str | None) -> bool:
    """The branch's own rule: every Physical meeting there has a room."""
    return any(loc.require_room for loc in facts.locations if loc.id == place)


def refuses_no_room(query: SlotQuery, facts: Facts, mtype: str, place: str | None) -> bool:
    """Asked for a Physical meeting without a room (and no named rooms) at a branch that
    requires one: the engine offers nothing there."""
    return (
        query.require_room is False
        and not query.specific_room_ids
        and mtype == PHYSICAL
        and place_requires_room(facts, place)
    )


def room_options(query: SlotQuery, facts: Facts, mtype: str, place: str | None) -> RoomOptions:
    """Candidate rooms (in preference order) and whether a room is required. A branch that
    requires a room requires it for every Physical meeting there, whoever asks: asked for no room
    (`require_room=False`), it offers no room and so no time (`refuses_no_room`)."""
    specific = query.specific_room_ids
    by_place = mtype == PHYSICAL and place_requires_room(facts, place)
    if specific:
        by_id = {r.id: r for r in facts.rooms}
        rooms = tuple(by_id[r] for r in specific if r in by_id and by_id[r].can_be_booked)
        return rooms, query.require_room is not False or by_place
    if refuses_no_room(query, facts, mtype, place):
        return (), True
    if mtype == PHYSICAL:
        rooms = tuple(
            sorted(
                (r for r in facts.rooms if r.location_id == place and r.can_be_booked),
                key=lambda r: (r.name, r.id),
            )
        )
        return rooms, by_place if query.require_room is None else query.require_room
    return (), False


def room_table(query: SlotQuery, facts: Facts, mtypes: Iterable[str] = MEETING_TYPES) -> RoomTable:
    """`room_options` for every meeting type of `mtypes` and every place the facts name (no
    place too); `workday.room_options` works out any other on the spot."""
    places = {d.location_id for e in facts.employees for d in e.schedule}
    places.update(loc.id for loc in facts.locations)
    places.add(None)
    return {(t, p): room_options(query, facts, t, p) for t in mtypes for p in places}
