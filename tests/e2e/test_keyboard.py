"""The whole customer flow by keyboard alone: Tab, arrows, Space and Enter, no mouse."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Live
from tests.e2e.pages import settle

FOCUSED = "() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 200) : ''; }"


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}; last focus {page.evaluate(FOCUSED)}")


def choose(page: Page, name: str, value: str) -> None:
    """Enter a radio group with Tab, then move the choice with the arrow keys."""
    tab_to(page, f"input[name='{name}']")
    for _ in range(10):
        if page.evaluate("v => document.activeElement.value === v", value):
            break
        page.keyboard.press("ArrowDown")
        settle(page)
    page.keyboard.press("Space")
    settle(page)
    expect(page.locator(f"input[name='{name}'][value='{value}']")).to_be_checked()


def test_the_whole_flow_works_by_keyboard_alone(page: Page, live: Live) -> None:
    w = live.world
    page.goto(f"{live.url}/book")
    choose(page, "customer_type", w.private.id)
    choose(page, "topic", w.mortgage.id)
    choose(page, "meeting_type", "Physical")
    tab_to(page, "#location")
    for _ in range(5):
        if page.evaluate("v => document.activeElement.value === v", w.branch.id):
            break
        page.keyboard.press("ArrowDown")
        settle(page)
    expect(page.locator("#location")).to_have_value(w.branch.id)
    tab_to(page, "button[name='go']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()
    tab_to(page, "#week-next")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.locator("#grid-heading")).to_contain_text("Mon 9 Mar")
    expect(page.locator("#week-next")).to_be_focused()  # focus stays for the next press
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.locator("#grid-heading")).to_contain_text("Mon 2 Mar")
    tab_to(page, "button.slot")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#hold-heading")).to_be_focused()
    expect(page.locator("#hold")).to_contain_text("Monday 2 March, 09:30")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your details", exact=True)).to_be_visible()
    tab_to(page, "#name")
    page.keyboard.type("Karen Kunde")
    page.keyboard.press("Tab")
    page.keyboard.type("karen@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("+45 12 34 56 78")
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Confirm your meeting")).to_be_visible()
    tab_to(page, "button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_focused()
