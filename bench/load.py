"""Load test across the production topology: `make bench` (never part of `make test`).

Starts the topology of `make prod-demo` (scripts/topology.py: a fresh PostgreSQL database with the
demo bank, Redis, two gunicorn instances, the worker, nginx) and, for each population in turn, runs
for a fixed time a paced population of customers walking the wizard through nginx (think times of
a few seconds before each choice, as people take) beside a few API clients booking (availability ->
reserve -> create, a pause between bookings). Reports per step p50/p95/p99, errors, 409s, bookings
per second and an overlap scan of the database; the calendar is emptied between populations.
Finds the largest population whose wizard steps all stay under 300 ms p95 and writes the figures
to the "Load" section of bench/README.md with the machine's load average.

Usage: `python bench/load.py [--seconds 60] [--populations 10 20 40 80] [--api-clients 2]
[--think 2 5] [--workers 2] [--no-readme]`. Every customer comes from 127.0.0.1 through the proxy,
so the run lifts the per-address hold limit (`BOOKME_HOLD_RATE_LIMIT`) that real customers, each
from an address of their own, never share.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir)))

from sqlalchemy import delete  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from scripts.flows import ApiClient, Step, WizardCustomer, wizard_choices  # noqa: E402
from scripts.topology import Topology, missing  # noqa: E402
from tests.concurrency.scan import live_overlaps  # noqa: E402

README = os.path.join(os.path.dirname(__file__), "README.md")
SECTION_START, SECTION_END = "<!-- load:start -->", "<!-- load:end -->"
WIZARD_STEPS = (
    "times",
    "hold",
    "times-held",
    "details",
    "details-save",
    "confirm",
    "book",
    "meeting",
)
API_STEPS = ("available", "reserve", "create")
TARGET_P95_MS = 300.0
# Where the customers go: two Copenhagen branches, three topics a private customer books.
CHOICES = [
    (loc, topic)
    for loc in ("Branch-North", "Branch-City")
    for topic in ("Mortgage", "Pension", "Everyday banking")
]


@dataclass
class Phase:
    """What one population saw."""

    population: int
    api_clients: int
    seconds: float = 0.0
    steps: list[Step] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    api_bookings: int = 0
    overlaps: int = 0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    app_cpu: float = 0.0  # CPU seconds of both instances' gunicorn processes during the phase
    db_cpu: float = 0.0  # CPU seconds of the PostgreSQL backends serving the topology's database
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, steps: list[Step]) -> None:
        with self.lock:
            self.steps.extend(steps)

    def pct(self, step: str, q: float) -> float:
        times = sorted(s.ms for s in self.steps if s.name == step)
        return times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")

    def errors(self) -> int:
        return sum(1 for s in self.steps if s.status == 0 or s.status >= 500)

    def conflicts(self) -> int:
        """409s of the API and wizard holds refused because the time was just taken."""
        return sum(1 for s in self.steps if s.status == 409) + self.outcomes["taken"]

    def bookings(self) -> int:
        return self.outcomes["booked"] + self.api_bookings

    def requests(self) -> int:
        return len(self.steps)

    def wizard_p95(self) -> float:
        return max(self.pct(step, 0.95) for step in WIZARD_STEPS if self.count(step))

    def count(self, step: str) -> int:
        return sum(1 for s in self.steps if s.name == step)


def customer(phase: Phase, base: str, seed: int, end: float, think: tuple[float, float]) -> None:
    """One person after another at one browser: each books once, then the next one comes."""
    rng = random.Random(seed)
    pause = lambda: time.sleep(rng.uniform(*think))  # noqa: E731
    time.sleep(rng.uniform(0, think[1]))  # arrivals spread out, not all at second 0
    while time.monotonic() < end:
        person = WizardCustomer([base], think=pause)
        location, topic = rng.choice(CHOICES)
        person.book(rng, wizard_choices(location, topic), pick_from=60)  # any time of the week
        phase.add(person.steps)
        with phase.lock:
            phase.outcomes[person.outcome] += 1
        pause()


def api_client(phase: Phase, base: str, auth: str, seed: int, end: float) -> None:
    """A bank system booking for its customers: a booking every 1-3 s."""
    rng = random.Random(seed)
    caller = ApiClient([base])
    caller.session.headers["Authorization"] = auth
    while time.monotonic() < end:
        offered = caller.available(days=28)
        if offered:
            held = caller.reserve(rng.choice(offered[:60]), token=uuid.uuid4().hex)
            if held is not None and held.status_code == 200:
                made = caller.book(held.json()["id"])
                if made is not None and made.status_code == 201:
                    with phase.lock:
                        phase.api_bookings += 1
        phase.add(caller.steps)
        caller.steps = []
        time.sleep(rng.uniform(1, 3))


def cpu_seconds(topology: Topology) -> tuple[float, float]:
    """CPU time so far of the instances' process groups and of the database's backends (Linux
    /proc): steadier than wall time on a shared machine, and what the estimate scales."""
    groups = {i.process.pid for i in topology.instances.values() if i.process is not None}
    tick = os.sysconf("SC_CLK_TCK")
    app = db_time = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                command = fh.read()
        except OSError:
            continue
        used = (int(fields[11]) + int(fields[12])) / tick
        if int(fields[2]) in groups:
            app += used
        elif command.startswith(b"postgres:") and topology.database_name.encode() in command:
            db_time += used
    return app, db_time


def run_phase(topology: Topology, auth: str, population: int, args: argparse.Namespace) -> Phase:
    phase = Phase(population, args.api_clients)
    cpu_before = cpu_seconds(topology)
    started = time.monotonic()
    end = started + args.seconds
    threads = [
        threading.Thread(target=customer, args=(phase, topology.url, n, end, tuple(args.think)))
        for n in range(population)
    ] + [
        threading.Thread(target=api_client, args=(phase, topology.url, auth, 10_000 + n, end))
        for n in range(args.api_clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    phase.seconds = time.monotonic() - started
    cpu_after = cpu_seconds(topology)
    phase.app_cpu = cpu_after[0] - cpu_before[0]
    phase.db_cpu = cpu_after[1] - cpu_before[1]
    phase.load = os.getloadavg()
    phase.overlaps = len(live_overlaps(datetime.now(UTC)))
    return phase


def clear_bookings() -> None:
    """Delete every meeting, hold, claim and draft: each population starts on the same calendar."""
    from app.models import BookingClaim, IdempotencyRecord, Meeting, Reservation, WizardDraft

    for model in (WizardDraft, BookingClaim, IdempotencyRecord, Meeting, Reservation):
        db.session.execute(delete(model))
    db.session.commit()


def report(phases: list[Phase], args: argparse.Namespace, started: datetime) -> str:
    held = [p.population for p in phases if p.wizard_p95() < TARGET_P95_MS and p.errors() == 0]
    lines = [
        "## Load across the topology",
        "",
        f"`python bench/load.py` (`make bench`): the topology of `make prod-demo` (nginx, 2 gunicorn "
        f"instances x {args.workers} sync workers, the worker, PostgreSQL, Redis) on this 2-core machine, "
        f"clients on the same machine. Per population {args.seconds:g} s of customers walking the wizard "
        f"through nginx (think {args.think[0]:g}-{args.think[1]:g} s before each choice and between "
        f"customers; 8 requests per booking) beside {args.api_clients} API clients booking every 1-3 s. "
        f"Measured {started:%Y-%m-%d %H:%M} UTC; the load average (1, 5, 15 min) at the end of each "
        "population is in the table (other engineers' work shared the machine).",
        "",
        "| customers | API clients | bookings | bookings/s | wizard p95 (worst step) ms | errors | 409s and times taken | overlaps | load average |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in phases:
        lines.append(
            f"| {p.population} | {p.api_clients} | {p.bookings()} ({p.outcomes['booked']} wizard) | "
            f"{p.bookings() / p.seconds:.2f} | {p.wizard_p95():.0f} | {p.errors()} | {p.conflicts()} | "
            f"{p.overlaps} | {p.load[0]:.1f}, {p.load[1]:.1f}, {p.load[2]:.1f} |"
        )
    lines += [
        "",
        "CPU per request, all steps together (process time of both instances' gunicorn processes, "
        "and of the PostgreSQL backends serving the database, from /proc; steadier than wall time "
        "on a shared machine): "
        + "; ".join(
            f"{p.population} customers: app {1000 * p.app_cpu / max(1, p.requests()):.1f} ms, "
            f"database {1000 * p.db_cpu / max(1, p.requests()):.1f} ms "
            f"({p.requests()} requests, {p.requests() / p.seconds:.1f}/s)"
            for p in phases
        )
        + ".",
        "",
        "Per step, ms (p50 / p95 / p99, requests):",
        "",
    ]
    steps = [s for s in (*WIZARD_STEPS, *API_STEPS) if any(p.count(s) for p in phases)]
    lines.append("| step | " + " | ".join(f"{p.population} customers" for p in phases) + " |")
    lines.append("|---|" + "---|" * len(phases))
    for step in steps:
        cells = [
            f"{p.pct(step, 0.5):.0f} / {p.pct(step, 0.95):.0f} / {p.pct(step, 0.99):.0f} ({p.count(step)})"
            for p in phases
        ]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    outcome_text = "; ".join(
        f"{p.population}: " + ", ".join(f"{k} {v}" for k, v in sorted(p.outcomes.items()))
        for p in phases
    )
    lines += [
        "",
        f"Wizard outcomes per population ({outcome_text}). `taken`: someone else held the time "
        "between the grid and the click (the customer sees the grid again).",
        "",
        f"**Largest population with every wizard step under {TARGET_P95_MS:.0f} ms p95: "
        f"{max(held) if held else 'none of those tried'}** customers at once"
        + (
            f" (the next one tried, {min(p.population for p in phases if p.population > max(held))}, did not)"
            if held and any(p.population > max(held) for p in phases)
            else ""
        )
        + ".",
    ]
    return "\n".join(lines)


def write_readme(section: str) -> None:
    with open(README, encoding="utf-8") as fh:
        text = fh.read()
    block = f"{SECTION_START}\n{section}\n{SECTION_END}"
    if SECTION_START in text:
        head, rest = text.split(SECTION_START, 1)
        text = head + block + rest.split(SECTION_END, 1)[1]
    else:
        head, rest = text.split("\n", 1)
        text = f"{head}\n\n{block}\n{rest}"
    with open(README, "w", encoding="utf-8") as fh:
        fh.write(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--populations", type=int, nargs="+", default=[10, 20, 40, 80])
    parser.add_argument("--api-clients", type=int, default=2)
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 5.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    if missing():
        print("bench/load.py needs: " + "; ".join(missing()), file=sys.stderr)
        return 1
    started = datetime.now(UTC)
    env = {"BOOKME_HOLD_RATE_LIMIT": "100000 per minute", "BOOKME_LOG_LEVEL": "WARNING"}
    topology = Topology(workers=args.workers, extra_env=env).start(seed=True)
    phases = []
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": topology.database_url, "TESTING": True})
        with app.app_context():
            auth = signed_in(topology)
            warm_up(topology)
            for population in args.populations:
                clear_bookings()
                phase = run_phase(topology, auth, population, args)
                phases.append(phase)
                print(
                    f"{population} customers: {phase.bookings()} bookings, wizard p95 "
                    f"{phase.wizard_p95():.0f} ms, {phase.errors()} errors, load {phase.load[0]:.1f}",
                    flush=True,
                )
                if phase.wizard_p95() > 3 * TARGET_P95_MS:
                    break  # far past the target: larger populations only queue longer
            db.session.remove()
            db.engine.dispose()
    finally:
        topology.stop()
        topology.remove_folder()
    section = report(phases, args, started)
    print(section)
    if not args.no_readme:
        write_readme(section)
    return 0


def warm_up(topology: Topology) -> None:
    """A few walks through every instance first: each worker builds its caches before the clock
    starts (a first search in a process also loads the configuration)."""
    rng = random.Random(0)
    for _ in range(4 * topology.workers):
        for instance in topology.instances.values():
            location, topic = rng.choice(CHOICES)
            WizardCustomer([instance.url]).book(rng, wizard_choices(location, topic), pick_from=60)


def signed_in(topology: Topology) -> str:
    """A bearer token of the topology's API client."""
    caller = ApiClient(
        [topology.url],
        client_id=topology.client["client_id"],
        secret=topology.client["client_secret"],
    )
    caller.sign_in()
    return str(caller.session.headers["Authorization"])


if __name__ == "__main__":
    sys.exit(main())
