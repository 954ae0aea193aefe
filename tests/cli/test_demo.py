"""The Nordbank demo loads on both databases, is idempotent, and always has free and busy time ahead."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.booking.claims import employee_resource
from app.demo import demo_document, load_demo
from app.extensions import db
from app.models import (
    BookingClaim,
    BusyTime,
    ClosingDay,
    CompetenceGroup,
    Employee,
    Location,
    Meeting,
    OrganisationSettings,
    Room,
    ServiceGroup,
    Topic,
)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_seed_demo_loads_a_bank_and_a_second_run_changes_nothing(runner, app, clock):
    first = runner.invoke(args=["bookme", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "demo data loaded" in first.output
    before = {
        m.__tablename__: count(m) for m in (Employee, Meeting, ClosingDay, BusyTime, BookingClaim)
    }
    second = runner.invoke(args=["bookme", "seed-demo"])
    assert second.exit_code == 0
    assert "not loaded" in second.output
    assert {
        m.__tablename__: count(m) for m in (Employee, Meeting, ClosingDay, BusyTime, BookingClaim)
    } == before


def test_the_demo_has_the_facts_the_other_parts_rely_on(app, clock):
    load_demo(clock.now)
    settings = db.session.get(OrganisationSettings, 1)
    assert settings.name == "Nordbank" and settings.time_zone == "Europe/Copenhagen"
    assert count(Employee) >= 15
    assert {"Branch-North", "Branch-City", "Branch-Aarhus", "Branch-Odense"} <= set(
        db.session.scalars(select(Location.name))
    )
    north = db.session.scalar(select(Location).where(Location.name == "Branch-North"))
    assert "Copenhagen" in north.areas and "Frederiksberg" in north.areas
    topics = db.session.scalars(select(Topic)).all()
    assert len(topics) >= 6
    assert any(not t.is_customer for t in topics)
    assert any(t.duration_minutes == 45 for t in topics)
    assert all(
        set(t.meeting_types) <= {"Physical", "Online", "Telephone", "OffSite"} for t in topics
    )
    for location in db.session.scalars(select(Location)):
        assert db.session.scalar(
            select(func.count()).select_from(Room).where(Room.location_id == location.id)
        )
    remote = db.session.scalar(select(ServiceGroup).where(ServiceGroup.name == "Remote advice"))
    assert set(remote.meeting_types) == {"Online", "Telephone"} and remote.employees


def test_the_demo_closing_days_are_danish_holidays_for_this_year_and_next(app, clock):
    load_demo(clock.now)
    days = dict(db.session.execute(select(ClosingDay.day, ClosingDay.name)).all())
    for day in (date(2026, 12, 25), date(2026, 4, 6), date(2027, 1, 1), date(2027, 3, 29)):
        assert day in days
    assert "Christmas" in days[date(2026, 12, 25)]
    assert date(2026, 5, 15) in days  # banks close the Friday after Ascension Day (14 May)


def test_the_competence_groups_form_a_tree_with_mortgage_specialists_three_levels_down(app, clock):
    load_demo(clock.now)
    groups = {g.name: g for g in db.session.scalars(select(CompetenceGroup))}
    parent = {g.id: g.parent_id for g in groups.values()}
    specialists = groups["Mortgage specialists"]
    assert parent[specialists.id] == groups["Housing"].id
    assert parent[groups["Housing"].id] == groups["Advisory"].id
    assert specialists.members


def test_some_advisors_work_in_copenhagen_early_in_the_week_and_in_aarhus_later(app, clock):
    load_demo(clock.now)
    aarhus = db.session.scalar(select(Location).where(Location.name == "Branch-Aarhus"))
    north = db.session.scalar(select(Location).where(Location.name == "Branch-North"))
    split = [
        e
        for e in db.session.scalars(select(Employee))
        if {s.weekday: s.location_id for s in e.schedules}
        == {0: north.id, 1: north.id, 2: north.id, 3: aarhus.id, 4: aarhus.id}
    ]
    assert len(split) >= 2
    part_time = [e for e in db.session.scalars(select(Employee)) if 0 < len(e.schedules) < 5]
    assert part_time


def test_demo_meetings_lie_ahead_hold_claims_and_never_overlap(app, clock):
    summary = load_demo(clock.now)
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.start_at)).all()
    assert summary["meetings"] == len(meetings) > 50
    future = [m for m in meetings if m.start_at > clock.now]
    assert len(future) > 30
    assert any(m.start_at < clock.now for m in meetings)
    assert count(BookingClaim) >= len(meetings)
    first = future[0]
    claim = db.session.scalar(
        select(BookingClaim).where(
            BookingClaim.meeting_id == first.id,
            BookingClaim.resource == employee_resource(first.employee_id),
        )
    )
    assert claim.start_at == first.start_at and claim.end_at == first.end_at
    by_employee: dict[str, list[Meeting]] = {}
    for m in meetings:
        by_employee.setdefault(m.employee_id, []).append(m)
    for booked in by_employee.values():
        assert all(a.end_at <= b.start_at for a, b in zip(booked, booked[1:], strict=False))
    closed = set(db.session.scalars(select(ClosingDay.day)))
    assert all(m.start_at.date() not in closed for m in meetings)


def test_demo_busy_times_are_relative_to_today(app, clock):
    load_demo(clock.now)
    busy = db.session.scalars(select(BusyTime)).all()
    assert {b.kind for b in busy} == {"absence", "external", "elsewhere"}
    assert all(clock.now < b.start_at < clock.now + timedelta(days=10) for b in busy)


def test_the_demo_is_the_same_for_the_same_day():
    today = date(2026, 3, 2)
    assert demo_document(today) == demo_document(today)
    assert demo_document(today) != demo_document(today + timedelta(days=1))


def test_the_demo_moves_with_the_clock(app, clock):
    clock.set(datetime.fromisoformat("2026-11-16T08:00:00+00:00"))
    load_demo(clock.now)
    assert min(db.session.scalars(select(Meeting.start_at))) >= clock.now - timedelta(days=4)
    assert max(db.session.scalars(select(Meeting.start_at))) > clock.now + timedelta(days=14)
    assert db.session.scalar(select(ClosingDay).where(ClosingDay.day == date(2027, 12, 25)))


def test_every_customer_topic_has_a_bookable_skilled_advisor_who_offers_its_meeting_types(
    app, clock
):
    load_demo(clock.now)
    advisors = db.session.scalars(select(Employee).where(Employee.can_be_booked.is_(True))).all()
    groups = db.session.scalars(select(CompetenceGroup)).all()
    for topic in db.session.scalars(select(Topic)):
        skilled = {e.id for e in advisors if topic in e.topics}
        skilled |= {m.id for g in groups if topic in g.topics for m in g.members}
        offered = {
            t for e in advisors if e.id in skilled for s in e.schedules for t in s.meeting_types
        }
        assert skilled, topic.name
        assert set(topic.meeting_types) & offered, topic.name
