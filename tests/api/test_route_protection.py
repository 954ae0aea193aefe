"""No `/bookme` or `/config` route answers without a valid token (401) or without its scope (403)."""

from __future__ import annotations

import re

from flask import Flask

from app.api.clients import SCOPES
from tests import factories

PROTECTED = ("/bookme", "/config")


def protected_routes(app: Flask) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, concrete URL, required scopes) for every protected rule of the app."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PROTECTED):
            continue
        url = re.sub(r"<[^>]+>", "00000000-0000-0000-0000-000000000000", rule.rule)
        view = app.view_functions[rule.endpoint]
        scopes = tuple(getattr(view, "required_scopes", ()))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, url, scopes))
    return found


def test_the_walk_finds_the_routes_of_the_contract(nodb_app):
    urls = {(m, u) for m, u, _ in protected_routes(nodb_app)}
    assert ("GET", "/bookme/time-slots/available") in urls
    assert ("GET", "/config/employees") in urls
    assert ("GET", "/bookme/meeting-topics") in urls


def test_every_protected_route_declares_a_scope(nodb_app):
    unguarded = [(m, u) for m, u, scopes in protected_routes(nodb_app) if not scopes]
    assert unguarded == []


def test_no_protected_route_answers_without_a_token(nodb_app):
    client = nodb_app.test_client()
    for method, url, _ in protected_routes(nodb_app):
        resp = client.open(url, method=method, json={})
        assert resp.status_code == 401, (method, url, resp.status_code)
        assert resp.headers["WWW-Authenticate"].startswith("Bearer"), (method, url)


def test_no_protected_route_answers_a_garbage_token(nodb_app):
    client = nodb_app.test_client()
    for method, url, _ in protected_routes(nodb_app):
        resp = client.open(url, method=method, json={}, headers={"Authorization": "Bearer x.y.z"})
        assert resp.status_code == 401, (method, url, resp.status_code)


def test_no_protected_route_answers_a_token_without_its_scope(nodb_app, clock):
    client = nodb_app.test_client()
    for method, url, scopes in protected_routes(nodb_app):
        others = [s for s in SCOPES if s not in scopes]
        token = factories.token("c1", others, now=clock.now)
        resp = client.open(
            url, method=method, json={}, headers={"Authorization": f"Bearer {token}"}
        )
        assert resp.status_code == 403, (method, url, scopes, resp.status_code)
        assert resp.json["code"] == "FORBIDDEN"
