"""V3 `lang` on topic reads: `localizedName` per the vendor's multilingual page; `name` unchanged."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories

LIST = "/bookme/meeting-topics"


@pytest.fixture
def topics(app):  # type: ignore[no-untyped-def]
    factories.settings()
    housing = factories.topic("Boligrådgivning", order=0)
    housing.localized_names = {"da-DK": "Boligrådgivning", "en-GB": "Housing advisory"}
    plain = factories.topic("Pension", order=1)
    db.session.commit()
    return housing, plain


def _names(client, read_headers, **query):  # type: ignore[no-untyped-def]
    resp = client.get(LIST, query_string={"isCustomer": "false", **query}, headers=read_headers)
    assert resp.status_code == 200, resp.json
    return [(t["name"], t["localizedName"]) for t in resp.json]


def test_without_lang_or_with_all_every_enabled_locale_comes_and_never_an_empty_map(
    client, read_headers, topics
):
    expected = [
        ("Boligrådgivning", {"da-DK": "Boligrådgivning", "en-GB": "Housing advisory"}),
        ("Pension", {"da-DK": "Pension"}),  # no names: the stored one, in the bank's language
    ]
    assert _names(client, read_headers) == expected
    assert _names(client, read_headers, lang="all") == expected


def test_one_lang_gives_one_entry_and_falls_back_to_the_organisations_language(
    client, read_headers, topics
):
    assert _names(client, read_headers, lang="en-GB") == [
        ("Boligrådgivning", {"en-GB": "Housing advisory"}),
        ("Pension", {"en-GB": "Pension"}),
    ]
    assert _names(client, read_headers, lang="fr-FR")[0] == (
        "Boligrådgivning",
        {"fr-FR": "Boligrådgivning"},
    )


def test_lang_on_one_topic_and_a_bad_lang_is_a_400(client, read_headers, topics):
    housing = topics[0]
    one = client.get(f"{LIST}/{housing.id}?lang=en-gb", headers=read_headers).json
    assert one["localizedName"] == {"en-GB": "Housing advisory"}
    for path in (f"{LIST}?isCustomer=false&lang=not a tag", f"{LIST}/{housing.id}?lang=x1"):
        resp = client.get(path, headers=read_headers)
        assert resp.status_code == 400 and resp.json["errors"][0]["field"] == "lang"


def test_an_english_speaking_organisation_falls_back_to_its_english_names(
    app, client, read_headers, topics
):
    app.config["BOOKME_MAIL_LOCALE"] = "en"
    assert _names(client, read_headers)[1] == ("Pension", {"en-GB": "Pension"})


def test_topics_are_written_with_localized_names_and_a_patch_merges_them(client, auth, topics):
    admin = auth("bookme.read", "bookme.admin")
    body = {"name": "Housing", "localizedName": {"da-dk": "Bolig", "en-GB": "Housing"}}
    made = client.post(LIST, json=body, headers=admin)
    assert made.status_code == 201, made.json
    assert made.json["name"] == "Bolig"  # the organisation's language wins, as the vendor's da-DK
    ops = [{"op": "replace", "path": "/localizedName", "value": {"en-GB": "Housing advice"}}]
    patched = client.patch(f"{LIST}/{made.json['id']}", json=ops, headers=admin)
    assert patched.status_code == 200, patched.json
    assert patched.json["localizedName"] == {"da-DK": "Bolig", "en-GB": "Housing advice"}
    for bad in ({"x y": "Bad"}, "Housing"):
        op = [{"op": "replace", "path": "/localizedName", "value": bad}]
        resp = client.patch(f"{LIST}/{made.json['id']}", json=op, headers=admin)
        assert resp.status_code == 400, bad
