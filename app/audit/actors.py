"""Who is acting, from the request context: a staff account, an API client, a customer's link, or
the command line. No customer personal data: a customer is a short fingerprint of their link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask import g, has_request_context, request, session

ACTOR_KINDS = ("staff", "api_client", "customer", "system", "cli")
CHANNELS = ("api", "wizard", "staff", "admin", "import", "cli", "web")


@dataclass(frozen=True)
class Actor:
    """Who acted and through which door (`channel`)."""

    kind: str
    id: str | None
    label: str
    channel: str


CLI = Actor("cli", None, "", "cli")
_acting: ContextVar[Actor | None] = ContextVar("bookme_audit_actor", default=None)


@contextmanager
def acting(who: Actor) -> Iterator[None]:
    """Record the writes in this block as `who`'s (the import command, scripts, tests)."""
    reset = _acting.set(who)
    try:
        yield
    finally:
        _acting.reset(reset)


def actor() -> Actor:
    """Who is making the current change."""
    chosen = _acting.get()
    if chosen is not None:
        return chosen
    if not has_request_context():
        return CLI
    blueprint = request.blueprint or ""
    if blueprint == "api":
        return _api_client()
    if blueprint == "wizard":
        return _customer()
    user = g.get("_login_user")  # Flask-Login's loaded user; never loaded here, mid-flush
    if getattr(user, "is_authenticated", False):
        channel = "admin" if blueprint == "admin" else "staff"
        return Actor("staff", user.id, user.email, channel)
    return Actor("system", None, "", blueprint if blueprint in CHANNELS else "web")


def _api_client() -> Actor:
    caller = g.get("caller")
    if caller is None:
        return Actor("system", None, "", "api")
    return Actor("api_client", caller.client_id, caller.client_id, "api")


def _customer() -> Actor:
    """The customer's private link (or wizard browser), as a fingerprint: the token is a secret."""
    token = (request.view_args or {}).get("token") or session.get("token")
    label = "customer link" if (request.view_args or {}).get("token") else "wizard"
    if not isinstance(token, str) or not token:
        return Actor("customer", None, label, "wizard")
    return Actor("customer", fingerprint(token), label, "wizard")


def fingerprint(token: str) -> str:
    """A short, stable, one-way id for a customer's link token."""
    return "link-" + hashlib.sha256(token.encode()).hexdigest()[:12]


def current_request_id() -> str | None:
    """This request's id (the `X-Request-Id` the caller sees), or None outside a request."""
    if not has_request_context():
        return None
    from app.api.errors import request_id

    return request_id()
