"""Helpers the browser tests share: screenshots at two widths, axe-core checks, the step-1 answers."""

from __future__ import annotations

import json
import os
from uuid import uuid4

from playwright.sync_api import Page, expect

from app.booking.reservations import HoldRequest, reserve
from tests.e2e.conftest import SCREENSHOTS, Live

WIDTHS = ((1280, 900), (360, 740))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def settle(page: Page) -> None:
    """Wait until htmx has no request in flight and has settled the swap."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def snap(page: Page, name: str) -> None:
    """Screenshots at 1280 px and 360 px into test-artifacts/screenshots/; no width (nor 200 % zoom)
    may scroll sideways. The caret stays as it is: hiding it injects a style into the page that
    htmx's next swap carries into the document, which the policy then (rightly) refuses."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(
            path=os.path.join(SCREENSHOTS, f"{name}-{width}.png"), full_page=True, caret="initial"
        )
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    page.set_viewport_size({"width": 640, "height": 450})  # 1280 x 900 at 200 % zoom
    overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 200 % zoom"
    page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})


def assert_accessible(page: Page) -> None:
    """axe-core (injected by the context's init script) finds no WCAG 2.2 A/AA violation."""
    page.wait_for_load_state("load")
    settle(page)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    problems = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not problems, json.dumps(problems, indent=1)


def answer_step_one(page: Page, live: Live, branch: bool = True) -> None:
    """Choose Private, Mortgage, a meeting at the branch and the branch, then continue."""
    page.goto(f"{live.url}/book")
    page.get_by_label("Private").check()
    settle(page)
    if page.get_by_label("Mortgage").count() == 0:  # without JavaScript the type comes alone
        page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Mortgage").check()
    settle(page)
    page.get_by_label("At a branch").check()
    settle(page)
    if branch:
        page.locator("#location").select_option(value=live.world.branch.id)
        settle(page)
    page.get_by_role("button", name="Continue to times").click()
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()


def only_anna(live: Live) -> None:
    """Make Anna the only bookable advisor, so a held time disappears from everyone's grid."""
    from app.models import Employee

    with live.db() as session:
        session.get(Employee, live.world.bo.id).can_be_booked = False
        session.commit()


def reserve_for_someone_else(live: Live, start_iso: str) -> None:
    """Another customer holds Anna's hour starting at `start_iso` (UTC) through the service."""
    from datetime import datetime, timedelta

    start = datetime.fromisoformat(start_iso)
    with live.db():
        reserve(
            HoldRequest(
                token=str(uuid4()),
                start=start,
                end=start + timedelta(hours=1),
                employee_id=live.world.anna.id,
                meeting_type="Physical",
                topic_id=live.world.mortgage.id,
                customer_type_id=live.world.private.id,
                is_customer_initiated=True,
                owner="wizard:e2e",
            ),
            now=live.clock(),
        )


def fill_details(page: Page) -> None:
    """Type the customer's details and tick the consent."""
    page.get_by_label("Full name").fill("Karen Kunde")
    page.get_by_label("E-mail").fill("karen@example.com")
    page.get_by_label("Phone").fill("+45 12 34 56 78")
    page.get_by_label("Note for your advisor (optional)").fill("About our new flat")
    page.get_by_label("I agree").check()
