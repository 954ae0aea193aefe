"""`PATCH /config/...` takes the vendor's JSON Patch list (`application/json-patch+json`) too."""

from __future__ import annotations

import json

import pytest

from app.extensions import db
from tests import factories

ADMIN = ("bookme.read", "bookme.admin")
JSON_PATCH = "application/json-patch+json"


@pytest.fixture
def private(app):  # type: ignore[no-untyped-def]
    factories.settings()
    row = factories.customer_type("Private")
    db.session.commit()
    return row


def _patch(client, url, ops, headers):  # type: ignore[no-untyped-def]
    return client.patch(url, data=json.dumps(ops), content_type=JSON_PATCH, headers=headers)


def test_a_customer_type_is_renamed_by_a_json_patch_list(client, auth, private):
    ops = [{"op": "replace", "path": "/name", "value": "Personal"}]
    resp = _patch(client, f"/config/customer-types/{private.id}", ops, auth(*ADMIN))
    assert resp.status_code == 200, resp.json
    assert resp.json["name"] == "Personal"
    again = client.get(f"/config/customer-types/{private.id}", headers=auth(*ADMIN))
    assert again.json["name"] == "Personal"


def test_settings_take_a_json_patch_with_remove_as_null(client, auth, private):
    headers = auth(*ADMIN)
    ops = [
        {"op": "replace", "path": "/maxDaysAhead", "value": 30},
        {"op": "add", "path": "/iCalMeetingTitle", "value": "Meeting with {{employee}}"},
    ]
    resp = _patch(client, "/config/settings", ops, headers)
    assert resp.status_code == 200, resp.json
    assert (resp.json["maxDaysAhead"], resp.json["meetingTitleTemplate"]) == (
        30,
        "Meeting with {{employee}}",
    )
    cleared = _patch(
        client, "/config/settings", [{"op": "remove", "path": "/meetingTitleTemplate"}], headers
    )
    assert cleared.status_code == 200 and cleared.json["meetingTitleTemplate"] is None


@pytest.mark.parametrize(
    "ops",
    [
        [],
        [{"op": "move", "path": "/name", "from": "/x"}],
        [{"op": "replace", "path": "name", "value": "x"}],
        [{"op": "replace", "path": "/name"}],
        [{"op": "replace", "path": "/unknownField", "value": 1}],
        ["replace"],
    ],
)
def test_a_bad_json_patch_is_a_400_and_changes_nothing(client, auth, private, ops):
    resp = _patch(client, f"/config/customer-types/{private.id}", ops, auth(*ADMIN))
    assert resp.status_code == 400
    assert (
        client.get(f"/config/customer-types/{private.id}", headers=auth(*ADMIN)).json["name"]
        == "Private"
    )


def test_the_document_lists_the_json_patch_media_type_on_config_patches(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    body = doc["paths"]["/config/customer-types/{ident}"]["patch"]["requestBody"]["content"]
    assert set(body) == {"application/json", JSON_PATCH}
    assert JSON_PATCH in doc["paths"]["/config/settings"]["patch"]["requestBody"]["content"]


@pytest.mark.parametrize("url", ["/config/settings", "/config/customer-types/{id}"])
def test_a_json_patch_body_that_is_no_list_is_a_400(client, auth, private, url):
    resp = _patch(client, url.format(id=private.id), {}, auth(*ADMIN))
    assert resp.status_code == 400, resp.json
