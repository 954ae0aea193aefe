"""Demo meetings: drawn at random half hours inside advisors' schedules with a fixed seed.

They are written as the meetings service leaves them (status Booked, with their claims), because
that service only turns live reservations into meetings and demo meetings also lie in the past.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.booking.claims import add_claims, resources_for
from app.demo.data import demo_id
from app.extensions import db
from app.models import Employee, Meeting, Room, Topic

SEED = 20260302


def book_meetings(now: datetime, today: date, zone: ZoneInfo, closed: set[date]) -> int:
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
            id=demo_id("meeting", f"{employee.email}/{start.isoformat()}"),
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
