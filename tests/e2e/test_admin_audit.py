"""The audit trail in a browser: after an admin changes a branch, they open the audit page, see the
change with their name and the before and after, and filter it; the page passes axe and is
photographed (admin-audit at 1280 and 360 px)."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page, expect

from app import audit
from app.configuration.items import save_item
from app.extensions import db
from app.models import Location
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap
from tests.web.staff_helpers import PASSWORD, SECRETS, make_staff

ADMIN = "boss@nordbank.example"


def test_the_admin_sees_their_change_in_the_audit_trail(
    page: Page, live: Live, axe_path: str
) -> None:
    with live.db():
        admin = make_staff(ADMIN, admin=True)
        db.session.commit()
        branch = db.session.get(Location, live.world.branch.id)
        admin_id = admin.id
        who = audit.Actor("staff", admin_id, ADMIN, "admin")
        with audit.acting(who):  # as the admin's branch page would: through the same service
            save_item("locations", {"id": branch.id, "name": branch.name, "address": "Havnegade 1"})
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(ADMIN)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("One-time code", exact=True).fill(
        pyotp.TOTP(SECRETS[ADMIN]).at(live.clock.now)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live.url + "/staff")
    page.goto(live.url + "/staff/admin")
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    change = page.get_by_role("listitem").filter(has_text="Havnegade 1").first
    expect(change).to_contain_text("Changed: Branch")
    expect(change).to_contain_text(ADMIN)
    expect(change.locator("ins")).to_have_text("Havnegade 1")
    assert_accessible(page)
    snap(page, "admin-audit")

    page.get_by_label("Who").select_option(label=f"Staff: {ADMIN}")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".audit-record")).to_have_count(1)
    expect(page.get_by_label("Who")).to_have_value(f"staff:{admin_id}")
    assert_accessible(page)
    snap(page, "admin-audit-filtered")
