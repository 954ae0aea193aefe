"""The site's own 404, 500 and 503 pages in a browser: branded, both languages, no sideways scroll,
no WCAG 2.2 A/AA violation; screenshots at 1280 px and 360 px."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from app import create_app
from app.wizard import routes
from tests.api.test_database_unavailable import refused_url
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap


@pytest.fixture
def down_url(clock) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A live server whose PostgreSQL refuses connections."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": refused_url(),
            "SECRET_KEY": "e2e-secret",
            "BOOKME_CLOCK": clock,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_an_unknown_page_is_the_sites_own_404(page: Page, live: Live, axe_path: str) -> None:
    page.context.add_init_script(path=axe_path)
    response = page.goto(live.url + "/m/no-such-private-link")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Book a meeting")).to_be_visible()
    assert_accessible(page)
    snap(page, "error-404")


def test_a_crash_is_the_sites_own_500_in_danish(
    browser: Browser, live: Live, axe_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(choices):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(routes, "resolve", boom)
    live.app.config["PROPAGATE_EXCEPTIONS"] = False
    context = browser.new_context(locale="da-DK")
    context.add_init_script(path=axe_path)
    page = context.new_page()
    response = page.goto(live.url + "/book")
    assert response is not None and response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Noget gik galt")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    assert_accessible(page)
    snap(page, "error-500-da")
    context.close()


def test_an_unreachable_database_is_the_sites_own_503(
    page: Page, down_url: str, axe_path: str
) -> None:
    page.context.add_init_script(path=axe_path)
    response = page.goto(down_url + "/book")
    assert response is not None and response.status == 503
    assert response.headers["retry-after"] == "30"
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking is paused for a moment")
    assert_accessible(page)
    snap(page, "error-503")
