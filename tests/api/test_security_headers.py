"""HSTS follows the configuration alone: an https deployment always sends it, whatever a proxy says."""

from __future__ import annotations

import pytest
from flask import Flask

from app import create_app

HSTS = "Strict-Transport-Security"


def app_with(**config: object) -> Flask:
    """An app without a database (the pages asked for here need none)."""
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", **config}
    )


@pytest.mark.parametrize(
    "path", ["/.well-known/jwks.json", "/api/docs", "/static/css/app.css", "/no-such-page"]
)
@pytest.mark.parametrize("forwarded", [{}, {"X-Forwarded-Proto": "http"}])
def test_an_https_deployment_sends_hsts_on_every_answer_whatever_the_proxy_says(path, forwarded):
    client = app_with(BOOKME_HTTPS=True, BOOKME_PROXY_HOPS=1).test_client()
    response = client.get(path, headers=forwarded)
    assert response.headers[HSTS] == "max-age=31536000"


def test_an_https_issuer_alone_means_an_https_deployment():
    client = app_with(BOOKME_ISSUER="https://booking.bank.example").test_client()
    assert HSTS in client.get("/.well-known/jwks.json").headers


def test_a_plain_http_deployment_sends_no_hsts_even_when_a_forged_header_claims_https():
    client = app_with(BOOKME_ISSUER="http://127.0.0.1:5000", BOOKME_PROXY_HOPS=1).test_client()
    response = client.get("/.well-known/jwks.json", headers={"X-Forwarded-Proto": "https"})
    assert HSTS not in response.headers
