"""Walk the customer wizard on the demo bank in English and Danish, with screenshots of every step
at 1280 px and 360 px into test-artifacts/walk/ (to look at; not a test).

    python scripts/walk_wizard.py http://127.0.0.1:5077
"""

from __future__ import annotations

import os
import sys

from playwright.sync_api import Page, sync_playwright

OUT = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "test-artifacts", "walk"
)
WORDS = {
    "en": {
        "type": "Personal customer",
        "topic": "Mortgage and buying a home",
        "how": "Video meeting",
        "go": "Continue to times",
        "next": "Continue with your details",
        "confirm": "Continue to confirm",
        "book": "Book the meeting",
        "name": "Full name",
        "email": "E-mail",
        "phone": "Phone",
        "consent": "I agree",
    },
    "da": {
        "type": "Privatkunde",
        "topic": "Boliglån og boligkøb",
        "how": "Videomøde",
        "go": "Fortsæt til tider",
        "next": "Fortsæt med dine oplysninger",
        "confirm": "Fortsæt til bekræft",
        "book": "Book mødet",
        "name": "Fulde navn",
        "email": "E-mail",
        "phone": "Telefon",
        "consent": "Jeg accepterer",
    },
}


def snap(page: Page, lang: str, name: str) -> None:
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(
            path=os.path.join(OUT, f"{lang}-{name}-{width}.png"), full_page=True, caret="initial"
        )
    page.set_viewport_size({"width": 1280, "height": 900})


def settle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def walk(page: Page, url: str, lang: str) -> None:
    w = WORDS[lang]
    page.goto(f"{url}/language/{lang}?next=/book")
    snap(page, lang, "1a-type")
    page.get_by_label(w["type"], exact=True).check()
    settle(page)
    page.get_by_label(w["topic"]).check()
    settle(page)
    page.get_by_label(w["how"]).check()
    settle(page)
    snap(page, lang, "1b-what-about")
    page.get_by_role("button", name=w["go"]).click()
    page.wait_for_load_state("load")
    snap(page, lang, "2-times")
    page.locator("button.slot").first.click()
    settle(page)
    snap(page, lang, "3-hold")
    page.get_by_role("link", name=w["next"]).click()
    page.get_by_role("button", name=w["confirm"]).click()
    snap(page, lang, "4a-details-errors")
    page.locator("#name").fill("Karen Kunde")
    page.locator("#email").fill("karen@example.com")
    page.locator("#phone").fill("+45 12 34 56 78")
    page.locator("#consent").check()
    page.get_by_role("button", name=w["confirm"]).click()
    snap(page, lang, "5-confirm")
    page.get_by_role("button", name=w["book"]).click()
    page.wait_for_load_state("load")
    snap(page, lang, "6-booked")
    page.locator("#private-link").click()
    snap(page, lang, "7-manage")
    page.locator("a[href$='/move']").click()
    snap(page, lang, "8-move-times")
    page.locator("a[href$='/cancel']").count()


if __name__ == "__main__":
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5077"
    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for lang in ("en", "da"):
            context = browser.new_context(locale="en-GB" if lang == "en" else "da-DK")
            page = context.new_page()
            errors: list[str] = []
            page.on(
                "console",
                lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
            )
            walk(page, base, lang)
            print(lang, "console errors:", errors or "none")
            context.close()
        browser.close()
