"""Sign-in attempts are limited per account and per address, in the limiter's shared storage."""

from __future__ import annotations

import uuid

import pyotp
import pytest
import redis

from app import create_app
from tests.api.test_rate_limits import REDIS_URL, redis_up
from tests.web.conftest import BrowserClient
from tests.web.data import build_world
from tests.web.helpers import csrf_from
from tests.web.staff_helpers import PASSWORD, make_staff, sign_in


@pytest.fixture
def limited_app(database_url, clock):  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
            "RATELIMIT_ENABLED": True,
            "BOOKME_RATELIMIT_STORAGE": "memory://",
            "BOOKME_RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "BOOKME_LOGIN_ACCOUNT_LIMIT": "3 per 15 minutes",
            "BOOKME_LOGIN_ADDRESS_LIMIT": "5 per 15 minutes",
            "BOOKME_MFA_ACCOUNT_LIMIT": "3 per 15 minutes",
        }
    )
    app.test_client_class = BrowserClient
    with app.app_context():
        build_world()
        make_staff("anna@nordbank.example")
        make_staff("bo@nordbank.example")
        make_staff("cy@nordbank.example", mfa=True)
        yield app


def test_an_account_gets_three_tries_then_even_the_right_password_waits(limited_app):
    codes = [
        sign_in(
            limited_app.test_client(), "anna@nordbank.example", "wrong", REMOTE_ADDR=f"10.0.0.{i}"
        ).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 200]
    blocked = sign_in(
        limited_app.test_client(), "Anna@nordbank.example", PASSWORD, REMOTE_ADDR="10.0.0.9"
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many sign-in attempts" in blocked.get_data(as_text=True)
    other = sign_in(
        limited_app.test_client(), "bo@nordbank.example", PASSWORD, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302, "another account is not held up"


def test_an_unknown_account_is_limited_the_same_way(limited_app):
    codes = [
        sign_in(
            limited_app.test_client(), "nobody@nordbank.example", "x", REMOTE_ADDR=f"10.0.1.{i}"
        ).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_an_address_gets_five_tries_across_accounts(limited_app):
    client = limited_app.test_client()
    codes = [
        sign_in(client, f"guess{i}@nordbank.example", "x", REMOTE_ADDR="10.0.2.1").status_code
        for i in range(6)
    ]
    assert codes == [200] * 5 + [429]
    elsewhere = sign_in(
        limited_app.test_client(), "anna@nordbank.example", PASSWORD, REMOTE_ADDR="10.0.2.2"
    )
    assert elsewhere.status_code == 302


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_two_workers_sharing_redis_share_one_count_per_account(database_url, clock):
    prefix = f"test-{uuid.uuid4().hex}"
    workers = [
        create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SECRET_KEY": "test-secret",
                "BOOKME_CLOCK": clock,
                "RATELIMIT_ENABLED": True,
                "BOOKME_RATELIMIT_STORAGE": REDIS_URL,
                "BOOKME_RATELIMIT_KEY_PREFIX": prefix,
                "BOOKME_LOGIN_ACCOUNT_LIMIT": "3 per 15 minutes",
            }
        )
        for _ in range(2)
    ]
    codes = []
    for i in range(5):
        worker = workers[i % 2]
        worker.test_client_class = BrowserClient
        with worker.app_context():
            client = worker.test_client()
            codes.append(
                sign_in(
                    client, "nobody@nordbank.example", "x", REMOTE_ADDR=f"10.0.3.{i}"
                ).status_code
            )
    assert codes == [200, 200, 200, 429, 429]
    store = redis.Redis.from_url(REDIS_URL)
    keys = store.keys(f"{prefix}:*")
    assert keys and not any(b"nobody" in key for key in keys), "the e-mail is hashed in the key"
    store.delete(*keys)


def _code(client, code: str):  # type: ignore[no-untyped-def]
    page = client.get("/login/code").get_data(as_text=True)
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_from(page)})


def test_the_code_step_gets_three_tries_per_account_across_browsers(limited_app, clock):
    from tests.web.staff_helpers import SECRETS

    first, second = limited_app.test_client(), limited_app.test_client()
    for browser, address in ((first, "10.0.1.1"), (second, "10.0.1.2")):
        page = browser.get("/login").get_data(as_text=True)
        data = {"email": "cy@nordbank.example", "password": PASSWORD}
        answer = browser.post(
            "/login",
            data={**data, "csrf_token": csrf_from(page)},
            environ_base={"REMOTE_ADDR": address},
        )
        assert answer.location == "/login/code"
    assert [_code(first, "000001").status_code for _ in range(2)] == [400, 400]
    assert _code(second, "000002").status_code == 400
    right = pyotp.TOTP(SECRETS["cy@nordbank.example"]).at(clock.now)
    blocked = _code(second, right)
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    assert "Too many codes tried" in blocked.get_data(as_text=True)
