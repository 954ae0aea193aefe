"""Every configuration page is for admins: an advisor gets 403 and nothing is written."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import CustomerType
from tests.web.helpers import csrf_from
from tests.web.staff_helpers import make_staff, sign_in

LISTS = (
    "topics",
    "customer-types",
    "locations",
    "rooms",
    "competence-groups",
    "service-groups",
    "closing-days",
)


def test_an_advisor_gets_403_on_every_configuration_page(app, client, world):
    make_staff("anna@nordbank.example", employee_id=world.anna.id)
    assert sign_in(client, "anna@nordbank.example").status_code == 302
    token = csrf_from(client.get("/staff").get_data(as_text=True))
    before = db.session.scalar(select(func.count()).select_from(CustomerType))
    for name in LISTS:
        for path in (f"/staff/admin/{name}", f"/staff/admin/{name}/new", f"/staff/admin/{name}/x"):
            assert client.get(path).status_code == 403, path
        answer = client.post(
            f"/staff/admin/{name}/new", data={"name": "Sneaky", "csrf_token": token}
        )
        assert answer.status_code == 403, name
    assert client.get("/staff/admin/settings").status_code == 403
    post = client.post(
        "/staff/admin/closing-days/holidays", data={"year": "2027", "csrf_token": token}
    )
    assert post.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CustomerType)) == before


def test_the_admin_index_lists_the_new_sections(client, world):
    make_staff("boss@nordbank.example", admin=True)
    sign_in(client, "boss@nordbank.example")
    page = client.get("/staff/admin").get_data(as_text=True)
    for path in (*LISTS, "settings"):
        assert f'href="/staff/admin/{path}"' in page


def test_a_button_sent_without_its_csrf_token_changes_nothing(app, world):
    """The CSRF check before every view is what refuses a button sent without its token (the
    views have no check of their own)."""
    from app.api.clients import find_client, register_client
    from app.models import Employee
    from tests import factories
    from tests.web.admin_helpers import admin_client

    browser = admin_client(app)
    creds = register_client("Portal", "bookme.read")
    loner = factories.employee()
    db.session.commit()
    for url in (
        f"/staff/admin/api-clients/{creds['client_id']}/revoke",
        f"/staff/admin/advisors/{loner.id}/delete",
    ):
        assert browser.post(url, data={"csrf_token": "forged"}).status_code == 302, url
    db.session.expire_all()
    assert find_client(creds["client_id"]) is not None  # not revoked
    assert db.session.get(Employee, loner.id) is not None
