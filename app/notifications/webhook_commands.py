"""`bookme webhook-add / webhook-list / webhook-remove / webhook-log`: the bank's receivers.

An admin API and pages come with the configuration issue; until then admins use these.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import click
from sqlalchemy import select

from app.cli import bookme_cli, needs_schema
from app.extensions import db
from app.notifications.models import WebhookAttempt, WebhookEndpoint
from app.notifications.outbox import BOOKED, CANCELLED, MOVED

WEBHOOK_EVENTS = (BOOKED, MOVED, CANCELLED)


@bookme_cli.command("webhook-add")
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    type=click.Choice(WEBHOOK_EVENTS),
    help="An event to send (repeat it); all of them when none is given.",
)
@click.option("--name", default="", help="What the receiver is, for the listing.")
@needs_schema
def webhook_add(url: str, events: tuple[str, ...], name: str) -> None:
    """Register a receiver; prints its id and signing secret (shown only this once) as JSON."""
    from app import clock
    from app.notifications.webhooks import new_secret, seal

    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise click.BadParameter("give an absolute http(s) URL", param_hint="URL")
    secret = new_secret()
    endpoint = WebhookEndpoint(
        name=name,
        url=url,
        events=list(events or WEBHOOK_EVENTS),
        secret=seal(secret),
        enabled=True,
        created_at=clock.now(),
    )
    db.session.add(endpoint)
    db.session.commit()
    click.echo(json.dumps({"id": endpoint.id, "secret": secret}))


@bookme_cli.command("webhook-list")
@needs_schema
def webhook_list() -> None:
    """Every receiver: id, on/off, events, URL, name."""
    for endpoint in db.session.scalars(
        select(WebhookEndpoint).order_by(WebhookEndpoint.created_at)
    ):
        state = "on " if endpoint.enabled else "off"
        click.echo(
            f"{endpoint.id}  {state}  {','.join(endpoint.events)}  {endpoint.url}  {endpoint.name}"
        )


@bookme_cli.command("webhook-remove")
@click.argument("endpoint_id")
@needs_schema
def webhook_remove(endpoint_id: str) -> None:
    """Switch a receiver off: nothing more is sent to it (its delivery log is kept)."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise click.ClickException(f"no webhook endpoint {endpoint_id}")
    endpoint.enabled = False
    db.session.commit()
    click.echo(f"webhook endpoint {endpoint_id} switched off")


@bookme_cli.command("webhook-log")
@click.argument("endpoint_id")
@click.option("--last", default=50, show_default=True, help="How many attempts, newest first.")
@needs_schema
def webhook_log(endpoint_id: str, last: int) -> None:
    """The receiver's delivery log: time, message id, HTTP status or failure, duration."""
    attempts = db.session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.endpoint_id == endpoint_id)
        .order_by(WebhookAttempt.id.desc())
        .limit(last)
    ).all()
    for a in attempts:
        outcome = str(a.status_code) if a.status_code is not None else (a.error or "?")
        click.echo(f"{a.attempted_at.isoformat()}  {a.message_id}  {outcome}  {a.duration_ms} ms")
