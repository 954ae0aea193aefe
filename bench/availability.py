"""Availability benchmark: `make bench` (never part of `make test`).

Builds N advisors working Mon-Fri 08:00-16:00 at one branch, one 60-minute topic, and 3 meetings of
60 minutes per advisor per working day for 30 days, in a temporary SQLite database and (when
reachable) a freshly created PostgreSQL database dropped afterwards. Reports medians through the
HTTP endpoint (real bearer token) and through the service, the raw fetch of the busy intervals for the
same window (the floor), and peak memory.
Usage: `python bench/availability.py [N ...] [--sqlite-only] [--no-readme]`.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir)))

from flask import Flask  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from app.booking.minutes import busy_statement, claims_statement, fetch_raw  # noqa: E402
from app.booking.query import SlotQuery  # noqa: E402
from app.booking.slots import _only_explicit, _org, _window, find_slots  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    BookingClaim,
    Employee,
    Location,
    Meeting,
    OrganisationSettings,
    Topic,
    WeeklySchedule,
)

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Copenhagen
TZ = ZoneInfo("Europe/Copenhagen")
PG_ADMIN_URL = os.environ.get(
    "BOOKME_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MEETING_HOURS = ((9, 0), (11, 0), (14, 0))


def build_dataset(n: int) -> dict[str, str]:
    """Insert the organisation, one branch, one topic, n advisors and their meetings (with claims)."""
    db.session.add(
        OrganisationSettings(
            id=1,
            opening_time=wall(7),
            closing_time=wall(20),
            max_days_ahead=90,
            default_meeting_minutes=60,
            buffer_before_minutes=0,
            buffer_after_minutes=0,
            min_notice_minutes=0,
        )
    )
    branch = Location(name="Branch-North", areas=["Copenhagen"], address="Main Street 1")
    topic = Topic(name="Mortgage", duration_minutes=60, meeting_types=["Physical", "Online"])
    db.session.add_all([branch, topic])
    db.session.flush()
    emp_ids = [str(uuid.uuid4()) for _ in range(n)]
    db.session.execute(
        insert(Employee), [_employee(i, e, branch.id) for i, e in enumerate(emp_ids)]
    )
    db.session.execute(
        insert(WeeklySchedule),
        [
            dict(
                id=str(uuid.uuid4()),
                employee_id=e,
                weekday=d,
                available=True,
                start_time=wall(8),
                end_time=wall(16),
                meeting_types=["Physical", "Online"],
                location_id=branch.id,
            )
            for e in emp_ids
            for d in range(5)
        ],
    )
    _insert_meetings(emp_ids, topic.id)
    db.session.commit()
    return {"topic": topic.id, "first": emp_ids[0]}


def _employee(i: int, ident: str, branch: str) -> dict[str, Any]:
    return dict(
        id=ident,
        first_name=f"Ada{i}",
        last_name="Advisor",
        display_name=f"Ada{i} Advisor",
        initials=f"A{i}",
        email=f"ada{i}@bank.test",
        home_location_id=branch,
        can_be_booked=True,
        only_explicitly_available=False,
    )


def _insert_meetings(emp_ids: list[str], topic_id: str) -> None:
    """3 one-hour meetings per advisor per working day for 30 days, with their claims."""
    meetings, claims = [], []
    for offset in range(30):
        day = (NOW.astimezone(TZ) + timedelta(days=offset)).date()
        if day.weekday() >= 5:
            continue
        for i, emp in enumerate(emp_ids):
            for hour, minute in MEETING_HOURS:
                start = datetime.combine(day, wall(hour, minute + 30 * (i % 2)), tzinfo=TZ)
                start, end = start.astimezone(UTC), start.astimezone(UTC) + timedelta(hours=1)
                mid = str(uuid.uuid4())
                meetings.append(
                    dict(
                        id=mid,
                        start_at=start,
                        end_at=end,
                        meeting_type="Physical",
                        topic_id=topic_id,
                        employee_id=emp,
                        additional_employee_ids=[],
                        created_at=NOW,
                        modified_at=NOW,
                        status="Booked",
                    )
                )
                claims.append(
                    dict(
                        resource=f"employee:{emp}",
                        start_at=start,
                        end_at=end,
                        blocked_from=start,  # the bench organisation keeps no buffers
                        blocked_until=end,
                        meeting_id=mid,
                    )
                )
    for chunk in range(0, len(meetings), 5000):
        db.session.execute(insert(Meeting), meetings[chunk : chunk + 5000])
        db.session.execute(insert(BookingClaim), claims[chunk : chunk + 5000])


class Timing(NamedTuple):
    """Median wall and CPU (process) time of one measured call, in ms, and its last result."""

    wall: float
    cpu: float
    result: object


def medians(fns: Sequence[Callable[[], object]], repeats: int) -> list[Timing]:
    """Each of `fns` timed `repeats` times after one warm-up call, taking turns (floor, service,
    HTTP, ...), so that a machine that speeds up or slows down meanwhile moves all of them alike
    and their ratios stay fair. CPU time is steadier than wall time on a shared machine.

    A result is dropped before the next call, as a server drops an answer once sent: held, a
    7 MB answer would make every call build the next one in freshly mapped memory."""
    last: list[object] = [fn() for fn in fns]
    walls: list[list[float]] = [[] for _ in fns]
    cpus: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            last[i] = None
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            last[i] = fn()
            walls[i].append((time.perf_counter() - start) * 1000)
            cpus[i].append((time.process_time() - start_cpu) * 1000)
    return [
        Timing(statistics.median(w), statistics.median(c), r)
        for w, c, r in zip(walls, cpus, last, strict=True)
    ]


def raw_fetch(query: SlotQuery) -> Callable[[], object]:
    """The floor: the claims and busy times the service reads for the same window, by the same
    statements and the same (fastest) driver-level fetch, and nothing else: on PostgreSQL the
    epoch minutes come out of SQL; on SQLite the stored text is not even converted."""
    lo, hi = _window(query, _org(), NOW)
    only = _only_explicit(query)

    def fetch() -> object:
        return fetch_raw(claims_statement(lo, hi, NOW, only)) + fetch_raw(
            busy_statement(lo, hi, only)
        )

    return fetch


def token(app: Flask) -> str:
    """A real access token from the client-credentials grant."""
    from app.api.clients import register_client

    creds = register_client("bench", "bookme.read")
    db.session.commit()
    answer = app.test_client().post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **creds},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return str(answer.get_json()["access_token"])


CASES = (
    ("a", "one advisor, one day", 1, True),
    ("b", "all advisors, 7 days", 7, False),
    ("c", "all advisors, 30 days", 30, False),
)


def case_query(ids: dict[str, str], days: int, one: bool, best: bool) -> SlotQuery:
    """The service query of one case: Physical at the Copenhagen branch, from Monday 08:00."""
    return SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=(ids["first"],) if one else (),
        start=NOW,
        look_forward=timedelta(days=days),
        topic_id=ids["topic"],
        meeting_types=("Physical",),
        customer_location="Copenhagen",
        best_slots=best,
    )


def case_url(ids: dict[str, str], days: int, one: bool, best: bool) -> str:
    """The same case as a request to the public endpoint."""
    params = [
        "requireEmployeeParticipation=true",
        f"lookForwardTime={days}.00:00:00",
        f"topic={ids['topic']}",
        "meetingTypes=physical",
        "customerLocation=Copenhagen",
        "startDate=2026-03-02T07:00:00Z",
        f"getBestTimeSlots={'true' if best else 'false'}",
    ]
    if one:
        params.append(f"explicitEmployeeIds={ids['first']}")
    return "/bookme/time-slots/available?" + "&".join(params)


def run_backend(name: str, url: str, n: int) -> list[dict[str, Any]]:
    """Build the dataset on `url` and measure every case; one row per case and best flag."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench",
        "BOOKME_CLOCK": lambda: NOW,
        "RATELIMIT_ENABLED": False,
    }
    app = create_app(config)
    gc.collect()
    gc.freeze()  # as wsgi.py does once per worker
    rows: list[dict[str, Any]] = []
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        ids = build_dataset(n)
        headers = {"Authorization": "Bearer " + token(app)}
        for key, label, days, one in CASES:
            repeats = 25 if days == 1 else 15
            calls: list[Callable[[], object]] = [raw_fetch(case_query(ids, days, one, False))]
            for best in (False, True):
                calls += _calls(app, headers, ids, (days, one, best))
            floor, *measured = medians(calls, repeats)
            base = dict(backend=name, n=n, case=key, label=label, floor=floor.wall)
            pairs = zip(measured[::2], measured[1::2], strict=True)
            for best, (service, http) in zip((False, True), pairs, strict=True):
                rows.append({**base, **_row(best, floor, service, http)})
                print(_line(rows[-1]), flush=True)
        rows.append(dict(backend=name, n=n, case="mem", peak=_peak_mb(ids)))
        print(f"{name} N={n}: peak traced memory for (c) {rows[-1]['peak']:.1f} MB", flush=True)
        db.session.remove()
        db.engine.dispose()
    return rows


def _calls(
    app: Flask, headers: dict[str, str], ids: dict[str, str], case: tuple[int, bool, bool]
) -> list[Callable[[], object]]:
    """One case through the service and through HTTP (with a real bearer token)."""
    days, one, best = case
    query = case_query(ids, days, one, best)
    path, client = case_url(ids, days, one, best), app.test_client()

    def service() -> object:
        return find_slots(query, NOW)

    def http() -> object:
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        return answer

    return [service, http]


def _row(best: bool, floor: Timing, service: Timing, http: Timing) -> dict[str, Any]:
    return dict(
        best=best,
        slots=len(service.result),  # type: ignore[arg-type]
        http=http.wall,
        service=service.wall,
        http_cpu=http.cpu,
        service_cpu=service.cpu,
        floor_cpu=floor.cpu,
    )


def _peak_mb(ids: dict[str, str]) -> float:
    tracemalloc.start()
    find_slots(case_query(ids, 30, False, False), NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def _line(r: dict[str, Any]) -> str:
    return (
        f"{r['backend']:<10} N={r['n']:<4} ({r['case']}) {r['label']:<22} best={str(r['best']):<5} "
        f"slots={r['slots']:<6} http={r['http']:7.1f} ms  service={r['service']:7.1f} ms  "
        f"raw fetch={r['floor']:6.1f} ms  http/raw={r['http'] / max(r['floor'], 0.01):5.1f}x  "
        f"cpu http/service/raw={r['http_cpu']:.1f}/{r['service_cpu']:.1f}/{r['floor_cpu']:.1f}"
    )


def _table(rows: list[dict[str, Any]]) -> str:
    """The README section's table: one Markdown row per case."""
    head = (
        "| backend | N | case | best | slots | HTTP ms | service ms | raw fetch ms | HTTP/raw "
        "| CPU ms HTTP / service / raw | CPU HTTP/raw |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    body = "".join(
        f"| {r['backend']} | {r['n']} | ({r['case']}) {r['label']} | {str(r['best']).lower()} "
        f"| {r['slots']} | {r['http']:.1f} | {r['service']:.1f} | {r['floor']:.1f} "
        f"| {r['http'] / max(r['floor'], 0.01):.1f}x "
        f"| {r['http_cpu']:.1f} / {r['service_cpu']:.1f} / {r['floor_cpu']:.1f} "
        f"| {r['http_cpu'] / max(r['floor_cpu'], 0.01):.1f}x |\n"
        for r in rows
        if r["case"] != "mem"
    )
    peaks = ", ".join(
        f"{r['backend']} N={r['n']}: {r['peak']:.1f} MB" for r in rows if r["case"] == "mem"
    )
    return head + body + f"\nPeak traced memory of one (c) search: {peaks}.\n"


def write_readme(rows: list[dict[str, Any]], rss: float) -> None:
    """Replace the availability section of bench/README.md (other sections are left alone)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
    text = "# Benchmarks\n"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    start, end = "<!-- availability:start -->", "<!-- availability:end -->"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    section = (
        f"{start}\n## Availability\n\n`make bench` (`python bench/availability.py`). "
        "N advisors Mon-Fri 08:00-16:00 at one branch, one 60-minute topic, 3 one-hour meetings "
        "per advisor per working day for 30 days; search from Monday 08:00 local, Physical, "
        "`customerLocation=Copenhagen` (Local pool). Medians of 15-25 repeats after a warm-up; "
        "HTTP = Flask test client with a real bearer token from `/oauth/token`; raw fetch = the "
        "claims and busy times of the same window and nothing else, by the statements and the "
        "driver-level fetch the service uses (the floor; on SQLite without even converting the "
        "stored text). CPU = process "
        f"time, steadier than wall time on this shared 2-core machine. Measured {when}, load "
        f"average {load}. Peak RSS of the whole run {rss:.0f} MB.\n\n"
        + _table(rows)
        + f"\nTargets, where the time goes and what would close the gap: `docs/availability.md` (Speed).\n{end}"
    )
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def postgres_url() -> tuple[str, Callable[[], None]] | None:
    """A fresh PostgreSQL database and its dropper, or None when PostgreSQL is not reachable."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception:
        return None
    name = f"bookme_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, drop


def main(sizes: list[int], postgres: bool = True, readme: bool = True) -> None:
    """Run every size on SQLite and PostgreSQL, print the figures and update bench/README.md."""
    print("Availability benchmark (medians; times in ms)")
    rows: list[dict[str, Any]] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            rows += run_backend("sqlite", f"sqlite:///{tmp}/bench.db", n)
        pg = postgres_url() if postgres else None
        if pg is not None:
            url, drop = pg
            try:
                rows += run_backend("postgresql", url, n)
            finally:
                drop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole run: {rss:.0f} MB")
    if readme:
        write_readme(rows, rss)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        [int(a) for a in args if a.isdigit()] or [20, 200],
        postgres="--sqlite-only" not in args,
        readme="--no-readme" not in args,
    )
