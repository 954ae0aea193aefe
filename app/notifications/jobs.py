"""The worker's periodic jobs (reminders due, expired holds purged): no cron needed.

Each job has one row in `worker_jobs`. A worker runs a job only if its compare-and-set
`UPDATE ... SET next_run_at = now + interval WHERE name = :job AND next_run_at <= now` changed the
row, so however many workers tick at once, one of them runs each job per interval.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.notifications.models import WorkerJob

log = logging.getLogger("bookme.worker")
EPOCH = datetime.fromisoformat("2000-01-01T00:00:00+00:00")


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, the setting that holds its interval, and what it does."""

    name: str
    interval_setting: str
    run: Callable[[datetime], int]


def _reminders(now: datetime) -> int:
    from app.notifications.reminders import record_due_reminders

    return record_due_reminders(now)


def _purge(now: datetime) -> int:
    from app.booking.reservations import purge_expired
    from app.wizard.drafts import purge_drafts
    from app.wizard.repeats import purge_repeats

    return purge_expired(now) + purge_drafts(now) + purge_repeats(now)


JOBS = (
    Job("reminders", "BOOKME_REMINDER_INTERVAL_SECONDS", _reminders),
    Job("purge-expired", "BOOKME_PURGE_INTERVAL_SECONDS", _purge),
)


def take_turn(name: str, worker_id: str, now: datetime, interval: timedelta) -> bool:
    """True when this worker won the job's turn (and moved its next run on), else False."""
    _ensure_row(name)
    result = db.session.execute(
        update(WorkerJob)
        .where(WorkerJob.name == name, WorkerJob.next_run_at <= now)
        .values(next_run_at=now + interval, last_run_at=now, last_worker=worker_id)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _ensure_row(name: str) -> None:
    """The job's row, created due on first sight (two workers creating it at once: one wins)."""
    if db.session.get(WorkerJob, name) is not None:
        return
    db.session.add(WorkerJob(name=name, next_run_at=EPOCH))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def run_due_jobs(worker_id: str, now: datetime) -> dict[str, int]:
    """Run every job whose turn this worker won; what each did, by name."""
    done: dict[str, int] = {}
    for job in JOBS:
        interval = timedelta(seconds=float(current_app.config[job.interval_setting]))
        if take_turn(job.name, worker_id, now, interval):
            try:
                done[job.name] = job.run(now)
            except Exception:  # one failing job must not stop the deliveries
                db.session.rollback()
                log.exception("periodic job %s failed", job.name)
    return done
