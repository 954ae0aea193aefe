"""The app's own OAuth 2.0 authorization server (authlib): client credentials, JWT access tokens.

- `POST /oauth/token` (grant `client_credentials`, client auth by HTTP Basic or form fields) answers
  `{access_token, token_type: "Bearer", expires_in, scope}`; the token is an RS256 JWT in RFC 9068
  style (`typ: at+jwt`; `iss`, `aud`, `exp`, `iat`, `jti`, `sub`, `client_id`, `scope`).
- `/.well-known/jwks.json` publishes the public key, `/.well-known/oauth-authorization-server` the
  metadata (RFC 8414).
- The signing key comes from `BOOKME_JWT_PRIVATE_KEY` (PEM, config or environment), else it is
  generated once into `instance/jwt_private_key.pem` (git-ignored).

`issue_token(client_id, scopes, now=...)` mints a token directly (tests, CLI); `verification_key(app)`
is what `app.api.auth` checks signatures with.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import tempfile
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidScopeError
from flask import Flask, Response, current_app, url_for
from joserfc import jwt
from joserfc.jwk import RSAKey

from app import clock
from app.api import bp
from app.api.clients import SCOPES, find_client, hash_secret, verify_secret
from app.api.errors import CODES, json_response
from app.api.openapi import Answer, document
from app.api.schemas import ErrorOut, TokenOut
from app.extensions import limiter

ALGORITHM = "RS256"
KEY_FILE = "jwt_private_key.pem"
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
INVALID_CLIENT = "client authentication failed (unknown client, wrong secret or revoked client)"


def _read_or_create_pem(app: Flask) -> str:
    """The PEM from config/environment, else the instance file, generated on first use."""
    pem = app.config.get("BOOKME_JWT_PRIVATE_KEY") or os.environ.get("BOOKME_JWT_PRIVATE_KEY")
    if pem:
        return str(pem)
    path = os.path.join(app.instance_path, KEY_FILE)
    if not os.path.exists(path):
        _create_key_file(path)
    with open(path, encoding="ascii") as fh:
        return fh.read()


def _create_key_file(path: str) -> None:
    """Write a fresh key atomically; when processes race, the first link wins and all use it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".jwt-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(RSAKey.generate_key(2048, private=True).as_pem(private=True))
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


@functools.lru_cache(maxsize=8)
def _parsed_key(pem: str) -> RSAKey:
    """The key of a PEM, with its thumbprint as `kid`. Loading checks the RSA key (a few tenths
    of a second), so a process that builds many apps on one key (the tests) does it once."""
    key = RSAKey.import_key(pem)
    return RSAKey.import_key(key.as_dict(private=True), parameters={"kid": key.thumbprint()})


def signing_key(app: Flask | None = None) -> RSAKey:
    """The app's private signing key (loaded once per app)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cached = app.extensions.get("bookme_jwt_key")
    if cached is None:
        cached = _parsed_key(_read_or_create_pem(app))
        app.extensions["bookme_jwt_key"] = cached
    return cached


def verification_key(app: Flask | None = None) -> RSAKey:
    """The public half of the signing key."""
    return signing_key(app)


def jwks(app: Flask | None = None) -> dict[str, Any]:
    """The JSON Web Key Set with the public key."""
    key = signing_key(app)
    public: dict[str, Any] = dict(key.as_dict(private=False))
    public.update({"use": "sig", "alg": ALGORITHM, "kid": key.kid})
    return {"keys": [public]}


def issue_token(
    client_id: str, scopes: Iterable[str], *, now: datetime, lifetime: int | None = None
) -> str:
    """A signed access token for `client_id` with `scopes`, valid `lifetime` seconds from `now`."""
    config = current_app.config
    iat = int(now.timestamp())
    claims = {
        "iss": config["BOOKME_ISSUER"],
        "aud": config["BOOKME_AUDIENCE"],
        "sub": client_id,
        "client_id": client_id,
        "scope": " ".join(scopes),
        "iat": iat,
        "nbf": iat,
        "exp": iat + int(lifetime or config["BOOKME_TOKEN_LIFETIME"]),
        "jti": uuid.uuid4().hex,
    }
    key = signing_key()
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "at+jwt"}
    return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


class _Client(ClientMixin):
    """An API client as authlib wants to see it: its id, the stored hash of its secret, its scopes."""

    def __init__(self, client_id: str, secret_hash: str, scopes: list[str]) -> None:
        self.client_id = client_id
        self.secret_hash = secret_hash
        self.scopes = scopes

    def get_client_id(self) -> str:
        return self.client_id

    def check_client_secret(self, client_secret: str) -> bool:
        return verify_secret(client_secret, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"

    def get_allowed_scope(self, scope: str | None) -> str:
        wanted = scope.split() if scope else self.scopes
        return " ".join(s for s in SCOPES if s in wanted and s in self.scopes)


class _ClientCredentials(grants.ClientCredentialsGrant):
    """Client credentials; asking for a scope the client was not given is `invalid_scope`."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_requested_scope(self) -> None:
        super().validate_requested_scope()
        requested = set((self.request.payload.scope or "").split())
        if not requested <= set(self.request.client.scopes):
            raise InvalidScopeError("the client may not ask for " + " ".join(sorted(requested)))


# The hash of a random secret nobody has: an unknown or revoked client id is checked against it, so it
# fails exactly like a wrong secret, with the same answer and the same work (no telling which ids exist).
_NO_CLIENT_HASH = hash_secret(secrets.token_urlsafe(32))


def _query_client(client_id: str) -> _Client:
    """The client with this id; for an unknown or revoked id, one whose secret check always fails."""
    row = find_client(client_id)
    if row is None:
        return _Client(client_id, _NO_CLIENT_HASH, [])
    return _Client(row.client_id, row.client_secret_hash, row.scope.split())


def _save_token(token: dict[str, Any], request: Any) -> None:
    """Nothing to store: tokens are self-contained and checked by signature."""


def _generate(
    grant_type: str,
    client: _Client,
    user: Any = None,
    scope: str | None = None,
    expires_in: int | None = None,
    include_refresh_token: bool = False,
) -> dict[str, Any]:
    granted = client.get_allowed_scope(scope)
    lifetime = int(current_app.config["BOOKME_TOKEN_LIFETIME"])
    token = issue_token(client.get_client_id(), granted.split(), now=clock.now(), lifetime=lifetime)
    return {"access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": granted}


def init_oauth(app: Flask) -> None:
    """Create this app's authorization server."""
    server = AuthorizationServer()
    server.init_app(app, query_client=_query_client, save_token=_save_token)
    server.scopes_supported = list(SCOPES)
    server.register_grant(_ClientCredentials)
    server.register_token_generator("client_credentials", _generate)
    app.extensions["bookme_oauth"] = server


TOKEN_FORM = {
    "type": "object",
    "required": ["grant_type"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials"]},
        "scope": {"type": "string", "description": "space-separated; default: all the client's"},
        "client_id": {"type": "string", "description": "or use HTTP Basic"},
        "client_secret": {"type": "string", "description": "or use HTTP Basic"},
    },
}
OAUTH_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "error_description": {"type": "string"},
        "code": {"type": "string"},
        "message": {"type": "string"},
    },
}
FREE_OBJECT: dict[str, Any] = {"type": "object"}


def _token_rate_limit() -> str:
    return str(current_app.config.get("BOOKME_TOKEN_RATE_LIMIT", "60 per minute"))


@bp.post("/oauth/token")
@limiter.limit(_token_rate_limit)
@document(
    "Get an access token (client credentials)",
    tags=["Authentication"],
    body=TOKEN_FORM,
    body_media_type="application/x-www-form-urlencoded",
    responses={
        200: TokenOut,
        400: Answer("invalid_request, invalid_scope or unsupported_grant_type", OAUTH_ERROR),
        401: Answer("invalid_client: unknown client, wrong secret or revoked", OAUTH_ERROR),
        429: Answer("Too many token requests from this address", ErrorOut),
    },
    errors=(503,),  # the client is looked up in the database
    description="Client authentication by HTTP Basic (`client_secret_basic`) or the form fields "
    "`client_id` and `client_secret` (`client_secret_post`). The token is a JWT valid for one hour.",
)
def token_endpoint():  # type: ignore[no-untyped-def]
    """Issue an access token (client credentials grant)."""
    server: AuthorizationServer = current_app.extensions["bookme_oauth"]
    try:
        response = server.create_token_response()
    except (ValueError, UnicodeDecodeError):  # Basic credentials that are not base64 of UTF-8
        refused = InvalidClientError()
        refused.status_code = 401  # as for any failed Basic authentication (RFC 6749 5.2)
        response = server.handle_error_response(None, refused)
    if response.status_code >= 400 and response.is_json:
        return _with_api_error_fields(response)
    return response


def _with_api_error_fields(response: Response) -> Response:
    """RFC 6749 `{error, error_description}` plus the API's own `{code, message}`."""
    body = response.get_json(silent=True) or {}
    if body.get("error") == "invalid_client":  # one answer, whatever failed: id, secret or method
        body["error_description"] = INVALID_CLIENT
    body.setdefault("code", CODES.get(response.status_code, "BAD_REQUEST"))
    body.setdefault(
        "message", body.get("error_description") or body.get("error", "invalid request")
    )
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    headers.pop("Content-Type", None)
    if body.get("error") == "invalid_client" and "WWW-Authenticate" in headers:
        headers["WWW-Authenticate"] = (
            f'Basic error="invalid_client", error_description="{INVALID_CLIENT}"'
        )
    return json_response(body, response.status_code, headers)


@bp.get("/.well-known/jwks.json")
@document("The public signing keys (JWKS)", tags=["Authentication"], responses={200: FREE_OBJECT})
def jwks_endpoint():  # type: ignore[no-untyped-def]
    """The public signing keys."""
    return json_response(jwks(), headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/.well-known/oauth-authorization-server")
@document(
    "Authorization server metadata (RFC 8414)",
    tags=["Authentication"],
    responses={200: FREE_OBJECT},
)
def metadata_endpoint():  # type: ignore[no-untyped-def]
    """Authorization server metadata (RFC 8414)."""
    issuer = current_app.config["BOOKME_ISSUER"].rstrip("/")
    return json_response(
        {
            "issuer": issuer,
            "token_endpoint": issuer + url_for("api.token_endpoint"),
            "jwks_uri": issuer + url_for("api.jwks_endpoint"),
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": AUTH_METHODS,
            "response_types_supported": ["token"],
            "scopes_supported": list(SCOPES),
            "token_endpoint_auth_signing_alg_values_supported": [ALGORITHM],
        }
    )
