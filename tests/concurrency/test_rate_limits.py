"""Four gunicorn workers counting in one Redis: a limit of N lets N through in total, not N per worker."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from app.api.clients import register_client
from tests.api.test_rate_limits import REDIS_URL, redis_up
from tests.concurrency.server import running_gunicorn

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379"),
]
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture
def server(app, database_url, backend) -> Iterator[tuple[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """Gunicorn with 4 workers on Redis storage under a key prefix of its own; yields (URL, client)."""
    if backend == "sqlite":
        pytest.skip("the limiter does not depend on the database; PostgreSQL is what the issue ran")
    creds = register_client("limited", "bookme.read")
    prefix = f"test-{uuid.uuid4().hex}"
    env = {
        "BOOKME_RATELIMIT_STORAGE": REDIS_URL,
        "BOOKME_RATELIMIT_KEY_PREFIX": prefix,
        "BOOKME_INSECURE_COOKIES": "1",  # plain http: the session cookie must come back
    }
    with running_gunicorn(database_url, workers=4, extra_env=env) as base:
        yield base, creds
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(f"{prefix}:*"):
        store.delete(key)


def fire(count: int, send: Callable[[], requests.Response]) -> Counter[int]:
    """`count` requests from 16 threads at once; their status codes counted."""
    with ThreadPoolExecutor(16) as pool:
        return Counter(pool.map(lambda _: send().status_code, range(count)))


def test_the_token_limit_of_60_a_minute_holds_across_four_workers(server):
    base, creds = server

    def wrong_secret() -> requests.Response:
        return requests.post(
            f"{base}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(creds["client_id"], "not-the-secret"),
            timeout=30,
        )

    assert fire(200, wrong_secret) == {401: 60, 429: 140}


def test_the_hold_limit_of_30_per_10_minutes_holds_across_four_workers(server):
    base, _ = server
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{base}/", timeout=30).text).group(1)  # type: ignore[union-attr]

    def hold() -> requests.Response:
        return browser.post(
            f"{base}/book/hold",
            data={"csrf_token": token, "slot": "nonsense"},
            allow_redirects=False,
            timeout=30,
        )

    assert fire(100, hold) == {302: 30, 429: 70}
