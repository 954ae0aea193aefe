"""API clients (OAuth2 client credentials): registration, secret hashing, lookup.

`register_client(name, scope)` is what `flask bookme create-client` and the admin page call; it returns
the only copy of the secret. `revoke_client` stops a client at once: the token endpoint refuses it, and
`client_standing` (checked by app/api/auth.py on every request) refuses the tokens it already holds
and trims their scopes to the ones the client holds now. Secrets are 256-bit random strings, so a plain SHA-256 digest compared in constant time
protects them as well as a slow password hash would, without slowing the token endpoint down.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import NamedTuple, cast

from sqlalchemy import String, select

from app import clock
from app.booking.errors import InvalidRequest, NotFound
from app.extensions import db
from app.models import ApiClient

SCOPES = ("bookme.read", "bookme.book", "bookme.admin", "bookme.cpr")
_PREFIX = "sha256$"
NAME_LENGTH = int(cast(String, ApiClient.__table__.c.name.type).length or 0)  # the column's


def hash_secret(secret: str) -> str:
    """The stored form of a client secret."""
    return _PREFIX + hashlib.sha256(secret.encode()).hexdigest()


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` matches the stored hash, in constant time."""
    if not stored.startswith(_PREFIX):
        return False
    return hmac.compare_digest(hash_secret(secret), stored)


def normalise_scope(scope: str) -> str:
    """A space-separated scope string of known scopes, in canonical order; 400 for unknown ones."""
    wanted = scope.replace(",", " ").split()
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        raise InvalidRequest(
            f"scope must be a space-separated subset of {' '.join(SCOPES)}; got {scope!r}",
            field="scope",
        )
    return " ".join(s for s in SCOPES if s in wanted)


def _checked_name(name: str) -> str:
    """The name trimmed; refused when empty or longer than the column holds."""
    name = name.strip()
    if not name:
        raise InvalidRequest("name must not be empty", field="name")
    if len(name) > NAME_LENGTH:
        raise InvalidRequest(f"name must have at most {NAME_LENGTH} characters", field="name")
    return name


def register_client(name: str, scope: str) -> dict[str, str]:
    """Create a client; returns `{"client_id", "client_secret"}` (the secret is stored hashed only)."""
    name = _checked_name(name)
    client_id = "bm_" + secrets.token_hex(12)
    client_secret = secrets.token_urlsafe(32)
    row = ApiClient(
        client_id=client_id,
        client_secret_hash=hash_secret(client_secret),
        name=name,
        scope=normalise_scope(scope),
        created_at=clock.now(),
    )
    db.session.add(row)
    db.session.commit()
    return {"client_id": client_id, "client_secret": client_secret}


def find_client(client_id: str) -> ApiClient | None:
    """The active (not revoked) client with this id."""
    if "\x00" in client_id:  # PostgreSQL refuses NUL in text; no client can have such an id
        return None
    return db.session.scalar(
        select(ApiClient).where(ApiClient.client_id == client_id, ApiClient.revoked.is_(False))
    )


def list_clients() -> list[ApiClient]:
    """Every client, active ones first, then by name."""
    return list(db.session.scalars(select(ApiClient).order_by(ApiClient.revoked, ApiClient.name)))


class ClientStanding(NamedTuple):
    """A registered client's state as a bearer check needs it."""

    revoked: bool
    scopes: frozenset[str]


def client_standing(client_id: str) -> ClientStanding | None:
    """Whether the client is revoked and the scopes it holds now (one indexed lookup); None for an
    id that was never registered."""
    if "\x00" in client_id:
        return None
    query = select(ApiClient.revoked, ApiClient.scope).where(ApiClient.client_id == client_id)
    row = db.session.execute(query).first()
    if row is None:
        return None
    return ClientStanding(bool(row.revoked), frozenset((row.scope or "").split()))


def update_client(client_id: str, name: str, scope: str) -> ApiClient:
    """Rename an active client and change its scopes, commit; a narrower scope applies to the tokens
    it holds from their next request."""
    row = find_client(client_id)
    if row is None:
        raise NotFound("API client", client_id)
    row.name, row.scope = _checked_name(name), normalise_scope(scope)
    db.session.commit()
    return row


def revoke_client(client_id: str) -> bool:
    """Revoke a client and commit: no new tokens, and the tokens it holds are refused at once."""
    row = find_client(client_id)
    if row is None:
        return False
    row.revoked = True
    db.session.commit()
    return True
