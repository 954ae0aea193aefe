"""The Nordbank demo: Danish branches, advisors, topics, holidays and meetings around "today".

The configuration goes through the same import path as `bookme import` (validated, then written by
the configuration services). Meetings are written here as the meetings service leaves them, with
their claims, because that service only turns live reservations into meetings and demo meetings
also lie in the past. Ids are derived from names and the meeting pattern from a fixed seed, so
the demo is the same for a given day.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.booking.claims import add_claims, resources_for
from app.configuration import ConfigurationError, check, write
from app.extensions import db
from app.models import Employee, Location, Meeting, Room, Topic

TIME_ZONE = "Europe/Copenhagen"
SEED = 20260302
_NAMESPACE = uuid.UUID("6f1c2a4e-8a53-4c1b-9a0e-5b9f7d0c2e11")

LOCATIONS = [
    (
        "Branch-North",
        ["Copenhagen", "Frederiksberg", "Østerbro"],
        "Østerbrogade 120, 2100 København Ø",
        True,
    ),
    ("Branch-City", ["Indre By", "Vesterbro", "Amager"], "Amagertorv 9, 1160 København K", True),
    ("Branch-Aarhus", ["Aarhus", "Risskov", "Viby J"], "Søndergade 20, 8000 Aarhus C", False),
    ("Branch-Odense", ["Odense", "Funen"], "Vestergade 45, 5000 Odense C", False),
]
ROOMS = {
    "Branch-North": ["Nørrebro", "Østerbro", "Fælledparken"],
    "Branch-City": ["Nyhavn", "Strøget"],
    "Branch-Aarhus": ["Marselisborg", "Mols"],
    "Branch-Odense": ["H.C. Andersen"],
}
CUSTOMER_TYPES = ["Private", "Business", "Private Banking", "Agriculture"]
PRIVATE, BUSINESS, PB, AGRI = CUSTOMER_TYPES
# name, minutes, meeting types, customer types (empty = all), bookable by customers
TOPICS = [
    ("Mortgage", 60, ["physical", "online"], [PRIVATE, PB], True),
    ("Pension", 60, ["physical", "online", "telephone"], [PRIVATE, PB], True),
    ("Investment", 60, ["physical", "online"], [PRIVATE, PB], True),
    ("Everyday banking", 45, ["physical", "online", "telephone"], [], True),
    ("Business loan", 60, ["physical", "online", "offsite"], [BUSINESS, AGRI], True),
    ("Agricultural financing", 90, ["physical", "offsite"], [AGRI], True),
    ("Internal review", 30, ["physical", "online"], [], False),
]
HOUSING = ["Mortgage", "Everyday banking"]
WEALTH = ["Pension", "Investment", "Everyday banking"]
BUSINESS_TOPICS = ["Business loan", "Everyday banking"]
# first, last, home branch, schedule pattern, topics, customer types
ADVISORS = [
    ("Mette", "Frederiksen", "Branch-North", "full", HOUSING, [PRIVATE]),
    ("Lars", "Nielsen", "Branch-North", "full", WEALTH, [PRIVATE, PB]),
    ("Sofie", "Jensen", "Branch-North", "part", HOUSING, [PRIVATE]),
    ("Anders", "Hansen", "Branch-North", "split", HOUSING + WEALTH, [PRIVATE, PB]),
    ("Camilla", "Pedersen", "Branch-City", "full", BUSINESS_TOPICS, [BUSINESS]),
    ("Mads", "Andersen", "Branch-City", "late", WEALTH, [PB]),
    ("Ida", "Christensen", "Branch-City", "part", HOUSING, [PRIVATE]),
    ("Rasmus", "Larsen", "Branch-City", "remote", ["Everyday banking", "Pension"], []),
    ("Freja", "Sørensen", "Branch-North", "remote", ["Everyday banking"], []),
    ("Jonas", "Rasmussen", "Branch-Aarhus", "full", HOUSING + ["Pension"], [PRIVATE]),
    ("Emma", "Jørgensen", "Branch-Aarhus", "late", BUSINESS_TOPICS, [BUSINESS, AGRI]),
    (
        "Søren",
        "Østergaard",
        "Branch-Aarhus",
        "agri",
        ["Agricultural financing", "Business loan"],
        [AGRI],
    ),
    ("Anne", "Madsen", "Branch-Odense", "full", HOUSING + WEALTH, [PRIVATE]),
    (
        "Peter",
        "Kristensen",
        "Branch-Odense",
        "agri",
        ["Agricultural financing", "Business loan"],
        [AGRI, BUSINESS],
    ),
    ("Julie", "Olsen", "Branch-Odense", "part", ["Everyday banking"], [PRIVATE]),
    ("Henrik", "Thomsen", "Branch-North", "split", ["Investment", "Pension"], [PB]),
    ("Karen", "Poulsen", "Branch-City", "full", ["Internal review"], []),
]
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _id(kind: str, name: str) -> str:
    """A stable id for a demo item, so links and tests can rely on it."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def _email(first: str, last: str) -> str:
    plain = f"{first}.{last}".lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    return f"{plain}@nordbank.example"


def _day(start: str, end: str, types: list[str], location: str | None = None) -> dict[str, Any]:
    day: dict[str, Any] = {"from": start, "to": end, "meeting_types": types}
    if location:
        day["location"] = location
    return day


def _schedule(pattern: str) -> dict[str, Any]:
    """A weekly schedule: full time, part time, Copenhagen/Aarhus split, remote, late or field days."""
    both = ["physical", "online"]
    if pattern == "full":
        week = {d: _day("08:30", "16:00", both) for d in WEEK[:4]}
        return {**week, "friday": _day("08:30", "15:00", ["online", "telephone"])}
    if pattern == "part":
        return {d: _day("09:00", "13:00", both) for d in ("monday", "tuesday", "thursday")}
    if pattern == "split":
        week = {d: _day("09:00", "16:00", both, "Branch-North") for d in WEEK[:3]}
        return {
            **week,
            **{d: _day("09:00", "15:00", ["physical"], "Branch-Aarhus") for d in WEEK[3:]},
        }
    if pattern == "remote":
        return {d: _day("09:00", "17:00", ["online", "telephone"]) for d in WEEK}
    if pattern == "late":
        return {d: _day("10:00", "18:00", both) for d in WEEK[1:]}
    return {d: _day("08:00", "15:30", ["physical", "offsite", "telephone"]) for d in WEEK[:4]}


def _employees(today: date) -> list[dict[str, Any]]:
    rows = []
    for first, last, home, pattern, topics, kinds in ADVISORS:
        email = _email(first, last)
        rows.append(
            {
                "id": _id("employee", email),
                "email": email,
                "first_name": first,
                "last_name": last,
                "home_location": home,
                "can_be_booked": topics != ["Internal review"],
                "skills": {"topics": topics, "customer_types": kinds},
                "schedule": _schedule(pattern),
                "busy_times": _busy_times(email, today),
            }
        )
    return rows


def _busy_times(email: str, today: date) -> list[dict[str, Any]]:
    """A holiday next week, an external calendar entry tomorrow, a day working elsewhere."""

    def at(days: int, hour: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour))

    busy = {
        _email("Lars", "Nielsen"): [(at(7, 0), at(10, 0), "absence", "Summer holiday")],
        _email("Mette", "Frederiksen"): [(at(1, 9), at(1, 11), "external", "Credit committee")],
        _email("Anne", "Madsen"): [(at(2, 8), at(2, 17), "elsewhere", "Working from Svendborg")],
        _email("Jonas", "Rasmussen"): [(at(3, 12), at(3, 16), "absence", "Doctor")],
    }.get(email, [])
    return [{"start": s, "end": e, "kind": k, "note": n} for s, e, k, n in busy]


def _holidays(today: date) -> list[dict[str, Any]]:
    """Danish public holidays and bank closing days, this year and next, from `holidays`."""
    years = [today.year, today.year + 1]
    found = holidays.country_holidays("DK", years=years, categories=("public", "optional"))
    return [{"date": day, "name": name} for day, name in sorted(found.items())]


def demo_document(today: date) -> dict[str, Any]:
    """The demo configuration as an import file would hold it."""
    return {
        "settings": {
            "name": "Nordbank",
            "time_zone": TIME_ZONE,
            "opening_time": "08:00",
            "closing_time": "18:00",
            "max_days_ahead": 60,
            "default_meeting_minutes": 60,
            "buffer_after_minutes": 15,
            "min_notice_minutes": 120,
            "max_meeting_minutes_per_day": 360,
        },
        "locations": [
            {"id": _id("location", n), "name": n, "areas": a, "address": ad, "require_room": r}
            for n, a, ad, r in LOCATIONS
        ],
        "rooms": [
            {
                "id": _id("room", f"{loc}/{name}"),
                "name": name,
                "location": loc,
                "capacity": 4 + 2 * i,
            }
            for loc, names in ROOMS.items()
            for i, name in enumerate(names)
        ],
        "customer_types": [{"id": _id("customer_type", n), "name": n} for n in CUSTOMER_TYPES],
        "topics": [
            {
                "id": _id("topic", n),
                "name": n,
                "duration_minutes": m,
                "meeting_types": t,
                "customer_types": c,
                "is_customer": pub,
                "order": i,
            }
            for i, (n, m, t, c, pub) in enumerate(TOPICS)
        ],
        "employees": _employees(today),
        "competence_groups": _competence_groups(),
        "service_groups": _service_groups(),
        "closing_days": _holidays(today),
    }


def _competence_groups() -> list[dict[str, Any]]:
    """Advisory > Housing > Mortgage specialists, Advisory > Wealth, Business > Agriculture."""
    groups = [
        ("Advisory", None, [], [], []),
        ("Housing", "Advisory", [], ["Everyday banking"], [PRIVATE]),
        (
            "Mortgage specialists",
            "Housing",
            [("Mette", "Frederiksen"), ("Anders", "Hansen")],
            ["Mortgage"],
            [PRIVATE, PB],
        ),
        (
            "Wealth",
            "Advisory",
            [("Lars", "Nielsen"), ("Henrik", "Thomsen")],
            ["Pension", "Investment"],
            [PB],
        ),
        ("Business", None, [("Camilla", "Pedersen")], ["Business loan"], [BUSINESS]),
        (
            "Agriculture",
            "Business",
            [("Søren", "Østergaard"), ("Peter", "Kristensen")],
            ["Agricultural financing"],
            [AGRI],
        ),
    ]
    return [
        {
            "id": _id("competence_group", n),
            "name": n,
            "parent": p,
            "members": [_email(f, last) for f, last in m],
            "topics": t,
            "customer_types": c,
        }
        for n, p, m, t, c in groups
    ]


def _service_groups() -> list[dict[str, Any]]:
    """Remote advice over video and telephone, and a field team for farms on Funen and in Jutland."""
    return [
        {
            "id": _id("service_group", "Remote advice"),
            "name": "Remote advice",
            "label": "Online and telephone advice, whole country",
            "topics": ["Everyday banking", "Pension"],
            "meeting_types": ["online", "telephone"],
            "employees": [_email("Rasmus", "Larsen"), _email("Freja", "Sørensen")],
            "max_meeting_minutes_per_day": 420,
        },
        {
            "id": _id("service_group", "Agriculture field team"),
            "name": "Agriculture field team",
            "label": "Advisors who visit farms",
            "customer_types": [AGRI],
            "customer_locations": ["Aarhus", "Odense", "Funen"],
            "meeting_types": ["offsite", "physical"],
            "locations": ["Branch-Aarhus", "Branch-Odense"],
            "competence_groups": ["Agriculture"],
        },
    ]


def has_configuration() -> bool:
    """Whether the database already holds branches or advisors (then the demo is not loaded)."""
    employees = db.session.scalar(select(func.count()).select_from(Employee)) or 0
    locations = db.session.scalar(select(func.count()).select_from(Location)) or 0
    return employees + locations > 0


def load_demo(now: datetime) -> dict[str, int]:
    """Write the demo configuration and meetings in one transaction; counts of what was added."""
    zone = ZoneInfo(TIME_ZONE)
    today = now.astimezone(zone).date()
    doc, problems = check(demo_document(today))
    if problems:  # the demo is data we own: a problem here is a bug, not user input
        raise ConfigurationError(problems)
    try:
        report = write(doc)
        meetings = _book_meetings(now, today, zone, closed=set(h["date"] for h in _holidays(today)))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    counts = {
        section: c["created"] for section, c in report.counts.items() if section != "settings"
    }
    return {**counts, "meetings": meetings}


def _book_meetings(now: datetime, today: date, zone: ZoneInfo, closed: set[date]) -> int:
    """Meetings from three days ago to three weeks ahead, leaving plenty of free time."""
    planner = _Planner(now, zone)
    employees = db.session.scalars(
        select(Employee)
        .options(selectinload(Employee.schedules), selectinload(Employee.topics))
        .where(Employee.can_be_booked.is_(True))
        .order_by(Employee.email)
    ).all()
    for offset in range(-3, 22):
        day = today + timedelta(days=offset)
        if day in closed:
            continue
        for employee in employees:
            for _ in range(planner.rng.randint(0, 2)):
                planner.try_meeting(day, employee)
    return planner.flush()


CUSTOMERS = [
    "Jens Møller",
    "Birgitte Holm",
    "Morten Dahl",
    "Lone Vestergaard",
    "Kasper Bech",
    "Hanne Lund",
    "Thomas Skov",
    "Maria Nygaard",
    "Niels Bruun",
    "Signe Krogh",
]
GAP = timedelta(minutes=30)


class _Planner:
    """Places demo meetings at random half hours inside advisors' schedules, never overlapping."""

    def __init__(self, now: datetime, zone: ZoneInfo) -> None:
        self.now, self.zone, self.rng = now, zone, random.Random(SEED)
        self.rooms: dict[str, list[Room]] = {}
        for room in db.session.scalars(select(Room).order_by(Room.name)):
            self.rooms.setdefault(room.location_id, []).append(room)
        self.taken: dict[str, list[tuple[datetime, datetime]]] = {}
        self.meetings: list[Meeting] = []

    def try_meeting(self, day: date, employee: Employee) -> None:
        """Book one meeting for `employee` on `day` when the drawn time and a room are free."""
        sched = next((s for s in employee.schedules if s.weekday == day.weekday()), None)
        if sched is None or not sched.available:
            return
        choices = sorted(
            (t.name, mt, t)
            for t in employee.topics
            if t.is_customer
            for mt in t.meeting_types
            if mt in sched.meeting_types
        )
        if not choices:
            return
        _, meeting_type, topic = self.rng.choice(choices)
        start, end = self._draw_time(day, sched.start_time, sched.end_time, topic)
        if start is None or not self._free(f"employee:{employee.id}", start, end):
            return
        room = None
        if meeting_type == "Physical" and self.rooms.get(sched.location_id or ""):
            room = self._free_room(sched.location_id or "", start, end)
            if room is None:
                return
        self._book(employee, topic, meeting_type, start, end, room, sched.location_id)

    def _draw_time(self, day: date, first: time, last: time, topic: Topic) -> tuple[Any, Any]:
        length = timedelta(minutes=topic.duration_minutes or 60)
        start = datetime.combine(day, first, self.zone)
        room = datetime.combine(day, last, self.zone) - start - length
        if room < timedelta(0):
            return None, None
        start += timedelta(minutes=30 * self.rng.randint(0, int(room / GAP)))
        return start, start + length

    def _free(self, key: str, start: datetime, end: datetime) -> bool:
        """Free, keeping half an hour between meetings so the buffer holds."""
        return all(end + GAP <= s or e + GAP <= start for s, e in self.taken.get(key, []))

    def _free_room(self, location_id: str, start: datetime, end: datetime) -> Room | None:
        rooms = self.rooms.get(location_id, [])
        return next((r for r in rooms if self._free(f"room:{r.id}", start, end)), None)

    def _book(
        self,
        employee: Employee,
        topic: Topic,
        meeting_type: str,
        start: datetime,
        end: datetime,
        room: Room | None,
        location_id: str | None,
    ) -> None:
        customer = self.rng.choice(CUSTOMERS)
        kinds = sorted(topic.customer_types, key=lambda c: c.name) or employee.customer_types
        meeting = Meeting(
            id=_id("meeting", f"{employee.email}/{start.isoformat()}"),
            start_at=start,
            end_at=end,
            meeting_type=meeting_type,
            topic_id=topic.id,
            customer_type_id=kinds[0].id if kinds else None,
            employee_id=employee.id,
            room_id=room.id if room else None,
            location_id=location_id if meeting_type == "Physical" else None,
            customer_id=f"DEMO-{self.rng.randint(100000, 999999)}",
            customer_name=customer,
            booked_by="customer",
            title=f"{topic.name} with {customer}",
            status="Booked",
            sequence=0,
            created_at=self.now,
            modified_at=self.now,
            additional_employee_ids=[],
        )
        self.meetings.append(meeting)
        for key in resources_for([employee.id], meeting.room_id):
            self.taken.setdefault(key, []).append((start, end))

    def flush(self) -> int:
        """Write the meetings, then their claims (the claims point at the meetings)."""
        db.session.add_all(self.meetings)
        db.session.flush()
        for m in self.meetings:
            add_claims(
                resources_for([m.employee_id], m.room_id), m.start_at, m.end_at, meeting_id=m.id
            )
        db.session.flush()
        return len(self.meetings)
