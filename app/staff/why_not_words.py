"""The engine's reasons (`app.booking.reasons`) as sentences in the visitor's language: names
instead of ids, times in the organisation's zone. Never anything about whose meeting is in the
way: a reason only knows that it is a meeting, a hold or a busy time, and when."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from app.booking import reasons as r
from app.booking.reasons import Reason, Verdict
from app.extensions import db
from app.i18n import fmt_time, fmt_when, local
from app.models import ClosingDay, CustomerType, Employee, Location, Room, Topic
from app.wizard.choices import customer_type_label

ON_WEEKDAYS = (
    _l("on Mondays"),
    _l("on Tuesdays"),
    _l("on Wednesdays"),
    _l("on Thursdays"),
    _l("on Fridays"),
    _l("on Saturdays"),
    _l("on Sundays"),
)
HOW = {  # a meeting type as the end of "... takes no meetings <how>"
    "Physical": _l("at a branch"),
    "Online": _l("by video"),
    "Telephone": _l("by phone"),
    "OffSite": _l("at the customer's place"),
}


class Names:
    """The names a verdict refers to, read in one query per kind."""

    def __init__(self, verdict: Verdict) -> None:
        found = [*verdict.reasons]
        advisors = set(verdict.advisors) | {i for s in verdict.free for i in s.employee_ids}
        advisors |= {x.advisor for x in found if x.advisor}
        advisors |= {i for x in found for i, _ in x.params.get("apart", ())}
        places, rooms, topics, ctypes, days = set(), set(), set(), set(), set()
        for x in found:
            p = x.params
            places |= {p.get("place"), *p.get("wanted", ()), *p.get("places", ())}
            places |= {place for _, place in p.get("apart", ())}
            rooms.add(p.get("room"))
            topics.add(p.get("topic"))
            ctypes.add(p.get("customer_type"))
            days.add(p.get("day"))
        rooms |= {s.room_id for s in verdict.free}
        self.advisors = by_id(Employee, Employee.display_name, advisors)
        self.places = by_id(Location, Location.name, places)
        self.rooms = by_id(Room, Room.name, rooms)
        self.topics = by_id(Topic, Topic.name, topics)
        self.ctypes = {
            k: customer_type_label(v)
            for k, v in by_id(CustomerType, CustomerType.name, ctypes).items()
        }
        wanted_days = [d for d in days if isinstance(d, date)]
        rows = db.session.execute(
            select(ClosingDay.day, ClosingDay.name).where(ClosingDay.day.in_(wanted_days))
        )
        self.closed = {day: name for day, name in rows}

    def advisor(self, ident: str | None) -> str:
        return self.advisors.get(ident or "", ident or "")


def by_id(model: Any, name: Any, ids: Iterable[Any]) -> dict[str, str]:
    wanted = [i for i in ids if isinstance(i, str) and i]
    if not wanted:
        return {}
    rows = db.session.execute(select(model.id, name).where(model.id.in_(wanted)))
    return {str(ident): str(value) for ident, value in rows}


def span(start: datetime, end: datetime) -> str:
    """10:00–11:00 when both are on one local day, else both with their days."""
    if local(start).date() == local(end).date():
        return f"{fmt_time(start)}–{fmt_time(end)}"
    return _("from %(start)s to %(end)s", start=fmt_when(start), end=fmt_when(end))


def duration(minutes: int) -> str:
    """6 hours, 45 minutes, 1 hour and 30 minutes."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    h = ngettext("%(num)s hour", "%(num)s hours", hours)
    m = ngettext("%(num)s minute", "%(num)s minutes", rest)
    if hours and rest:
        return _("%(hours)s and %(minutes)s", hours=h, minutes=m)
    return h if hours else m


def _weekday(p: Any) -> str:
    return str(ON_WEEKDAYS[p["weekday"]])


def how(mtype: str) -> str:
    return str(HOW.get(mtype, mtype))


def words(names: Names, x: Reason) -> str:
    """One reason as a sentence."""
    return _WORDS[x.code](names, x, x.params)


Say = Callable[[Names, Reason, Any], str]


def _past(n: Names, x: Reason, p: Any) -> str:
    return _("This time is in the past.")


def _horizon(n: Names, x: Reason, p: Any) -> str:
    return _(
        "Beyond the booking horizon: meetings can be booked up to %(days)s days ahead.",
        days=p["days"],
    )


def _off_grid(n: Names, x: Reason, p: Any) -> str:
    return _(
        "Not on the %(grid)s-minute grid: meetings start on the hour or the half hour.",
        grid=p["grid"],
    )


def _closed(n: Names, x: Reason, p: Any) -> str:
    name = n.closed.get(p["day"]) or _("a closing day")
    return _("The bank is closed: %(name)s.", name=name)


def _topic_ctype(n: Names, x: Reason, p: Any) -> str:
    return _(
        "%(topic)s is not offered to the customer type %(customer_type)s.",
        topic=n.topics.get(p["topic"], ""),
        customer_type=n.ctypes.get(p["customer_type"], ""),
    )


def _topic_type(n: Names, x: Reason, p: Any) -> str:
    topic = n.topics.get(p["topic"] or "", _("This topic"))
    return _("%(topic)s is not offered %(how)s.", topic=topic, how=how(p["meeting_type"]))


def _no_advisor(n: Names, x: Reason, p: Any) -> str:
    way, weekday = how(p["meeting_type"]), _weekday(p)
    places = ", ".join(n.places.get(i, "") for i in p["places"])
    if places:
        return _(
            "No advisor takes this meeting %(how)s at %(place)s %(weekday)s.",
            how=way,
            place=places,
            weekday=weekday,
        )
    return _("No advisor takes this meeting %(how)s %(weekday)s.", how=way, weekday=weekday)


def _not_bookable(n: Names, x: Reason, p: Any) -> str:
    return _("%(name)s cannot be booked for meetings.", name=n.advisor(x.advisor))


def _not_qualified(n: Names, x: Reason, p: Any) -> str:
    name, topic = n.advisor(x.advisor), n.topics.get(p["topic"] or "", "")
    ctype = n.ctypes.get(p["customer_type"] or "", "")
    if ctype:
        return _(
            "%(name)s cannot take %(topic)s for %(customer_type)s.",
            name=name,
            topic=topic,
            customer_type=ctype,
        )
    return _("%(name)s cannot take %(topic)s.", name=name, topic=topic)


def _day_off(n: Names, x: Reason, p: Any) -> str:
    return _("%(name)s does not work %(weekday)s.", name=n.advisor(x.advisor), weekday=_weekday(p))


def _no_type(n: Names, x: Reason, p: Any) -> str:
    return _(
        "%(name)s takes no meetings %(how)s %(weekday)s.",
        name=n.advisor(x.advisor),
        how=how(p["meeting_type"]),
        weekday=_weekday(p),
    )


def _other_place(n: Names, x: Reason, p: Any) -> str:
    name, weekday = n.advisor(x.advisor), _weekday(p)
    wanted = ", ".join(n.places.get(i, "") for i in p["wanted"])
    if p["place"] is None:
        return _("%(name)s is not at a branch %(weekday)s.", name=name, weekday=weekday)
    return _(
        "%(name)s is at %(place)s %(weekday)s, not at %(wanted)s.",
        name=name,
        place=n.places.get(p["place"], ""),
        weekday=weekday,
        wanted=wanted,
    )


def _outside(n: Names, x: Reason, p: Any) -> str:
    name, hours, weekday = n.advisor(x.advisor), span(p["start"], p["end"]), _weekday(p)
    if p["place"]:
        return _(
            "Outside working hours: %(name)s works %(hours)s %(weekday)s, at %(place)s.",
            name=name,
            hours=hours,
            weekday=weekday,
            place=n.places.get(p["place"], ""),
        )
    return _(
        "Outside working hours: %(name)s works %(hours)s %(weekday)s.",
        name=name,
        hours=hours,
        weekday=weekday,
    )


def _notice_length(minutes: int) -> str:
    if minutes % 60 == 0:
        return ngettext("%(num)s working hour", "%(num)s working hours", minutes // 60)
    return ngettext("%(num)s working minute", "%(num)s working minutes", minutes)


def _notice(n: Names, x: Reason, p: Any) -> str:
    name, notice = n.advisor(x.advisor), _notice_length(p["minutes"])
    if p["earliest"] is None:
        return _("Inside the %(notice)s of notice for %(name)s.", notice=notice, name=name)
    return _(
        "Inside the %(notice)s of notice for %(name)s: the earliest time is %(when)s.",
        notice=notice,
        name=name,
        when=fmt_when(p["earliest"]),
    )


def _cap(n: Names, x: Reason, p: Any) -> str:
    return _(
        "%(name)s has reached the limit of %(cap)s of meetings a day (%(booked)s booked that day).",
        name=n.advisor(x.advisor),
        cap=duration(p["cap"] or 0),
        booked=duration(p["booked"]),
    )


def _clash(n: Names, x: Reason, p: Any) -> str:
    name, when = n.advisor(x.advisor), span(p["start"], p["end"])
    kind, label = p["kind"], p["label"]
    if kind == r.IS_MEETING:
        return _("%(name)s has a meeting %(span)s.", name=name, span=when)
    if kind == r.IS_HOLD:
        return _(
            "%(name)s has a time on hold %(span)s (a customer is booking it).", name=name, span=when
        )
    if kind == r.IS_ELSEWHERE:
        return _("%(name)s works away from the branch %(span)s.", name=name, span=when)
    if label == "absence":
        return _("%(name)s is away %(span)s.", name=name, span=when)
    if label == "external":
        return _("%(name)s is busy %(span)s (in their own calendar).", name=name, span=when)
    return _("%(name)s is busy %(span)s.", name=name, span=when)


def _too_close(n: Names, x: Reason, p: Any) -> str:
    name, when, gap = n.advisor(x.advisor), span(p["start"], p["end"]), duration(p["gap"])
    if p["kind"] == r.IS_HOLD:
        return _(
            "Too close to a time %(name)s has on hold %(span)s: %(gap)s are kept between meetings.",
            name=name,
            span=when,
            gap=gap,
        )
    return _(
        "Too close to a meeting %(name)s has %(span)s: %(gap)s are kept between meetings.",
        name=name,
        span=when,
        gap=gap,
    )


def _joint_apart(n: Names, x: Reason, p: Any) -> str:
    where = ", ".join(
        _("%(name)s at %(place)s", name=n.advisor(i), place=n.places.get(place or "", ""))
        if place
        else _("%(name)s not at a branch", name=n.advisor(i))
        for i, place in p["apart"]
    )
    return _(
        "A meeting at a branch needs every advisor at the same branch; that day: %(where)s.",
        where=where,
    )


def _room_required(n: Names, x: Reason, p: Any) -> str:
    if p["place"]:
        return _(
            "A room is required at %(place)s: choose one, or let the system choose.",
            place=n.places.get(p["place"], ""),
        )
    return _("A room is required for this meeting: choose one, or let the system choose.")


def _no_room_free(n: Names, x: Reason, p: Any) -> str:
    if p["place"]:
        return _("No room is free at %(place)s at this time.", place=n.places.get(p["place"], ""))
    return _("No room is free at this time.")


def _room_unbookable(n: Names, x: Reason, p: Any) -> str:
    return _("Room %(room)s cannot be booked.", room=n.rooms.get(p["room"], ""))


def _room_taken(n: Names, x: Reason, p: Any) -> str:
    room = n.rooms.get(p["room"], "")
    if "start" not in p:
        return _("Room %(room)s is taken.", room=room)
    return _("Room %(room)s is taken %(span)s.", room=room, span=span(p["start"], p["end"]))


def _room_too_close(n: Names, x: Reason, p: Any) -> str:
    return _(
        "Room %(room)s is booked %(span)s: %(gap)s are kept between meetings.",
        room=n.rooms.get(p["room"], ""),
        span=span(p["start"], p["end"]),
        gap=duration(p["gap"]),
    )


_WORDS: dict[str, Say] = {
    r.PAST: _past,
    r.HORIZON: _horizon,
    r.OFF_GRID: _off_grid,
    r.TOPIC_CUSTOMER_TYPE: _topic_ctype,
    r.TOPIC_MEETING_TYPE: _topic_type,
    r.CLOSED: _closed,
    r.NO_ADVISOR: _no_advisor,
    r.NOT_BOOKABLE: _not_bookable,
    r.NOT_QUALIFIED: _not_qualified,
    r.DAY_OFF: _day_off,
    r.NO_MEETING_TYPE: _no_type,
    r.OTHER_PLACE: _other_place,
    r.OUTSIDE_HOURS: _outside,
    r.NOTICE: _notice,
    r.DAILY_CAP: _cap,
    r.CLASH: _clash,
    r.TOO_CLOSE: _too_close,
    r.JOINT_APART: _joint_apart,
    r.ROOM_REQUIRED: _room_required,
    r.NO_ROOM_FREE: _no_room_free,
    r.ROOM_UNBOOKABLE: _room_unbookable,
    r.ROOM_TAKEN: _room_taken,
    r.ROOM_TOO_CLOSE: _room_too_close,
}
