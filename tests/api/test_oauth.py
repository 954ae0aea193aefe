"""The authorization server: client credentials in, signed JWT out; keys and metadata published."""

from __future__ import annotations

import base64

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import delete

from app.api.clients import register_client, revoke_client, verify_secret
from app.extensions import db
from app.models import ApiClient


@pytest.fixture
def creds(app):  # type: ignore[no-untyped-def]
    return register_client("Bank portal", "bookme.read bookme.book")


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def test_a_registered_client_secret_is_stored_only_as_a_hash(app, creds):
    row = db.session.query(ApiClient).filter_by(client_id=creds["client_id"]).one()
    assert creds["client_secret"] not in row.client_secret_hash
    assert verify_secret(creds["client_secret"], row.client_secret_hash)
    assert row.scope == "bookme.read bookme.book"


def test_registering_an_unknown_scope_is_refused(app):
    from app.booking.errors import InvalidRequest

    with pytest.raises(InvalidRequest):
        register_client("x", "bookme.read everything")


def test_http_basic_client_credentials_get_a_one_hour_bearer_jwt(app, client, creds):
    resp = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(creds["client_id"], creds["client_secret"]),
    )
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "bookme.read bookme.book"
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").json)
    tok = jwt.decode(body["access_token"], keys)
    assert tok.header["typ"] == "at+jwt"
    claims = tok.claims
    assert {"iss", "aud", "exp", "iat", "jti", "client_id", "scope"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["client_id"] == creds["client_id"]


def test_form_field_client_credentials_work_and_a_narrower_scope_can_be_asked_for(client, creds):
    resp = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": creds["client_secret"],
            "scope": "bookme.read",
        },
    )
    assert resp.status_code == 200
    assert resp.json["scope"] == "bookme.read"


def test_asking_for_a_scope_the_client_lacks_is_invalid_scope(client, creds):
    resp = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "bookme.admin"},
        headers=basic(creds["client_id"], creds["client_secret"]),
    )
    assert resp.status_code == 400
    assert resp.json["error"] == "invalid_scope"


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_a_wrong_secret_is_invalid_client(client, creds, secret):
    resp = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(creds["client_id"], secret),
    )
    assert resp.status_code == 401
    assert resp.json["error"] == "invalid_client"
    assert resp.json["code"] == "UNAUTHORIZED" and resp.json["message"]


def test_a_revoked_client_gets_no_token(app, client, creds):
    assert revoke_client(creds["client_id"])
    resp = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(creds["client_id"], creds["client_secret"]),
    )
    assert resp.status_code == 401


def test_another_grant_type_is_refused(client, creds):
    resp = client.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "u", "password": "p"},
        headers=basic(creds["client_id"], creds["client_secret"]),
    )
    assert resp.status_code == 400
    assert resp.json["error"] == "unsupported_grant_type"


def test_a_token_from_the_endpoint_opens_the_api(app, client, creds):
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(creds["client_id"], creds["client_secret"]),
    ).json["access_token"]
    resp = client.get("/config/customer-types", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200


def test_the_metadata_points_at_the_token_endpoint_and_the_keys(nodb_app):
    meta = nodb_app.test_client().get("/.well-known/oauth-authorization-server").json
    assert meta["issuer"] == "http://localhost"
    assert meta["token_endpoint"] == "http://localhost/oauth/token"
    assert meta["jwks_uri"] == "http://localhost/.well-known/jwks.json"
    assert meta["grant_types_supported"] == ["client_credentials"]
    assert set(meta["scopes_supported"]) == {
        "bookme.read",
        "bookme.book",
        "bookme.admin",
        "bookme.cpr",
    }


def test_the_published_keys_hold_no_private_part(nodb_app):
    (key,) = nodb_app.test_client().get("/.well-known/jwks.json").json["keys"]
    assert key["kty"] == "RSA" and key["kid"] and "d" not in key and "p" not in key


def test_a_configured_pem_key_is_used_for_signing(clock):
    from app import create_app
    from app.api.oauth import jwks

    pem = RSAKey.generate_key(2048, private=True).as_pem(private=True).decode()
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "BOOKME_JWT_PRIVATE_KEY": pem}
    )
    with app.app_context():
        published = jwks()["keys"][0]
    assert published["n"] == RSAKey.import_key(pem).as_dict()["n"]


def test_a_generated_key_file_is_private_and_never_replaced(tmp_path):
    import os
    from concurrent.futures import ThreadPoolExecutor

    from app.api.oauth import _create_key_file

    path = str(tmp_path / "instance" / "jwt_private_key.pem")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: _create_key_file(path), range(4)))
    from pathlib import Path

    first = Path(path).read_text(encoding="ascii")
    _create_key_file(path)
    assert Path(path).read_text(encoding="ascii") == first
    assert RSAKey.import_key(first).is_private
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path / "instance") == ["jwt_private_key.pem"]


def test_hammering_the_token_endpoint_is_answered_with_a_json_429(clock):
    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "x",
            "RATELIMIT_ENABLED": True,
            "BOOKME_TOKEN_RATE_LIMIT": "3 per minute",
        }
    )
    client = app.test_client()
    codes = [
        client.post("/oauth/token", data={"grant_type": "client_credentials"}).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    resp = client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert resp.json["code"] == "TOO_MANY_REQUESTS"


def _token_answer(client, client_id: str, secret: str, how: str):  # type: ignore[no-untyped-def]
    """A token request authenticated by HTTP Basic or by the form fields."""
    data = {"grant_type": "client_credentials"}
    if how == "basic":
        return client.post("/oauth/token", data=data, headers=basic(client_id, secret))
    return client.post(
        "/oauth/token", data={**data, "client_id": client_id, "client_secret": secret}
    )


@pytest.mark.parametrize("how", ["basic", "form"])
def test_an_unknown_client_and_a_wrong_secret_get_the_same_answer(app, client, creds, how):
    wrong = _token_answer(client, creds["client_id"], "not-the-secret", how)
    unknown = _token_answer(client, "bm_" + "0" * 24, "not-the-secret", how)
    revoke_client(creds["client_id"])
    revoked = _token_answer(client, creds["client_id"], creds["client_secret"], how)
    answers = [(r.status_code, r.json) for r in (wrong, unknown, revoked)]
    assert answers[0][0] == 401 and answers[0][1]["error"] == "invalid_client"
    assert answers[1] == answers[0] and answers[2] == answers[0]
    assert "exist" not in answers[0][1]["message"]
    challenges = {r.headers.get("WWW-Authenticate") for r in (wrong, unknown, revoked)}
    assert len(challenges) == 1


def test_an_unknown_client_costs_a_secret_check_like_a_known_one(app, client, creds, monkeypatch):
    from app.api import oauth

    checks: list[str] = []
    real = oauth.verify_secret

    def counting(secret: str, stored: str) -> bool:
        checks.append(secret)
        return real(secret, stored)

    monkeypatch.setattr(oauth, "verify_secret", counting)
    _token_answer(client, creds["client_id"], "wrong-1", "basic")
    _token_answer(client, "bm_unknown", "wrong-2", "basic")
    assert checks == ["wrong-1", "wrong-2"]


@pytest.mark.parametrize("how", ["basic", "form"])
@pytest.mark.parametrize("client_id", ["bm_\x00", "x" * 5000])
def test_a_client_id_no_database_can_store_is_an_unknown_client_not_a_500(client, how, client_id):
    resp = _token_answer(client, client_id, "secret", how)
    assert resp.status_code == 401 and resp.json["error"] == "invalid_client"


@pytest.mark.parametrize(
    "header",
    [
        "Basic ",
        "Basic !!!",
        "Basic " + base64.b64encode(b"\xff\xfe:secret").decode(),
        "Basic " + base64.b64encode(b"\xed\xa0\x80:x").decode(),
        "Basic " + base64.b64encode(b"no-colon").decode(),
    ],
)
def test_malformed_basic_credentials_are_an_unknown_client_not_a_500(client, creds, header):
    data = {"grant_type": "client_credentials"}
    odd = client.post("/oauth/token", data=data, headers={"Authorization": header})
    wrong = _token_answer(client, creds["client_id"], "not-the-secret", "basic")
    assert (odd.status_code, odd.json) == (wrong.status_code, wrong.json)
    assert odd.headers.get("WWW-Authenticate") == wrong.headers.get("WWW-Authenticate")


def test_a_revoked_clients_token_is_refused_on_its_next_request(app, client, creds):
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(creds["client_id"], creds["client_secret"]),
    ).json["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/config/customer-types", headers=bearer).status_code == 200

    assert revoke_client(creds["client_id"])
    refused = client.get("/config/customer-types", headers=bearer)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert "revoked" in refused.json["message"]


def test_a_token_whose_client_row_is_gone_is_refused_like_a_revoked_one(app, client, creds):
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(creds["client_id"], creds["client_secret"]),
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/config/customer-types", headers=headers).status_code == 200
    db.session.execute(delete(ApiClient).where(ApiClient.client_id == creds["client_id"]))
    db.session.commit()
    resp = client.get("/config/customer-types", headers=headers)
    assert resp.status_code == 401
    assert 'error="invalid_token"' in resp.headers["WWW-Authenticate"]
