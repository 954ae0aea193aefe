"""What every customer page carries: a policy nothing breaks, a logo, an icon and a description."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Live, watch_csp
from tests.e2e.pages import answer_step_one, settle


def test_the_policy_watch_notices_a_refused_inline_style(browser: Browser, live: Live) -> None:
    page = browser.new_page()
    refused = watch_csp(page)
    page.goto(f"{live.url}/book")
    page.evaluate("() => document.head.insertAdjacentHTML('beforeend', '<style>p{}</style>')")
    page.wait_for_timeout(200)
    assert refused, "an inline style went unnoticed"
    page.close()


def test_step_one_and_the_grid_run_htmx_without_a_refused_style(page: Page, live: Live) -> None:
    refused = watch_csp(page)  # the fixture fails the test too; this says where
    answer_step_one(page, live)
    page.get_by_role("link", name="Next week").click()
    settle(page)
    page.get_by_role("button", name="Tuesday 10 March, 10:00").click()
    settle(page)
    assert refused == []


def test_the_page_has_a_logo_an_icon_and_a_description(page: Page, live: Live) -> None:
    page.goto(f"{live.url}/book")
    expect(page.locator("link[rel=icon]")).to_have_attribute("type", "image/svg+xml")
    description = page.locator("meta[name=description]").get_attribute("content")
    assert description and "Nordbank" in description
    logo = page.locator(".brand svg")
    expect(logo).to_be_visible()
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon and page.request.get(f"{live.url}{icon}").ok
