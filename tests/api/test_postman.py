"""The shipped Postman collection is generated from the OpenAPI document and is current."""

from __future__ import annotations

import json

from app.api.postman import OUTPUT, build_collection, current_text


def test_the_committed_collection_is_current():
    with open(OUTPUT, encoding="utf-8") as fh:
        committed = fh.read()
    assert committed == current_text(), (
        "docs/postman_collection.json is stale: run `.venv/bin/python -m app.api.postman`"
    )


def test_the_collection_uses_oauth2_client_credentials_and_lists_every_operation(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    collection = build_collection(doc)
    auth = {e["key"]: e["value"] for e in collection["auth"]["oauth2"]}
    assert auth["grant_type"] == "client_credentials"
    assert auth["accessTokenUrl"] == "{{baseUrl}}/oauth/token"
    requests = [i["request"] for folder in collection["item"] for i in folder["item"]]
    operations = sum(len(set(m) - {"servers"}) for m in doc["paths"].values())
    assert len(requests) == operations  # the token request is written by hand
    assert collection["item"][0]["name"] == "Authentication"


def test_the_availability_request_carries_the_seed_example_and_optional_extras(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    collection = json.loads(json.dumps(build_collection(doc)))
    (folder,) = [f for f in collection["item"] if f["name"] == "Availability"]
    url = folder["item"][0]["request"]["url"]
    assert url["raw"] == (
        "{{baseUrl}}/bookme/time-slots/available?requireEmployeeParticipation=true"
    )
    query = {q["key"]: q for q in url["query"]}
    assert query["lookForwardTime"]["value"] == "7.00:00:00"
    assert query["lookForwardTime"]["disabled"] is True
