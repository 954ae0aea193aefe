"""The hold and token limits come from the environment too (the load test lifts the hold limit)."""

from __future__ import annotations

import pytest

from app import create_app


def _app():  # type: ignore[no-untyped-def]
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})


def test_without_the_variables_the_routes_defaults_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOOKME_HOLD_RATE_LIMIT", raising=False)
    monkeypatch.delenv("BOOKME_TOKEN_RATE_LIMIT", raising=False)
    app = _app()
    assert app.config["BOOKME_HOLD_RATE_LIMIT"] == "30 per 10 minutes"
    assert "BOOKME_TOKEN_RATE_LIMIT" not in app.config  # the token route's own default applies


def test_the_environment_sets_both_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKME_HOLD_RATE_LIMIT", "5 per minute")
    monkeypatch.setenv("BOOKME_TOKEN_RATE_LIMIT", "7 per minute")
    app = _app()
    assert app.config["BOOKME_HOLD_RATE_LIMIT"] == "5 per minute"
    assert app.config["BOOKME_TOKEN_RATE_LIMIT"] == "7 per minute"
