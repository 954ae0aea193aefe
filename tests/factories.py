"""Builders for test data. They write rows directly; production writes go through the services."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select

from app.api.clients import SCOPES
from app.api.oauth import issue_token
from app.booking.claims import add_claims, resources_for
from app.extensions import db
from app.models import (
    ApiClient,
    BusyTime,
    ClosingDay,
    CompetenceGroup,
    CustomerType,
    Employee,
    Location,
    Meeting,
    OrganisationSettings,
    Room,
    ServiceGroup,
    Topic,
    WeeklySchedule,
)

_seq = itertools.count(1)
WEEKDAYS = (0, 1, 2, 3, 4)
MONDAY_0800 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Copenhagen: the tests' usual now


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """Copenhagen wall-clock time in March 2026 before summer time (UTC+1) as UTC."""
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


def settings(**kw) -> OrganisationSettings:
    """The organisation row (created once, updated on later calls)."""
    row = db.session.get(OrganisationSettings, 1) or OrganisationSettings(id=1)
    defaults = dict(
        time_zone="Europe/Copenhagen",
        opening_time=time(7, 0),
        closing_time=time(20, 0),
        max_days_ahead=90,
        default_meeting_minutes=60,
        buffer_before_minutes=0,
        buffer_after_minutes=0,
        min_notice_minutes=0,
    )
    for key, value in {**defaults, **kw}.items():
        setattr(row, key, value)
    db.session.add(row)
    db.session.flush()
    return row


def location(name: str | None = None, areas: list[str] | None = None, **kw) -> Location:
    n = next(_seq)
    row = Location(
        name=name or f"Branch-{n}", areas=areas or [f"Area-{n}"], address=f"Street {n}", **kw
    )
    db.session.add(row)
    db.session.flush()
    return row


def customer_type(name: str = "Private") -> CustomerType:
    row = CustomerType(name=name)
    db.session.add(row)
    db.session.flush()
    return row


def topic(name: str | None = None, duration: int | None = 60, meeting_types=None, **kw) -> Topic:
    row = Topic(
        name=name or f"Topic {next(_seq)}",
        duration_minutes=duration,
        meeting_types=meeting_types or ["Physical", "Online"],
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def employee(
    location: Location | None = None,
    *,
    days=WEEKDAYS,
    start: time = time(8, 0),
    end: time = time(16, 0),
    meeting_types=("Physical", "Online"),
    **kw,
) -> Employee:
    """An advisor working `days` from `start` to `end` at `location`."""
    n = next(_seq)
    row = Employee(
        first_name=f"Ada{n}",
        last_name="Advisor",
        display_name=f"Ada{n} Advisor",
        initials=f"A{n}",
        email=f"ada{n}@bank.test",
        home_location_id=location.id if location else None,
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    for wd in days:
        db.session.add(
            WeeklySchedule(
                employee_id=row.id,
                weekday=wd,
                available=True,
                start_time=start,
                end_time=end,
                meeting_types=list(meeting_types),
                location_id=location.id if location else None,
            )
        )
    db.session.flush()
    return row


def room(location: Location, **kw) -> Room:
    row = Room(name=kw.pop("name", f"Room {next(_seq)}"), location_id=location.id, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def busy(employee: Employee, start: datetime, end: datetime, kind: str = "absence") -> BusyTime:
    row = BusyTime(employee_id=employee.id, start_at=start, end_at=end, kind=kind)
    db.session.add(row)
    db.session.flush()
    return row


def closing_day(day, name: str = "Closed") -> ClosingDay:
    row = ClosingDay(day=day, name=name)
    db.session.add(row)
    db.session.flush()
    return row


def competence_group(
    name: str = "Group", parent: CompetenceGroup | None = None, **kw
) -> CompetenceGroup:
    row = CompetenceGroup(name=name, parent_id=parent.id if parent else None, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def service_group(name: str = "Remote", **kw) -> ServiceGroup:
    row = ServiceGroup(name=name, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def meeting(
    employee: Employee,
    start: datetime,
    minutes: int = 60,
    *,
    meeting_type: str = "Physical",
    room: Room | None = None,
    topic: Topic | None = None,
    **kw,
) -> Meeting:
    """A booked meeting together with its claims, as the meetings service would leave it."""
    end = start + timedelta(minutes=minutes)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    row = Meeting(
        start_at=start,
        end_at=end,
        meeting_type=meeting_type,
        employee_id=employee.id,
        room_id=room.id if room else None,
        topic_id=topic.id if topic else None,
        created_at=now,
        modified_at=now,
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    add_claims(
        resources_for([employee.id, *row.additional_employee_ids], row.room_id),
        start,
        end,
        meeting_id=row.id,
    )
    db.session.flush()
    return row


def api_client(client_id: str, scope: str = " ".join(SCOPES)) -> None:
    """A registered API client with this id (every scope by default; its secret nobody knows),
    committed so that other connections see it; an existing one is kept as it is. A plain insert:
    the apps of tests/api/conftest.py `nodb_app` have the clients' table and no other."""
    if db.session.scalar(select(ApiClient.id).where(ApiClient.client_id == client_id)) is None:
        db.session.execute(
            insert(ApiClient).values(
                id=str(uuid.uuid4()),
                client_id=client_id,
                client_secret_hash="sha256$unknown",
                name=client_id,
                scope=scope,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
        db.session.commit()


def token(
    client_id: str, scopes: Iterable[str], *, now: datetime, lifetime: int | None = None
) -> str:
    """An access token, as `issue_token` mints it, for a client that is registered (a bearer token
    of a client with no row is refused, as a revoked client's is)."""
    api_client(client_id)
    return issue_token(client_id, scopes, now=now, lifetime=lifetime)
