"""Webhook receivers (list, register with the secret shown once, switch off) and dead messages
(list, retry one or all).

Writes go through `app.notifications.endpoints` (the admin API's functions, with its URL rules)
and `app.notifications.dead` (the functions `bookme outbox-dead` and `outbox-retry` use)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from app import clock
from app.admin import bp
from app.admin.forms import ActionForm, WebhookForm, show_problems
from app.booking.errors import InvalidRequest, NotFound
from app.configuration.document import Problem
from app.extensions import db
from app.notifications.dead import dead_messages, retry_dead
from app.notifications.endpoints import add_endpoint, list_endpoints, switch_off
from app.staff.auth import staff_required


def _words(exc: InvalidRequest) -> str:
    """The service's (English, API) refusal in the admin's language."""
    if exc.field == "events":
        return _("Choose events from the list.")
    if "internal network" in exc.message:
        return _("The address must not point into the bank's internal network.")
    if exc.field == "url":
        return _("Enter a whole address starting with https:// (at most 2000 characters).")
    return exc.message


def _webhooks_page(form: WebhookForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/webhooks.html", form=form, endpoints=list_endpoints(), action=ActionForm()
    ), status


@bp.get("/webhooks")
@staff_required("admin")
def webhooks() -> tuple[str, int]:
    """Every webhook receiver with its events, and the form for a new one."""
    return _webhooks_page(WebhookForm())


@bp.post("/webhooks")
@staff_required("admin")
def webhook_create() -> tuple[str, int]:
    """Register a receiver and show its signing secret once; errors next to the fields."""
    form = WebhookForm()
    if not form.validate_on_submit():
        return _webhooks_page(form, 400)
    try:
        endpoint, secret = add_endpoint(
            form.url.data or "",
            list(form.events.data or []),
            name=form.name.data or "",
            now=clock.now(),
        )
    except InvalidRequest as exc:
        db.session.rollback()
        show_problems(form, [Problem(exc.field or "", _words(exc))])
        return _webhooks_page(form, 400)
    return render_template("admin/webhook_created.html", endpoint=endpoint, secret=secret), 201


@bp.post("/webhooks/<endpoint_id>/remove")
@staff_required("admin")
def webhook_remove(endpoint_id: str) -> Response:
    """Switch a receiver off: nothing more is sent to it; its delivery log is kept."""
    try:
        switch_off(endpoint_id)
    except NotFound:
        abort(404)
    flash(_("The webhook receiver is switched off. Nothing more is sent to it."), "success")
    return redirect(url_for("admin.webhooks"))


@bp.get("/outbox")
@staff_required("admin")
def outbox() -> str:
    """The messages the worker gave up on: ids, event, meeting, attempts and error only."""
    return render_template("admin/outbox.html", messages=dead_messages(), action=ActionForm())


@bp.post("/outbox/retry")
@staff_required("admin")
def outbox_retry_all() -> Response:
    """Give every dead message a fresh set of attempts, due now."""
    count = retry_dead(None, now=clock.now())
    flash(
        ngettext("%(num)d message will be retried.", "%(num)d messages will be retried.", count),
        "success",
    )
    return redirect(url_for("admin.outbox"))


@bp.post("/outbox/<message_id>/retry")
@staff_required("admin")
def outbox_retry(message_id: str) -> Response:
    """Give one dead message a fresh set of attempts, due now."""
    if retry_dead(message_id[:36], now=clock.now()) == 0:
        abort(404)
    flash(_("The message will be retried."), "success")
    return redirect(url_for("admin.outbox"))
