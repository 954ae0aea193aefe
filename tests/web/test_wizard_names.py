"""Step 1 in words a customer understands: names in their language, type first without JS."""

from __future__ import annotations

import pytest
from flask_babel import refresh
from sqlalchemy import select

from app.configuration import import_data
from app.configuration.document import ConfigurationError
from app.configuration.export import export_configuration
from app.extensions import db
from app.localized import canonical_tag, name_in
from app.models import CustomerType, Topic


def _name_everything(world) -> None:  # type: ignore[no-untyped-def]
    world.mortgage.localized_names = {"da-DK": "Boliglån", "en-GB": "Home loan"}
    world.branch.localized_names = {"da-DK": "København – Østerbro"}
    world.private.localized_names = {"da-DK": "Privatkunde", "en-GB": "Personal customer"}
    world.business.order, world.private.order = 1, 0
    db.session.commit()


def test_names_follow_the_page_language_and_fall_back_to_the_stored_name(client, world):
    _name_everything(world)
    args = {"customer_type": world.private.id, "location": world.branch.id}
    english = client.get("/book", query_string=args).get_data(as_text=True)
    assert "Home loan" in english and "Personal customer" in english
    assert "København – Østerbro" not in english and "Branch-North" in english
    refresh()  # the tests' shared app context keeps the first request's locale
    client.get("/language/da")
    danish = client.get("/book", query_string=args).get_data(as_text=True)
    assert "Boliglån" in danish and "Privatkunde" in danish and "København – Østerbro" in danish
    assert "Home loan" not in danish
    assert "Quick question" in danish  # no Danish name: the stored one


def test_customer_types_come_in_the_configured_order(client, world):
    world.private.order, world.business.order = 2, 1
    db.session.commit()
    html = client.get("/book").get_data(as_text=True)
    assert html.index(f'value="{world.business.id}"') < html.index(f'value="{world.private.id}"')


def test_without_javascript_the_customer_type_is_asked_alone_first(client, world):
    first = client.get("/book").get_data(as_text=True)
    assert 'name="customer_type"' in first
    assert 'name="topic"' not in first and 'name="meeting_type"' not in first
    assert 'value="type"' in first
    # sending the type alone shows what it allows, without scolding for the rest
    second = client.get("/book", query_string={"customer_type": world.business.id, "go": "type"})
    html = second.get_data(as_text=True)
    assert second.status_code == 200
    assert world.business_loan.id in html and world.mortgage.id not in html
    assert "field-error" not in html
    # sending nothing still asks for the type, and only for it
    empty = client.get("/book", query_string={"go": "type"}).get_data(as_text=True)
    assert "Choose the kind of customer you are." in empty
    assert "Choose what the meeting is about." not in empty


def test_the_branch_list_names_branches_and_shows_the_chosen_one_s_address(client, world):
    world.branch.address = "Østerbrogade 1, 2100 København Ø"
    db.session.commit()
    args = {"customer_type": world.private.id}
    html = client.get("/book", query_string=args).get_data(as_text=True)
    assert "Østerbrogade 1" not in html
    html = client.get("/book", query_string={**args, "location": world.branch.id}).get_data(
        as_text=True
    )
    assert 'id="location-address"' in html and "Østerbrogade 1" in html


def test_localized_names_travel_through_export_and_import(app, world):
    _name_everything(world)
    doc = export_configuration()
    topic = next(t for t in doc["topics"] if t["id"] == world.mortgage.id)
    assert topic["localized_names"] == {"da-DK": "Boliglån", "en-GB": "Home loan"}
    kind = next(c for c in doc["customer_types"] if c["id"] == world.business.id)
    assert kind["order"] == 1
    topic["localized_names"] = {"DA-dk": "Boliglån og boligkøb", "en_gb": "Home loan"}
    report = import_data(doc)
    assert report.counts["topics"]["updated"] == 1, report.lines()
    db.session.expire_all()
    stored = db.session.get(Topic, world.mortgage.id)
    assert stored is not None
    assert stored.localized_names == {"da-DK": "Boliglån og boligkøb", "en-GB": "Home loan"}


@pytest.mark.parametrize("names", [{"not a tag": "x"}, {"da-DK": "  "}, ["da-DK"]])
def test_a_bad_localized_name_is_refused_by_its_path(app, world, names):
    doc = export_configuration()
    doc["customer_types"][0]["localized_names"] = names
    with pytest.raises(ConfigurationError) as caught:
        import_data(doc)
    assert any("customer_types[0]" in str(p) for p in caught.value.problems)
    db.session.rollback()
    assert all(not c.localized_names for c in db.session.scalars(select(CustomerType)))


def test_tags_are_made_canonical_and_names_fall_back():
    assert canonical_tag("da_dk") == "da-DK" and canonical_tag("EN") == "en"
    assert name_in({"da-DK": "Pension"}, "Pension plan", "da") == "Pension"
    assert name_in({"da-DK": "Pension"}, "Pension plan", "en") == "Pension plan"
    assert name_in({"en": "Pension"}, "x", "en") == "Pension"
    assert name_in(None, "x", "da") == "x"
