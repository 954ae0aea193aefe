"""Bearer tokens: what gets a 401, what gets a 403, and what gets through."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from flask import Flask, g
from joserfc import jwt
from joserfc.jwk import RSAKey

from app import clock as app_clock
from app.api.auth import caller_is_admin, require_scope
from app.api.errors import json_response
from tests import factories


@pytest.fixture
def probe(nodb_app: Flask):  # type: ignore[no-untyped-def]
    """A client for an app with one extra route guarded by `bookme.read`."""

    @require_scope("bookme.read")
    def view():  # type: ignore[no-untyped-def]
        return json_response({"client": g.client_id, "admin": caller_is_admin()})

    nodb_app.add_url_rule("/bookme/_probe", "probe", view)
    return nodb_app.test_client()


def token(*scopes: str, **kw) -> str:  # type: ignore[no-untyped-def]
    return factories.token(kw.pop("client_id", "c1"), scopes, now=app_clock.now(), **kw)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def test_a_valid_token_with_the_scope_gets_through_and_names_the_client(probe):
    resp = probe.get("/bookme/_probe", headers=bearer(token("bookme.read", client_id="bank-1")))
    assert resp.status_code == 200
    assert resp.json == {"client": "bank-1", "admin": False}


def test_an_admin_token_is_recognised(probe):
    resp = probe.get("/bookme/_probe", headers=bearer(token("bookme.read", "bookme.admin")))
    assert resp.json["admin"] is True


def test_no_token_gives_401_with_a_bearer_challenge(probe):
    resp = probe.get("/bookme/_probe")
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert resp.json["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(
    "header",
    ["Basic abc", "Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Token x.y.z"],
)
def test_a_malformed_authorization_header_gives_401(probe, header):
    resp = probe.get("/bookme/_probe", headers={"Authorization": header})
    assert resp.status_code == 401
    assert 'error="' in resp.headers["WWW-Authenticate"]


def test_an_expired_token_gives_401(probe, clock):
    value = token("bookme.read")
    clock.advance(hours=1, seconds=1)
    resp = probe.get("/bookme/_probe", headers=bearer(value))
    assert resp.status_code == 401
    assert 'error="invalid_token"' in resp.headers["WWW-Authenticate"]


def test_a_token_is_valid_until_its_last_second(probe, clock):
    value = token("bookme.read")
    clock.advance(minutes=59, seconds=59)
    assert probe.get("/bookme/_probe", headers=bearer(value)).status_code == 200


def test_a_token_signed_by_another_key_gives_401(probe, nodb_app):
    other = RSAKey.generate_key(2048)
    claims = {
        "iss": nodb_app.config["BOOKME_ISSUER"],
        "aud": nodb_app.config["BOOKME_AUDIENCE"],
        "client_id": "c1",
        "scope": "bookme.read",
        "iat": int(app_clock.now().timestamp()),
        "exp": int((app_clock.now() + timedelta(hours=1)).timestamp()),
        "jti": "x",
    }
    forged = jwt.encode({"alg": "RS256", "typ": "at+jwt"}, claims, other)
    assert probe.get("/bookme/_probe", headers=bearer(forged)).status_code == 401


def test_a_token_with_a_tampered_payload_gives_401(probe):
    head, payload, sig = token("bookme.read").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["scope"] = "bookme.read bookme.admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert probe.get("/bookme/_probe", headers=bearer(f"{head}.{forged}.{sig}")).status_code == 401


def test_a_token_for_another_audience_gives_401(probe, nodb_app):
    value = token("bookme.read")
    nodb_app.config["BOOKME_AUDIENCE"] = "someone-else"
    assert probe.get("/bookme/_probe", headers=bearer(value)).status_code == 401


def test_a_token_from_another_issuer_gives_401(probe, nodb_app):
    value = token("bookme.read")
    nodb_app.config["BOOKME_ISSUER"] = "https://elsewhere.example"
    assert probe.get("/bookme/_probe", headers=bearer(value)).status_code == 401


def test_an_unsigned_token_gives_401(probe, nodb_app):
    head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"at+jwt"}').rstrip(b"=").decode()
    _, payload, _ = token("bookme.read").split(".")
    assert probe.get("/bookme/_probe", headers=bearer(f"{head}.{payload}.")).status_code == 401


def test_a_token_without_the_scope_gives_403_naming_it(probe):
    resp = probe.get("/bookme/_probe", headers=bearer(token("bookme.book")))
    assert resp.status_code == 403
    assert resp.json["code"] == "FORBIDDEN"
    assert "bookme.read" in resp.json["message"]
    assert 'error="insufficient_scope"' in resp.headers["WWW-Authenticate"]


# ---- an external OpenID Connect issuer (a bank's Entra ID / Keycloak) --------------------------

ISSUER = "https://login.bank.example/realms/staff"


@pytest.fixture
def external(nodb_app, probe):  # type: ignore[no-untyped-def]
    """The app trusting an external issuer whose JWKS a stub fetcher serves (no network)."""
    key = RSAKey.generate_key(2048, parameters={"kid": "bank-key-1"})
    fetched: list[str] = []

    def fetcher(url: str) -> dict:
        fetched.append(url)
        return {"keys": [key.as_dict(private=False)]}

    nodb_app.config.update(
        BOOKME_OIDC_ISSUER=ISSUER,
        BOOKME_OIDC_AUDIENCE="api://bookme",
        BOOKME_OIDC_JWKS_URL="https://login.bank.example/jwks",
        BOOKME_OIDC_JWKS_FETCHER=fetcher,
    )

    def sign(**overrides) -> str:  # type: ignore[no-untyped-def]
        now = int(app_clock.now().timestamp())
        claims = {"iss": ISSUER, "aud": "api://bookme", "azp": "portal", "iat": now}
        claims.update(exp=now + 300, scp="bookme.read")
        claims.update(overrides)
        return jwt.encode({"alg": "RS256", "kid": "bank-key-1"}, claims, key)

    return sign, fetched


def test_an_external_issuers_token_is_accepted_with_its_scopes(probe, external):
    sign, fetched = external
    resp = probe.get("/bookme/_probe", headers=bearer(sign()))
    assert resp.status_code == 200
    assert resp.json["client"] == "portal"
    assert fetched == ["https://login.bank.example/jwks"]


def test_the_external_keys_are_fetched_once_not_per_request(probe, external):
    sign, fetched = external
    for _ in range(3):
        assert probe.get("/bookme/_probe", headers=bearer(sign())).status_code == 200
    assert len(fetched) == 1


def test_entra_style_scope_lists_are_understood(probe, external):
    sign, _ = external
    token = sign(scp=["bookme.read", "bookme.admin"])
    assert probe.get("/bookme/_probe", headers=bearer(token)).json["admin"] is True


def test_an_external_token_for_another_audience_is_refused(probe, external):
    sign, _ = external
    assert probe.get("/bookme/_probe", headers=bearer(sign(aud="other"))).status_code == 401


def test_an_expired_external_token_is_refused(probe, external, clock):
    sign, _ = external
    token = sign()
    clock.advance(minutes=10)
    assert probe.get("/bookme/_probe", headers=bearer(token)).status_code == 401


def test_an_external_token_without_the_scope_is_403(probe, external):
    sign, _ = external
    assert probe.get("/bookme/_probe", headers=bearer(sign(scp="profile"))).status_code == 403


def test_an_unconfigured_issuer_is_refused(probe, external):
    sign, _ = external
    token = sign(iss="https://evil.example")
    assert probe.get("/bookme/_probe", headers=bearer(token)).status_code == 401
