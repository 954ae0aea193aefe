"""Apps on databases that are down, for the readiness and log tests."""

from __future__ import annotations

import socket

from flask import Flask

from app import create_app


def free_port() -> int:
    """A loopback port nobody listened on a moment ago (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_for(url: str, clock, **config) -> Flask:  # type: ignore[no-untyped-def]
    """An app as in production (errors become answers) on the database at `url`."""
    return create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
            "BOOKME_ISSUER": "http://localhost",
            "RATELIMIT_ENABLED": False,
            **config,
        }
    )
