"""Rate limits kept in Redis are shared by every process; an unreachable Redis degrades, never 500s."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from app import create_app
from app.extensions import limiter
from tests.concurrency.server import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_up() -> bool:
    """Whether Redis answers on 127.0.0.1:6379."""
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def limited_app(storage: str, prefix: str) -> Flask:
    """An app (one "worker") whose token endpoint allows 3 requests a minute, counted in `storage`."""
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "x",
            "RATELIMIT_ENABLED": True,
            "BOOKME_RATELIMIT_STORAGE": storage,
            "BOOKME_RATELIMIT_KEY_PREFIX": prefix,
            "BOOKME_TOKEN_RATE_LIMIT": "3 per minute",
        }
    )


def ask_for_token(app: Flask) -> int:
    """One anonymous token request (401 until the limit, then 429)."""
    return (
        app.test_client()
        .post("/oauth/token", data={"grant_type": "client_credentials"})
        .status_code
    )


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_two_processes_sharing_a_redis_storage_share_one_count():
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = limited_app(REDIS_URL, prefix), limited_app(REDIS_URL, prefix)
    codes = [ask_for_token(app) for app in (first, second, first, second, first)]
    assert codes == [401, 401, 401, 429, 429]
    store = redis.Redis.from_url(REDIS_URL)
    keys = store.keys(f"{prefix}:*")
    assert keys, "the count lives in Redis under the configured prefix"
    store.delete(*keys)


@pytest.fixture
def revived_limiter() -> Iterator[None]:
    """The limiter is one object per process: let the next test's app start with live storage."""
    yield
    limiter._storage_dead = False  # the fallback would otherwise last until its next Redis check


def test_an_unreachable_redis_falls_back_to_per_process_counts_without_failing(
    caplog, revived_limiter
):
    app = limited_app(f"redis://127.0.0.1:{free_port()}/0", f"test-{uuid.uuid4().hex}")
    codes = [ask_for_token(app) for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    assert "falling back to in-memory storage" in caplog.text
