"""Topics and customer types: create, edit, delete, refused input next to its field (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import refresh
from sqlalchemy import select

from app.extensions import db
from app.models import CustomerType, Meeting, Topic
from tests import factories
from tests.web.admin_helpers import field_error, send, sign_in_admin, text


def _topic(name: str) -> Topic | None:
    return db.session.scalar(select(Topic).where(Topic.name == name))


def test_an_admin_creates_a_topic_with_its_types_and_parent(client, world):
    sign_in_admin(client)
    form = {
        "name": "Pension",
        "description": "Saving for later",
        "duration_minutes": "45",
        "meeting_types": ["Physical", "Telephone"],
        "customer_types": [world.private.id],
        "is_customer": "1",
        "parent": world.mortgage.id,
        "order": "3",
    }
    response = send(client, "/staff/admin/topics/new", form)
    assert response.status_code == 302
    assert response.location == "/staff/admin/topics"
    topic = _topic("Pension")
    assert topic is not None
    assert (topic.duration_minutes, topic.order, topic.parent_id) == (45, 3, world.mortgage.id)
    assert topic.meeting_types == ["Physical", "Telephone"]
    assert [c.id for c in topic.customer_types] == [world.private.id]
    listing = client.get("/staff/admin/topics").get_data(as_text=True)
    assert "Saved: Pension." in text(listing)
    assert 'class="depth-1" data-label="Name">Pension</th>' in listing


def test_an_admin_edits_a_topic_to_staff_only(client, world):
    sign_in_admin(client)
    url = f"/staff/admin/topics/{world.phone_only.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Quick question"' in page
    form = {"name": "Quick call", "duration_minutes": "15", "meeting_types": ["Telephone"]}
    assert send(client, url, {**form, "order": "0"}).status_code == 302
    db.session.expire_all()
    topic = db.session.get(Topic, world.phone_only.id)
    assert (topic.name, topic.duration_minutes, topic.is_customer) == ("Quick call", 15, False)


def test_a_topic_without_a_name_or_with_a_bad_duration_is_refused_next_to_the_fields(client, world):
    sign_in_admin(client)
    form = {"name": " ", "duration_minutes": "0", "meeting_types": ["Physical"], "order": "x"}
    response = send(client, "/staff/admin/topics/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "name") == "Enter a value."
    assert field_error(html, "duration_minutes") == "Enter a number greater than 0."
    assert field_error(html, "order") == "Enter a whole number."
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(select(Topic).where(Topic.order == 0, Topic.name == "")) is None


def test_a_topic_name_already_taken_is_refused(client, world):
    sign_in_admin(client)
    form = {"name": "mortgage", "meeting_types": ["Physical"], "order": "0"}
    response = send(client, "/staff/admin/topics/new", form)
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "name") == "The name mortgage is taken."


def test_a_topic_cannot_sit_under_itself(client, world):
    sign_in_admin(client)
    url = f"/staff/admin/topics/{world.mortgage.id}"
    form = {"name": "Mortgage", "parent": world.mortgage.id, "order": "0"}
    response = send(client, url, form)
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "parent") is not None
    db.session.expire_all()
    assert db.session.get(Topic, world.mortgage.id).parent_id is None


def test_removing_a_meeting_type_lists_the_booked_meetings_before_saving(client, world):
    factories.meeting(
        world.anna, datetime(2026, 3, 4, 9, tzinfo=UTC), topic=world.mortgage, meeting_type="Online"
    )
    db.session.commit()
    sign_in_admin(client)
    url = f"/staff/admin/topics/{world.mortgage.id}"
    form = {"name": "Mortgage", "meeting_types": ["Physical"], "is_customer": "1", "order": "0"}
    response = send(client, url, form)
    assert response.status_code == 409
    page = text(response.get_data(as_text=True))
    assert "This change affects 1 booked meeting" in page
    assert "Anna Andersen" in page and "Wednesday 4 March, 10:00" in page
    db.session.expire_all()
    assert db.session.get(Topic, world.mortgage.id).meeting_types == ["Physical", "Online"]

    assert send(client, url, {**form, "confirm_affected": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Topic, world.mortgage.id).meeting_types == ["Physical"]
    assert db.session.scalar(select(Meeting.status)) == "Booked"


def test_an_admin_deletes_a_topic_but_not_one_with_booked_meetings(client, world):
    factories.meeting(world.anna, datetime(2026, 3, 4, 9, tzinfo=UTC), topic=world.mortgage)
    db.session.commit()
    sign_in_admin(client)
    assert (
        send(
            client, "/staff/admin/topics", {}, f"/staff/admin/topics/{world.staff_only.id}/delete"
        ).status_code
        == 302
    )
    assert _topic("Internal review") is None
    refused = send(
        client, "/staff/admin/topics", {}, f"/staff/admin/topics/{world.mortgage.id}/delete"
    )
    assert refused.status_code == 302
    assert "Booked meetings still depend on it" in text(
        client.get("/staff/admin/topics").get_data(as_text=True)
    )
    assert _topic("Mortgage") is not None


def test_deleting_with_htmx_answers_with_the_row_note(client, world):
    sign_in_admin(client)
    page = client.get("/staff/admin/topics").get_data(as_text=True)
    from tests.web.helpers import csrf_from

    response = client.post(
        f"/staff/admin/topics/{world.staff_only.id}/delete",
        headers={"HX-Request": "true", "X-CSRFToken": csrf_from(page)},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-focus="always"' in html and "Deleted: Internal review." in html
    assert "<html" not in html


def test_an_admin_creates_renames_and_deletes_a_customer_type(client, world):
    sign_in_admin(client)
    assert send(client, "/staff/admin/customer-types/new", {"name": "Students"}).status_code == 302
    kind = db.session.scalar(select(CustomerType).where(CustomerType.name == "Students"))
    url = f"/staff/admin/customer-types/{kind.id}"
    assert send(client, url, {"name": "Young"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CustomerType, kind.id).name == "Young"
    refused = send(client, url, {"name": ""})
    assert refused.status_code == 400
    assert field_error(refused.get_data(as_text=True), "name") == "Enter a value."
    assert send(client, url, {}, f"{url}/delete").status_code == 302
    assert db.session.get(CustomerType, kind.id) is None


def test_a_form_without_its_csrf_token_is_refused(client, world):
    sign_in_admin(client)
    response = client.post("/staff/admin/customer-types/new", data={"name": "Students"})
    assert response.status_code == 302 and response.location == "/staff/admin/customer-types/new"
    page = client.get(response.location).get_data(as_text=True)
    assert "The form had expired. Please send it again." in page
    assert db.session.scalar(select(CustomerType).where(CustomerType.name == "Students")) is None


def test_the_pages_and_their_errors_are_in_danish(client, world):
    sign_in_admin(client)
    client.get("/language/da")
    refresh()  # the tests share one app context, where Flask-Babel keeps the locale it found
    response = send(client, "/staff/admin/customer-types/new", {"name": ""})
    html = response.get_data(as_text=True)
    assert "<h1>Tilføj kundetype</h1>" in html
    assert field_error(html, "name") == "Udfyld feltet."
