"""Bearer-token protection for every API route: `@require_scope("bookme.read")`.

Usage in a route module (put it under the route decorator):

    @bp.get("/bookme/meetings")
    @require_scope("bookme.read")
    def list_meetings(): ...
        caller_client_id()      # the OAuth client id of the caller
        caller_is_admin()       # True when the token carries bookme.admin

The caller is also in `flask.g.caller` (`Caller(client_id, scopes, issuer, claims)`), `g.client_id`
and `g.scopes`. Tokens are checked by signature and claims: our own tokens against the app's key,
and then against their client's revoked flag and current scopes (one indexed lookup per request, so
revoking a client refuses its tokens at once rather than when they expire, and a narrowed scope
applies at once too), and, when `BOOKME_OIDC_ISSUER`, `BOOKME_OIDC_AUDIENCE` and
`BOOKME_OIDC_JWKS_URL` are configured, an external issuer's tokens against its JWKS (fetched by
`BOOKME_OIDC_JWKS_FETCHER(url) -> dict` when set, so tests need no network). 401 with
`WWW-Authenticate: Bearer ...` for a missing, malformed, expired or badly signed token; 403 when the
token lacks the scope.
"""

from __future__ import annotations

import functools
import json
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from joserfc import jws, jwt
from joserfc.jwk import KeySet

from app import clock
from app.api.clients import client_standing
from app.api.errors import error_response
from app.api.oauth import ALGORITHM, verification_key

F = TypeVar("F", bound=Callable[..., Any])
REALM = 'Bearer realm="bookme"'
EXTERNAL_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
JWKS_TTL = 3600


class TokenInvalid(Exception):
    """The bearer token cannot be trusted (the message goes into `WWW-Authenticate`)."""


@dataclass(frozen=True)
class Caller:
    """Who is calling: the OAuth client, its scopes, the issuer and the token's claims."""

    client_id: str
    scopes: frozenset[str]
    issuer: str
    claims: dict[str, Any] = field(default_factory=dict, compare=False)


def require_scope(*scopes: str) -> Callable[[F], F]:
    """Guard a view: a valid bearer token with every one of `scopes`, else 401/403."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            denied = _authorise(scopes)
            if denied is not None:
                return denied
            return view(*args, **kwargs)

        wrapper.required_scopes = tuple(scopes)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def _authorise(scopes: tuple[str, ...]) -> Response | None:
    """Put the caller in `g`, or return the 401/403 answer."""
    header = request.headers.get("Authorization", "")
    if not header:
        return _unauthorised("a bearer token is required", None)
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return _unauthorised("the Authorization header must be 'Bearer <token>'", "invalid_request")
    try:
        caller = verify_token(value.strip())
    except TokenInvalid as exc:
        return _unauthorised(str(exc), "invalid_token")
    g.caller, g.client_id, g.scopes = caller, caller.client_id, caller.scopes
    missing = [s for s in scopes if s not in caller.scopes]
    if missing:
        challenge = f'{REALM}, error="insufficient_scope", scope="{" ".join(scopes)}"'
        return error_response(
            403,
            f"this call needs the scope {' '.join(missing)}",
            headers={"WWW-Authenticate": challenge},
        )
    return None


def _unauthorised(message: str, error: str | None) -> Response:
    challenge = (
        REALM if error is None else f'{REALM}, error="{error}", error_description="{message}"'
    )
    return error_response(401, message, headers={"WWW-Authenticate": challenge})


def current_caller() -> Caller:
    """The authenticated caller of this request (only inside a `require_scope` view)."""
    return g.caller


def caller_client_id() -> str:
    """The caller's OAuth client id."""
    return current_caller().client_id


def caller_holds(scope: str) -> bool:
    """Whether the caller's token carries `scope` (for fields only some clients may read)."""
    caller = g.get("caller")
    return caller is not None and scope in caller.scopes


def caller_is_admin() -> bool:
    """Whether the caller holds `bookme.admin` (sees and changes every client's meetings)."""
    caller = g.get("caller")
    return caller is not None and "bookme.admin" in caller.scopes


def verify_token(value: str) -> Caller:
    """Check signature, issuer, audience and lifetime; raise `TokenInvalid` on any failure."""
    try:
        unverified = json.loads(jws.extract_compact(value.encode()).payload)
    except Exception as exc:
        raise TokenInvalid("the token is not a well-formed JWT") from exc
    if not isinstance(unverified, dict):
        raise TokenInvalid("the token is not a well-formed JWT")
    config = current_app.config
    issuer = unverified.get("iss")
    external = config.get("BOOKME_OIDC_ISSUER")
    if external and issuer == external and issuer != config["BOOKME_ISSUER"]:
        return _verify_external(value, current_app._get_current_object())  # type: ignore[attr-defined]
    return _verify_local(value)


def _decode(value: str, key: Any, algorithms: list[str]) -> jwt.Token:
    try:
        return jwt.decode(value, key, algorithms=algorithms)
    except Exception as exc:
        raise TokenInvalid("the token signature is not valid") from exc


def _check_claims(claims: dict[str, Any], issuer: str, audience: str, leeway: int) -> None:
    registry = jwt.JWTClaimsRegistry(
        now=int(clock.now().timestamp()),
        leeway=leeway,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
    )
    try:
        registry.validate(claims)
    except Exception as exc:
        raise TokenInvalid(f"the token is not valid here: {exc}") from exc


def _verify_local(value: str) -> Caller:
    token = _decode(value, verification_key(), [ALGORITHM])
    if token.header.get("typ", "").lower() not in ("at+jwt", "application/at+jwt"):
        raise TokenInvalid("the token is not an access token")
    config = current_app.config
    _check_claims(token.claims, config["BOOKME_ISSUER"], config["BOOKME_AUDIENCE"], leeway=0)
    client_id = token.claims.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        raise TokenInvalid("the token names no client")
    scopes = _scopes(token.claims)
    standing = client_standing(client_id)  # one indexed lookup; a guarded view checks once
    if standing is None or standing.revoked:  # a client whose row is gone is as good as revoked
        raise TokenInvalid("the client has been revoked")
    scopes &= standing.scopes  # scopes taken from the client since the token was issued
    return Caller(client_id, scopes, token.claims["iss"], token.claims)


def _verify_external(value: str, app: Flask) -> Caller:
    config = app.config
    token = _decode(value, _external_keys(app), EXTERNAL_ALGORITHMS)
    _check_claims(token.claims, config["BOOKME_OIDC_ISSUER"], config["BOOKME_OIDC_AUDIENCE"], 60)
    claims = token.claims
    client_id = next(
        (claims[k] for k in ("client_id", "azp", "appid", "sub") if isinstance(claims.get(k), str)),
        None,
    )
    if not client_id:
        raise TokenInvalid("the token names no client")
    return Caller(client_id, _scopes(claims), claims["iss"], claims)


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    """Scopes from `scope` (space string) or `scp` (Entra ID: string or list)."""
    found: set[str] = set()
    for key in ("scope", "scp"):
        value = claims.get(key)
        if isinstance(value, str):
            found.update(value.split())
        elif isinstance(value, list):
            found.update(v for v in value if isinstance(v, str))
    return frozenset(found)


def _external_keys(app: Flask) -> KeySet:
    """The external issuer's keys, cached for an hour."""
    cached = app.extensions.get("bookme_oidc_jwks")
    if cached is not None and time.monotonic() - cached[0] < JWKS_TTL:
        return cached[1]
    fetch = app.config.get("BOOKME_OIDC_JWKS_FETCHER") or _fetch_jwks
    try:
        keys = KeySet.import_key_set(fetch(app.config["BOOKME_OIDC_JWKS_URL"]))  # type: ignore[arg-type]
    except Exception as exc:
        raise TokenInvalid("the issuer's signing keys are not available") from exc
    app.extensions["bookme_oidc_jwks"] = (time.monotonic(), keys)
    return keys


def _fetch_jwks(url: str) -> dict[str, Any]:
    """Download a JWKS document."""
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - configured https URL
        return json.loads(resp.read())
