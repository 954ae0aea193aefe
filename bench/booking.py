"""Booking benchmark: `make bench` (never part of `make test`).

For PostgreSQL (a fresh database, dropped afterwards) and SQLite (a temporary file): migrate, build one
branch with advisors working Mon-Fri 08:00-16:00 and one 60-minute Online topic, register an API
client, start gunicorn (2 workers) and drive the full customer flow from 16 concurrent clients on
loopback for a bounded time: availability -> reserve a random offered slot -> create the meeting;
first with no pause at all (saturation: the machine's capacity), then paced (each customer pauses
0.5-1 s between steps, as people do). Both with sync workers and with gthread workers.
Reports bookings per second, p50/p95/p99 latency of reserve and create, 409s, 5xx and an overlap
scan of the database afterwards, and writes the figures to the "Booking" section of bench/README.md.

Usage: `python bench/booking.py [--seconds 20] [--clients 16] [--advisors 12] [--threads 1 4]
[--think 0.5 1.0] [--no-readme]`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as wall

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir)))

import requests  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.concurrency.server import client_token, running_gunicorn  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "BOOKME_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
README = os.path.join(os.path.dirname(__file__), "README.md")
SCOPE = "bookme.read bookme.book"
SECTION_START, SECTION_END = "<!-- booking:start -->", "<!-- booking:end -->"


@dataclass
class Tally:
    """What the clients saw, shared by every client thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    reserve_ms: list[float] = field(default_factory=list)
    create_ms: list[float] = field(default_factory=list)
    availability_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    bookings: int = 0

    def add(self, kind: str, status: int, elapsed_ms: float) -> None:
        with self.lock:
            getattr(self, f"{kind}_ms").append(elapsed_ms)
            self.statuses[f"{kind} {status}"] += 1
            if kind == "create" and status == 201:
                self.bookings += 1


def build_bank(advisors: int) -> str:
    """The organisation, one branch, `advisors` advisors and an Online topic; returns the topic id."""
    from tests import factories

    factories.settings(opening_time=wall(7), closing_time=wall(20), max_days_ahead=90)
    branch = factories.location("Branch-Bench", ["Benchtown"])
    for _ in range(advisors):
        factories.employee(branch, meeting_types=("Online",))
    topic = factories.topic("Bench topic", duration=60, meeting_types=["Online"])
    db.session.commit()
    return topic.id


Pause = tuple[float, float] | None  # seconds a customer waits before each step (None: no pause)


def run_client(
    base: str, headers: dict[str, str], topic: str, stop: float, tally: Tally, think: Pause
) -> None:
    """One customer after another until `stop`: search, hold a random slot, book it."""
    session = requests.Session()
    rng = random.Random()

    def pause() -> None:
        if think is not None:
            time.sleep(rng.uniform(*think))

    params = {
        "requireEmployeeParticipation": "true",
        "topic": topic,
        "meetingTypes": "online",
        "lookForwardTime": "28.00:00:00",
        "isCustomerInitiated": "true",
        "customerLocation": "Benchtown",
    }
    while time.monotonic() < stop:
        pause()
        started = time.perf_counter()
        resp = session.get(f"{base}/bookme/time-slots/available", params=params, headers=headers)
        tally.add("availability", resp.status_code, (time.perf_counter() - started) * 1000)
        slots = resp.json() if resp.status_code == 200 else []
        if not slots:
            continue
        slot = rng.choice(slots)
        pause()
        body = {"timeSlot": {**slot, "status": "Reserved"}, "token": str(uuid.uuid4())}
        started = time.perf_counter()
        resp = session.post(f"{base}/bookme/time-slots/reserve", json=body, headers=headers)
        tally.add("reserve", resp.status_code, (time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            continue
        meeting = {"bookedBy": "customer", "timeSlotId": resp.json()["id"], "themeId": topic}
        meeting.update(type="online", employeeId=slot["employeeId"], customerId="bench")
        pause()
        started = time.perf_counter()
        resp = session.post(f"{base}/bookme/meetings", json=meeting, headers=headers)
        tally.add("create", resp.status_code, (time.perf_counter() - started) * 1000)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`, 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def bench_backend(
    name: str, url: str, args: argparse.Namespace, threads: int
) -> list[dict[str, object]]:
    """Migrate, seed, serve and drive one database: one client alone, then all of them without
    pauses (saturation), then all of them paced."""
    from flask_migrate import upgrade

    from app.api.clients import register_client
    from tests.concurrency.scan import live_overlaps

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        topic = build_bank(args.advisors)
        creds = register_client("bench", SCOPE)
        with running_gunicorn(url, workers=2, threads=threads) as base:
            token = client_token(base, creds["client_id"], creds["client_secret"], SCOPE)
            headers = {"Authorization": f"Bearer {token}"}
            think = (args.think[0], args.think[1])
            phases: list[tuple[int, float, Pause]] = [
                (1, max(3.0, args.seconds / 4), None),
                (args.clients, args.seconds, None),
                (args.clients, args.seconds, think),
            ]
            results, overlaps = [], []
            for phase in phases:  # each phase starts from an empty calendar: never sold out
                results.append(drive(base, headers, topic, *phase))
                overlaps += live_overlaps(datetime.now(UTC))
                clear_bookings()
        db.session.remove()
        db.engine.dispose()
    workers = "2 sync" if threads == 1 else f"2 gthread x {threads}"
    return [
        {
            **summarise(name, clients, tally, elapsed, overlaps),
            "workers": workers,
            "mode": _mode(clients, pace),
        }
        for (clients, _, pace), (tally, elapsed) in zip(phases, results, strict=True)
    ]


def clear_bookings() -> None:
    """Delete every meeting, hold and claim (a phase of 70 bookings/s for 20 s would otherwise
    leave the next one a sold-out calendar and nothing to measure)."""
    from app.models import BookingClaim, IdempotencyRecord, Meeting, Reservation

    for model in (BookingClaim, IdempotencyRecord, Meeting, Reservation):
        db.session.execute(delete(model))
    db.session.commit()


def _mode(clients: int, pace: Pause) -> str:
    if pace is not None:
        return f"paced {pace[0]:g}-{pace[1]:g} s"
    return "no pause" if clients == 1 else "**saturated**, no pause"


def drive(
    base: str, headers: dict[str, str], topic: str, clients: int, seconds: float, think: Pause
) -> tuple[Tally, float]:
    """Run `clients` customer loops for `seconds`; returns the tally and the elapsed time."""
    tally = Tally()
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=run_client, args=(base, headers, topic, stop, tally, think))
        for _ in range(clients)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - began


def summarise(
    name: str, clients: int, tally: Tally, elapsed: float, overlaps: list[str]
) -> dict[str, object]:
    """The reported figures of one backend."""
    server_errors = sum(n for key, n in tally.statuses.items() if key.split()[1].startswith("5"))
    conflicts = sum(n for key, n in tally.statuses.items() if key.endswith(" 409"))
    return {
        "backend": name,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "bookings": tally.bookings,
        "bookings_per_s": round(tally.bookings / elapsed, 1),
        "reserve_p50": percentile(tally.reserve_ms, 50),
        "reserve_p95": percentile(tally.reserve_ms, 95),
        "reserve_p99": percentile(tally.reserve_ms, 99),
        "create_p50": percentile(tally.create_ms, 50),
        "create_p95": percentile(tally.create_ms, 95),
        "create_p99": percentile(tally.create_ms, 99),
        "availability_p50": percentile(tally.availability_ms, 50),
        "reserves": len(tally.reserve_ms),
        "conflicts": conflicts,
        "server_errors": server_errors,
        "overlaps": len(overlaps),
    }


def table(rows: list[dict[str, object]], args: argparse.Namespace) -> str:
    """The figures as a Markdown table."""
    header = (
        "| backend | workers | clients | mode | bookings/s | reserve p50 / p95 / p99 ms "
        "| create p50 / p95 / p99 ms | availability p50 ms | reserves | 409s | 5xx | overlaps |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = [
        f"| {r['backend']} | {r['workers']} | {r['clients']} | {r['mode']} "
        f"| {r['bookings_per_s']} ({r['bookings']} in {r['seconds']} s) "
        f"| {r['reserve_p50']:.1f} / {r['reserve_p95']:.1f} / {r['reserve_p99']:.1f} "
        f"| {r['create_p50']:.1f} / {r['create_p95']:.1f} / {r['create_p99']:.1f} "
        f"| {r['availability_p50']:.1f} | {r['reserves']} | {r['conflicts']} "
        f"| {r['server_errors']} | {r['overlaps']} |"
        for r in rows
    ]
    intro = (
        "`python bench/booking.py`: gunicorn with 2 workers (sync, then gthread); per backend one "
        f"client alone, then {args.clients} concurrent clients on loopback for {args.seconds:g} s "
        "with no pause at all (**saturated**: a closed loop measuring the machine's capacity), "
        f"then {args.clients} clients for {args.seconds:g} s that pause {args.think[0]:g}-"
        f"{args.think[1]:g} s before each step as a person would (**paced**); an overlap scan after "
        f"each phase, then the calendar is emptied for the next. {args.advisors} advisors; flow: availability -> reserve a random offered "
        "slot -> create the meeting. Clients and server share the machine "
        f"({os.cpu_count()} cores). Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n\n"
    )
    note = (
        "\n\nReading it: the one-client rows are the service time of each call. In the saturated "
        "rows every request mostly waits in gunicorn's queue (Little's law: latency ~ clients / "
        "requests per second), so their percentiles measure the machine's capacity, not the "
        "booking code. The paced rows are 16 people booking at once. gthread lets a worker "
        "overlap database waits. 409s are customers who picked a slot someone else held a moment "
        "earlier.\n"
    )
    return intro + header + "\n".join(lines) + note


def write_readme(text: str) -> None:
    """Replace (or append) the Booking section of bench/README.md, leaving other sections alone."""
    block = f"{SECTION_START}\n## Booking\n\n{text}{SECTION_END}\n"
    current = "# Benchmarks\n"
    if os.path.exists(README):
        with open(README, encoding="utf-8") as fh:
            current = fh.read()
    if SECTION_START in current and SECTION_END in current:
        before, rest = current.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1].lstrip("\n")
        current = before + block + after
    else:
        current = current.rstrip("\n") + "\n\n" + block
    with open(README, "w", encoding="utf-8") as fh:
        fh.write(current)


def postgres_database() -> tuple[str, object] | None:
    """A fresh PostgreSQL database (url, admin connection), or None when unreachable."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception:
        return None
    name = f"bookme_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", admin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--advisors", type=int, default=12)
    parser.add_argument(
        "--threads", type=int, nargs="+", default=[1, 4], help="1 = sync workers, N = gthread"
    )
    parser.add_argument("--think", type=float, nargs=2, default=[0.5, 1.0], help="paced pause, s")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    rows = []
    for threads in args.threads:
        pg = postgres_database()
        if pg is not None:
            url, admin = pg
            try:
                rows += bench_backend("PostgreSQL", url, args, threads)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')  # type: ignore[attr-defined]
                admin.close()  # type: ignore[attr-defined]
        with tempfile.TemporaryDirectory() as tmp:
            rows += bench_backend("SQLite", f"sqlite:///{tmp}/bench.db", args, threads)
    text = table(rows, args)
    print(text)
    if not args.no_readme:
        write_readme(text)
    targets_met = all(r["server_errors"] == 0 and r["overlaps"] == 0 for r in rows)
    print(
        "reserve p95 target (<50 ms):",
        ", ".join(
            f"{r['backend']} {r['workers']} {r['clients']} {r['mode']}: {r['reserve_p95']:.1f} ms"
            for r in rows
        ),
    )
    sys.exit(0 if targets_met else 1)


if __name__ == "__main__":
    main()
