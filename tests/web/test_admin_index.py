"""The admin index lists the configuration sections that exist; advisors never see it."""

from __future__ import annotations

from tests.web.staff_helpers import make_staff, sign_in


def test_the_admin_sees_the_configuration_index_and_the_advisor_does_not(app, client, world):
    make_staff("boss@nordbank.example", admin=True)
    make_staff("anna@nordbank.example", employee_id=world.anna.id)
    assert sign_in(client, "boss@nordbank.example").status_code == 302
    home = client.get("/staff").get_data(as_text=True)
    assert 'href="/staff/admin"' in home
    page = client.get("/staff/admin")
    assert page.status_code == 200
    assert "<h1>Configuration</h1>" in page.get_data(as_text=True)

    other = app.test_client()
    assert sign_in(other, "anna@nordbank.example").status_code == 302
    assert 'href="/staff/admin"' not in other.get("/staff").get_data(as_text=True)
    assert other.get("/staff/admin").status_code == 403
