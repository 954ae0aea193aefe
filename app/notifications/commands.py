"""`bookme worker`, `bookme outbox-dead`, `bookme outbox-retry`: registered on the bookme group."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import click
from flask import current_app
from sqlalchemy.exc import OperationalError

from app.cli import bookme_cli, needs_schema
from app.extensions import db

log = logging.getLogger("bookme.worker")


@bookme_cli.command("worker")
@click.option("--once", is_flag=True, help="One pass over what is due, then exit (tests, cron).")
@needs_schema
def worker(once: bool) -> None:
    """Deliver the outbox (e-mails for booked, moved and cancelled meetings) and run the periodic
    jobs (reminders due, expired holds purged)."""
    from app import clock
    from app.notifications.jobs import run_due_jobs
    from app.notifications.transport import NoTransport, configured_transport
    from app.notifications.worker import PassResult, new_worker_id, run_once

    try:
        configured_transport()
    except (NoTransport, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    worker_id, stop = new_worker_id(), threading.Event()
    if not once:
        _stop_on_signals(stop)
        click.echo(f"outbox worker {worker_id} started")
    poll = float(current_app.config["BOOKME_WORKER_POLL_SECONDS"])
    while True:
        try:
            run_due_jobs(worker_id, clock.now())
            result = run_once(configured_transport(), worker_id=worker_id, clock=clock.now)
        except OperationalError as exc:  # the database is away: wait for it, do not die
            if once:
                raise
            db.session.rollback()
            log.warning("worker %s: database unavailable (%s)", worker_id, type(exc.orig).__name__)
            result = PassResult()
        if once:
            click.echo(f"delivered {result.delivered}, failed {result.failed}, dead {result.dead}")
            return
        if result.handled == 0 and stop.wait(poll):
            return
        if stop.is_set():
            return


def _stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT end the loop after the message in hand (its lease would free it anyway)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@bookme_cli.command("outbox-dead")
@needs_schema
def outbox_dead() -> None:
    """List messages the worker gave up on: id, event, meeting, attempts, error (no personal data)."""
    from app.notifications.dead import dead_messages

    rows = dead_messages()
    if not rows:
        click.echo("no dead messages")
        return
    for row in rows:
        click.echo(
            f"{row.id}  {row.kind} {row.event} to {row.payload.get('to', '?')}  "
            f"meeting {row.meeting_id}  attempts {row.attempts}  "
            f"dead {row.dead_at.isoformat() if row.dead_at else ''}  {row.last_error or ''}"
        )


@bookme_cli.command("outbox-retry")
@click.argument("message_id", required=False)
@click.option("--all", "retry_all", is_flag=True, help="Every dead message.")
@needs_schema
def outbox_retry(message_id: str | None, retry_all: bool) -> None:
    """Give dead messages a fresh set of attempts, due now."""
    from app import clock

    if bool(message_id) == retry_all:
        raise click.UsageError("give one message id or --all")
    from app.notifications.dead import retry_dead

    count = retry_dead(message_id or None, now=clock.now())
    if message_id and count == 0:
        raise click.ClickException(f"no dead message {message_id}")
    click.echo(f"{count} message(s) will be retried")


from app.notifications import webhook_commands as _webhook_commands  # noqa: E402,F401
