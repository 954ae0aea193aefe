"""The slot service: validates ids, loads the facts in a fixed number of set-based queries, asks
the pure engine (`app.booking.availability`) for slots, and checks one proposed slot for the
reservation service.
"""

from __future__ import annotations

import time as time_module
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.booking import events
from app.booking.availability import SlotRows, available_rows, build_context
from app.booking.config_load import Configuration, closing_days_between, configuration
from app.booking.constants import DEFAULT_LOOK_FORWARD, MEETING_TYPES
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.booking.explain import check_query, verdict
from app.booking.facts import EmployeeFacts, Facts, OrgFacts, RoomFacts, TopicFacts
from app.booking.minutes import load_busy, load_claims
from app.booking.query import SlotQuery
from app.booking.rules import requested_pools


def find_slots(query: SlotQuery, now: datetime) -> SlotRows:
    """The slots offered for `query` at `now`, sorted (raises NotFound for unknown ids).

    A sequence of `Slot`; the API serialises its rows without building the `Slot` objects.
    """
    started = time_module.perf_counter()
    facts = load_facts(query, now)
    rows = available_rows(query, facts, now)
    duration = time_module.perf_counter() - started
    events.announce(events.slots_searched, query, duration_seconds=duration, slot_count=len(rows))
    return rows


def check_slot(
    *,
    employee_ids: Iterable[str],
    room_id: str | None,
    start: datetime,
    end: datetime,
    meeting_type: str | None,
    topic_id: str | None,
    customer_type_id: str | None,
    is_customer_initiated: bool,
    ignore_meeting_ids: Iterable[str] = (),
    ignore_reservation_ids: Iterable[str] = (),
    buffers: tuple[int, int] | None = None,
    ignore_minimum_notice: bool = False,
    now: datetime,
) -> None:
    """Raise Conflict(reason) unless the engine would offer exactly this slot right now.

    `meeting_type=None` accepts any meeting type the slot is offered as. `buffers` (minutes
    before, after): the slot's own buffers when they are not the organisation's now (a hold's).
    """
    ids = tuple(dict.fromkeys(employee_ids))
    _check_shape(ids, start, end, meeting_type)
    query = check_query(
        ids,
        start,
        end,
        meeting_type,
        room_id,
        topic_id,
        customer_type_id,
        is_customer_initiated,
        tuple(ignore_meeting_ids),
        ignore_minimum_notice,
    )
    facts = load_facts(query, now, buffers)
    known = {e.id for e in facts.employees}
    for ident in ids:
        if ident not in known:
            raise NotFound("employee", ident)
    reason = verdict(build_context(query, facts, now, frozenset(ignore_reservation_ids)), room_id)
    if reason is not None:
        raise Conflict(reason)


def _check_shape(ids: tuple[str, ...], start: datetime, end: datetime, mtype: str | None) -> None:
    """A proposed slot names an advisor, a known meeting type and a positive length."""
    if not ids:
        raise InvalidRequest("an advisor is required", field="employeeId")
    if mtype is not None and mtype not in MEETING_TYPES:
        raise InvalidRequest(f"unknown meeting type {mtype!r}", field="meetingType")
    if end <= start:
        raise InvalidRequest("the slot must end after it starts", field="endDate")


def load_facts(query: SlotQuery, now: datetime, buffers: tuple[int, int] | None = None) -> Facts:
    """Validate the query's ids and load every fact the engine needs for its window.

    The configuration comes from the per-process cache (one query for its version when current,
    see `app.booking.config_cache`); busy times and claims are read fresh every time. `buffers`
    (minutes before, after) replace the organisation's for the slots asked about."""
    config = configuration()
    org = config.org
    if buffers is not None:
        org = replace(org, buffer_before_minutes=buffers[0], buffer_after_minutes=buffers[1])
    topic = _topic(config, query.topic_id)
    if query.customer_type_id and query.customer_type_id not in config.customer_type_ids:
        raise NotFound("customerType", query.customer_type_id)
    rooms = _rooms(config, query.specific_room_ids)
    lo, hi = _window(query, org, now)
    only = _only_explicit(query)
    return Facts(
        org=org,
        employees=_employees(config, only),
        topic_listed=bool(query.topic_id) and query.topic_id in config.listed_topic_ids,
        customer_type_listed=bool(query.customer_type_id)
        and query.customer_type_id in config.listed_customer_type_ids,
        locations=config.locations,
        rooms=rooms,
        topic=topic,
        competence_groups=config.competence_groups,
        service_groups=config.capped_service_groups if only is not None else config.service_groups,
        # from today: minimum notice counts working days before the window too
        closing_days=closing_days_between(
            config, min(lo, now).date() - timedelta(days=1), hi.date() + timedelta(days=1)
        ),
        busy=load_busy(lo, hi, only),
        claims=load_claims(lo, hi, now, only, query.specific_room_ids),
    )


def _window(query: SlotQuery, org: OrgFacts, now: datetime) -> tuple[datetime, datetime]:
    """The instants whose facts matter: the search window widened to whole days and buffers."""
    start = max(query.start or now, now)
    look = query.look_forward if query.look_forward is not None else DEFAULT_LOOK_FORWARD
    hi = max(min((query.start or now) + look, now + timedelta(days=org.max_days_ahead)), start)
    zone = ZoneInfo(org.time_zone)
    first, last = start.astimezone(zone).date(), hi.astimezone(zone).date() + timedelta(days=1)
    lo_day = datetime.combine(first, time(0), tzinfo=zone)
    hi_day = datetime.combine(last, time(0), tzinfo=zone)
    return (
        lo_day - timedelta(minutes=org.buffer_before_minutes + 1),
        hi_day + timedelta(minutes=org.buffer_after_minutes + 1),
    )


def _topic(config: Configuration, topic_id: str | None) -> TopicFacts | None:
    if not topic_id:
        return None
    topic = config.topics.get(topic_id)
    if topic is None:
        raise NotFound("topic", topic_id)
    return topic


def _rooms(config: Configuration, specific: tuple[str, ...]) -> tuple[RoomFacts, ...]:
    """Every room, or only the named ones (the engine then considers no other)."""
    if not specific:
        return config.rooms
    wanted = set(specific)
    rooms = tuple(r for r in config.rooms if r.id in wanted)
    known = {r.id for r in rooms}
    for ident in specific:
        if ident not in known:
            raise NotFound("room", ident)
    return rooms


def _only_explicit(query: SlotQuery) -> tuple[str, ...] | None:
    """The advisors a search can offer when it only looks at the Explicit pool, else None."""
    if not query.explicit_employee_ids:
        return None
    pools, _ = requested_pools(query)
    return tuple(dict.fromkeys(query.explicit_employee_ids)) if pools == {"Explicit"} else None


def _employees(config: Configuration, only: tuple[str, ...] | None) -> tuple[EmployeeFacts, ...]:
    """The advisors to consider: all, or only the named ones (in the same order)."""
    if only is None:
        return config.employees
    wanted = set(only)
    return tuple(e for e in config.employees if e.id in wanted)


def _org() -> OrgFacts:
    """The organisation's settings (from the configuration cache)."""
    return configuration().org
