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


def test_a_focused_heading_is_marked_calmly_not_in_the_error_colour(page: Page, live: Live) -> None:
    page.goto(f"{live.url}/book")
    page.get_by_label("Private").check()
    settle(page)
    page.get_by_role("button", name="Continue to times").click()
    heading = page.get_by_role("heading", name="Please answer these questions")
    expect(heading).to_be_focused()
    colour = heading.evaluate("h => getComputedStyle(h).outlineColor")
    assert colour != "rgb(194, 65, 12)", colour  # the focus orange reads as an error


# The options whose text is wider than the closed list has room for (its arrow takes ~24 px).
MEASURE_OPTIONS = """s => {
  const style = getComputedStyle(s);
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = style.font;
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
  return [...s.options].map(o => o.text).filter(t => pen.measureText(t).width > room);
}"""


def test_at_360_px_in_danish_the_progress_is_one_line_and_the_branch_list_fits(
    browser: Browser, live: Live
) -> None:
    from app.models import Location

    with live.db() as session:
        branch = session.get(Location, live.world.branch.id)
        branch.localized_names = {"da-DK": "København – Østerbro"}
        branch.address = "Østerbrogade 120, 2100 København Ø"
        session.commit()
    context = browser.new_context(locale="da-DK", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live.url}/book?customer_type={live.world.private.id}")
    heights = page.locator(".steps li").evaluate_all("els => els.map(e => e.offsetTop)")
    assert len(set(heights)) == 1, heights
    too_wide = page.locator("#location").evaluate(MEASURE_OPTIONS)
    assert too_wide == [], too_wide
    context.close()


def test_the_copy_button_copies_the_private_link(browser: Browser, live: Live) -> None:
    from tests.e2e.test_move_and_cancel import TOKEN, _booked

    _booked(live)
    context = browser.new_context(locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    page = context.new_page()
    page.goto(f"{live.url}/book/booked/{TOKEN}")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#status")).to_contain_text("Link copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith(f"/m/{TOKEN}")
    context.close()
