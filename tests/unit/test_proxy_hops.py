"""Behind `BOOKME_PROXY_HOPS` trusted proxies the app sees the client's own address and scheme
(the wizard's hold limit keys on the address); with none, forwarded headers are ignored."""

from __future__ import annotations

import pytest
from flask import request

from app import create_app


def _app(hops: int):  # type: ignore[no-untyped-def]
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}
        | ({"BOOKME_PROXY_HOPS": hops} if hops else {})
    )
    app.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.scheme}")
    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
PROXY = {"REMOTE_ADDR": "10.0.0.2"}


@pytest.mark.parametrize(("hops", "seen"), [(0, "10.0.0.2 http"), (1, "203.0.113.9 https")])
def test_the_client_address_is_the_proxy_s_unless_proxies_are_trusted(hops, seen):
    client = _app(hops).test_client()
    answer = client.get("/_seen", headers=FORWARDED, environ_base=PROXY)
    assert answer.get_data(as_text=True) == seen


def test_one_trusted_proxy_takes_only_the_address_it_added():
    client = _app(1).test_client()
    forged = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}  # the client claimed 198.51.100.7
    answer = client.get("/_seen", headers=forged, environ_base=PROXY)
    assert answer.get_data(as_text=True).split()[0] == "203.0.113.9"
