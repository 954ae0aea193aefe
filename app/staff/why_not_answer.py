"""Why not?'s answer as the page shows it: the time is free (with whom), else the reasons in words,
grouped per advisor for the system's choice; and the question asked, in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from app.booking.query import Slot
from app.booking.reasons import Verdict
from app.i18n import fmt_day
from app.models import CustomerType, Employee, Location, Room, Topic
from app.staff.why_not_words import Names, by_id, how, span, words
from app.wizard.choices import customer_type_label

MAX_ADVISORS = 10  # the system's choice: advisors explained one by one, the rest counted


@dataclass
class Answer:
    """What the page shows: the time is free (`free`: one line per advisor), else `lines` about
    the time, the room and named advisors in the order they were checked, and for the system's
    choice a group of lines per advisor (`more`: advisors left out)."""

    free: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    groups: list[tuple[str, list[str]]] = field(default_factory=list)
    more: int = 0

    @property
    def more_line(self) -> str:
        """How many advisors of the system's choice are left out, or nothing."""
        if not self.more:
            return ""
        return ngettext(
            "%(num)s more advisor is not listed.",
            "%(num)s more advisors are not listed.",
            self.more,
        )


def answer(verdict: Verdict, pool: bool, any_type: bool = False) -> Answer:
    """The verdict in words; `pool`: the system's choice (lines grouped per advisor); `any_type`:
    no meeting type was asked for, so a free line says which type it is free for."""
    names = Names(verdict)
    if verdict.free:
        lines = [_free_line(names, slot, any_type) for slot in verdict.free]
        return Answer(free=list(dict.fromkeys(lines)))
    said = Answer()
    if not pool:
        said.lines = [words(names, x) for x in verdict.reasons] or [_nothing()]
        return said
    said.lines = [words(names, x) for x in verdict.reasons if x.advisor is None]
    ordered = sorted(verdict.advisors, key=lambda i: (names.advisor(i).casefold(), i))
    for ident in ordered[:MAX_ADVISORS]:
        mine = [words(names, x) for x in verdict.reasons if x.advisor == ident]
        said.groups.append((names.advisor(ident), mine or [_nothing()]))
    said.more = max(0, len(ordered) - MAX_ADVISORS)
    if not said.lines and not said.groups:
        said.lines = [_nothing()]
    return said


def _nothing() -> str:
    return _("The system does not offer this time, and no single rule explains it.")


def _free_line(names: Names, slot: Slot, any_type: bool) -> str:
    who = ", ".join(names.advisor(i) for i in slot.employee_ids)
    if any_type:
        who = _("%(who)s, %(how)s", who=who, how=how(slot.meeting_type))
    if slot.room_id:
        return _("%(who)s, room %(room)s", who=who, room=names.rooms.get(slot.room_id, ""))
    return who


def question(args: Mapping[str, Any], verdict: Verdict) -> dict[str, Any]:
    """What was asked, for the answer's heading: the day and time, then the topic, meeting type,
    place, advisors, room and the rest, in words."""
    one = {k: v for k, v in args.items() if isinstance(v, str) and v}
    topic = by_id(Topic, Topic.name, [one.get("topic")]).get(one.get("topic", ""), "")
    facts = [topic] if topic else []
    ctype = by_id(CustomerType, CustomerType.name, [one.get("customer_type")])
    if ctype:
        facts.append(customer_type_label(next(iter(ctype.values()))))
    if one.get("type"):
        facts.append(how(one["type"]))
    place = by_id(Location, Location.name, [one.get("location")])
    facts += list(place.values())
    advisors = by_id(Employee, Employee.display_name, args.get("advisor") or [])
    if advisors:
        facts.append(", ".join(advisors.get(i, "") for i in args.get("advisor") or []))
    else:
        facts.append(_("advisor chosen by the system"))
    room = one.get("room", "auto")
    if room == "none":
        facts.append(_("no room"))
    elif room == "auto":
        facts.append(_("room chosen by the system"))
    else:
        facts.append(_("room %(room)s", room=by_id(Room, Room.name, [room]).get(room, "")))
    if one.get("notice") == "ignore":
        facts.append(_("notice ignored"))
    if one.get("meeting"):
        facts.append(_("moving a meeting: its own time does not count"))
    when = f"{fmt_day(verdict.start)}, {span(verdict.start, verdict.end)}"
    return {"when": when, "facts": facts}
