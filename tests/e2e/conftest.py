"""Browser tests: Debian's Chromium through Playwright against a live server in this process.

Each test gets a fresh SQLite database with the small bank of `tests/web/data.py`, a server on a
free port (werkzeug in a thread) and the settable `FakeClock`, so a test can let a hold run out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import ROOT, create_app
from app.extensions import db
from app.i18n import compile_catalogues
from tests.conftest import FakeClock
from tests.web.data import World, build_world

ARTIFACTS = os.path.join(ROOT, "test-artifacts")
SCREENSHOTS = os.path.join(ARTIFACTS, "screenshots")
AXE_VERSION = "4.10.2"
AXE = os.path.join(ARTIFACTS, "vendor", f"axe-core-{AXE_VERSION}", "axe.min.js")
CHROMIUM = "/usr/bin/chromium"

HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests `e2e` (the hook sees every item, so only those under this folder)."""
    for item in items:
        if str(item.path).startswith(HERE):
            item.add_marker(pytest.mark.e2e)


def _skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine without the tool; in CI (CI=true) a missing tool is a failure."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        _skip_or_fail("Chromium is not installed (make chromium)")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    return {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB", "accept_downloads": True}


def fetch_axe() -> str:
    """axe-core's `axe.min.js`, fetched once with `npm pack` into the git-ignored artifacts folder."""
    if os.path.exists(AXE):
        return AXE
    target = os.path.dirname(AXE)
    os.makedirs(target, exist_ok=True)
    done = subprocess.run(
        ["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent"],
        cwd=target,
        capture_output=True,
        text=True,
        check=True,
    )
    archive = os.path.join(target, done.stdout.strip().splitlines()[-1])
    with tarfile.open(archive) as tar:
        member = tar.getmember("package/axe.min.js")
        member.name = "axe.min.js"
        tar.extract(member, target, filter="data")
    os.remove(archive)
    return AXE


@pytest.fixture(scope="session")
def axe_path() -> str:
    try:
        return fetch_axe()
    except (OSError, subprocess.CalledProcessError) as exc:  # pragma: no cover - offline machine
        _skip_or_fail(f"axe-core could not be fetched: {exc}")


@dataclass
class Live:
    """A running server: its base URL, app, clock and the bank it serves."""

    url: str
    app: Flask
    clock: FakeClock
    world: World

    @contextmanager
    def db(self) -> Iterator[Any]:
        """An app context for looking at (or changing) the server's database from the test."""
        with self.app.app_context():
            yield db.session
            db.session.remove()


@pytest.fixture(scope="session", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@contextmanager
def serving(sqlite_template: str, tmp_path: Any, **settings: Any) -> Iterator[Live]:
    """The app with the small bank on a free loopback port; `settings` added to its test config."""
    path = os.path.join(tmp_path, "live.db")
    shutil.copy(sqlite_template, path)
    clock = FakeClock(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "e2e-secret",
            "BOOKME_CLOCK": clock,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            **settings,
        }
    )
    with app.app_context():
        world = build_world()
        for row in vars(world).values():
            db.session.refresh(row)  # load the ids and names before the rows are detached
        db.session.expunge_all()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app, clock, world)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def live(sqlite_template: str, tmp_path: Any) -> Iterator[Live]:
    with serving(sqlite_template, tmp_path) as running:
        yield running


CSP_WORDS = ("content security policy", "content-security-policy")


def watch_csp(page: Any) -> list[str]:
    """The console messages and page errors in which the browser refused something under the
    Content Security Policy, collected as they come."""
    refused: list[str] = []

    def listen(message: Any) -> None:
        text = message.text if hasattr(message, "text") else str(message)
        if any(word in text.lower() for word in CSP_WORDS):
            refused.append(text)

    page.on("console", listen)
    page.on("pageerror", listen)
    return refused


@pytest.fixture
def page(page: Any) -> Iterator[Any]:
    """Playwright's page, failing the test when the browser refused anything under the policy
    (htmx writing inline styles, an inline script): the console says so, the page may look fine."""
    refused = watch_csp(page)
    yield page
    assert not refused, "the Content Security Policy refused:\n" + "\n".join(refused)
