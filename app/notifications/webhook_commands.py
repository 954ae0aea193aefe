"""`bookme webhook-add / webhook-list / webhook-remove / webhook-log`: the bank's receivers
(also under the admin API's `/config/webhooks`); all through `app.notifications.endpoints`.
"""

from __future__ import annotations

import json

import click

from app.booking.errors import DomainError
from app.cli import bookme_cli, needs_schema
from app.notifications import endpoints
from app.notifications.endpoints import WEBHOOK_EVENTS


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

    try:
        endpoint, secret = endpoints.add_endpoint(url, list(events), name=name, now=clock.now())
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(json.dumps({"id": endpoint.id, "secret": secret}))


@bookme_cli.command("webhook-list")
@needs_schema
def webhook_list() -> None:
    """Every receiver: id, on/off, events, URL, name."""
    for e in endpoints.list_endpoints():
        state = "on " if e.enabled else "off"
        click.echo(f"{e.id}  {state}  {','.join(e.events)}  {e.url}  {e.name}")


@bookme_cli.command("webhook-remove")
@click.argument("endpoint_id")
@needs_schema
def webhook_remove(endpoint_id: str) -> None:
    """Switch a receiver off: nothing more is sent to it (its delivery log is kept)."""
    try:
        endpoints.switch_off(endpoint_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"webhook endpoint {endpoint_id} switched off")


@bookme_cli.command("webhook-log")
@click.argument("endpoint_id")
@click.option("--last", default=50, show_default=True, help="How many attempts, newest first.")
@needs_schema
def webhook_log(endpoint_id: str, last: int) -> None:
    """The receiver's delivery log: time, message id, HTTP status or failure, duration."""
    try:
        log = endpoints.attempts(endpoint_id, last)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    for a in log:
        outcome = str(a.status_code) if a.status_code is not None else (a.error or "?")
        click.echo(f"{a.attempted_at.isoformat()}  {a.message_id}  {outcome}  {a.duration_ms} ms")
