"""Competence groups (a tree) and service groups: create, edit, delete, refused input (both databases)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import CompetenceGroup, ServiceGroup
from tests import factories
from tests.web.admin_helpers import field_error, send, sign_in_admin


def _group(name: str) -> CompetenceGroup | None:
    return db.session.scalar(select(CompetenceGroup).where(CompetenceGroup.name == name))


def test_an_admin_builds_a_competence_group_tree(client, world):
    sign_in_admin(client)
    form = {"name": "Lending", "members": [world.anna.id], "topics": [world.mortgage.id]}
    assert send(client, "/staff/admin/competence-groups/new", form).status_code == 302
    lending = _group("Lending")
    child = {"name": "Home loans", "parent": lending.id, "customer_types": [world.private.id]}
    assert send(client, "/staff/admin/competence-groups/new", child).status_code == 302
    home = _group("Home loans")
    assert home.parent_id == lending.id
    assert [m.id for m in lending.members] == [world.anna.id]
    listing = client.get("/staff/admin/competence-groups").get_data(as_text=True)
    assert listing.index(">Lending</th>") < listing.index(
        'class="depth-1" data-label="Name">Home loans'
    )

    url = f"/staff/admin/competence-groups/{lending.id}"
    assert send(client, url, {"name": "Loans", "members": [world.bo.id]}).status_code == 302
    db.session.expire_all()
    assert [m.id for m in db.session.get(CompetenceGroup, lending.id).members] == [world.bo.id]


def test_a_group_under_its_own_child_or_too_deep_is_refused(client, world):
    top = factories.competence_group("L1")
    chain = [top]
    for level in range(2, 6):
        chain.append(factories.competence_group(f"L{level}", chain[-1]))
    db.session.commit()
    sign_in_admin(client)
    cycle = send(
        client, f"/staff/admin/competence-groups/{top.id}", {"name": "L1", "parent": chain[2].id}
    )
    assert cycle.status_code == 400
    assert (
        field_error(cycle.get_data(as_text=True), "parent") == "A group cannot be its own parent."
    )
    deep = send(
        client, "/staff/admin/competence-groups/new", {"name": "L6", "parent": chain[-1].id}
    )
    assert deep.status_code == 400
    assert (
        field_error(deep.get_data(as_text=True), "parent") == "The tree may have at most 5 levels."
    )
    db.session.expire_all()
    assert db.session.get(CompetenceGroup, top.id).parent_id is None and _group("L6") is None


def test_a_competence_group_is_deleted(client, world):
    group = factories.competence_group("Old")
    db.session.commit()
    sign_in_admin(client)
    url = f"/staff/admin/competence-groups/{group.id}"
    assert send(client, url, {}, f"{url}/delete").status_code == 302
    assert _group("Old") is None


def test_an_admin_creates_edits_and_deletes_a_service_group(client, world):
    sign_in_admin(client)
    form = {
        "name": "Aarhus team",
        "label": "Our Aarhus advisors",
        "employees": [world.bo.id],
        "topics": [world.business_loan.id],
        "meeting_types": ["Physical"],
        "customer_locations": ["Aarhus"],
        "locations": [world.other_branch.id],
        "max_meeting_minutes_per_day": "240",
    }
    assert send(client, "/staff/admin/service-groups/new", form).status_code == 302
    group = db.session.scalar(select(ServiceGroup).where(ServiceGroup.name == "Aarhus team"))
    assert group.customer_locations == ["Aarhus"] and group.max_meeting_minutes_per_day == 240
    assert [e.id for e in group.employees] == [world.bo.id]
    url = f"/staff/admin/service-groups/{group.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="customer_locations" value="Aarhus" checked' in page
    assert (
        send(
            client, url, {**form, "meeting_types": [], "max_meeting_minutes_per_day": ""}
        ).status_code
        == 302
    )
    db.session.expire_all()
    group = db.session.get(ServiceGroup, group.id)
    assert (group.meeting_types, group.max_meeting_minutes_per_day) == ([], None)
    assert send(client, url, {}, f"{url}/delete").status_code == 302
    assert db.session.get(ServiceGroup, group.id) is None


def test_a_service_group_with_an_unknown_area_or_advisor_is_refused(client, world):
    sign_in_admin(client)
    form = {"name": "Nowhere", "customer_locations": ["Atlantis"], "employees": ["ghost"]}
    response = send(client, "/staff/admin/service-groups/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "customer_locations") == "Atlantis no longer exists."
    assert field_error(html, "employees") == "ghost no longer exists."
    assert db.session.scalar(select(ServiceGroup).where(ServiceGroup.name == "Nowhere")) is None


def test_deleting_the_only_topic_kind_or_branch_a_service_group_is_limited_to_is_refused(
    client, world
):
    """An empty rule matches everything: the group would silently serve every request."""
    kind = factories.customer_type("Wealth")
    topic = factories.topic("Private banking")
    branch = factories.location("Branch-Vault", ["Vault"])
    narrow = factories.service_group(
        "Private", topics=[topic], customer_types=[kind], locations=[branch]
    )
    db.session.commit()
    sign_in_admin(client)
    for page, row in (("customer-types", kind), ("topics", topic), ("locations", branch)):
        url = f"/staff/admin/{page}/{row.id}"
        answer = send(client, url, {}, f"{url}/delete")
        assert answer.status_code == 302
        shown = client.get(f"/staff/admin/{page}").get_data(as_text=True)
        assert "Private" in shown and "service group" in shown, page
    db.session.expire_all()
    assert narrow.topics == [topic] and narrow.customer_types == [kind]
    assert narrow.locations == [branch]
