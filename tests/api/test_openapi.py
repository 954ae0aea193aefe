"""The OpenAPI document and the reference page describe the API the app really serves."""

from __future__ import annotations

import re

import schemathesis

SEED_PARAMETERS = {
    "requireEmployeeParticipation",
    "explicitEmployeeIds",
    "employeeTypes",
    "startDate",
    "lookForwardTime",
    "topic",
    "customerTypeId",
    "meetingTypes",
    "customerLocation",
    "meetingLocation",
    "requireRoom",
    "specificRooms",
}
EXTRA_PARAMETERS = {
    "ignoreMeetingIds",
    "meetingDuration",
    "isCustomerInitiated",
    "ignoreMinimumTimeBeforeBooking",
    "getBestTimeSlots",
}


def test_the_document_is_openapi_3_1_and_loads_in_a_validating_tool(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    assert doc["openapi"] == "3.1.0"
    schema = schemathesis.openapi.from_dict(doc)
    assert len(list(schema.get_all_operations())) >= 10


def test_every_api_route_is_documented(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops if m != "servers"}
    for rule in nodb_app.url_map.iter_rules():
        if rule.rule.startswith(("/bookme", "/config")):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                assert (method, path) in documented


def test_availability_documents_every_parameter_and_requires_only_participation(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    op = doc["paths"]["/bookme/time-slots/available"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) >= SEED_PARAMETERS | EXTRA_PARAMETERS
    assert [n for n, p in params.items() if p["required"]] == ["requireEmployeeParticipation"]
    assert params["explicitEmployeeIds"]["schema"]["type"] == "array"
    assert op["security"][0] == {"oauth2": ["bookme.read"]}
    answer = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"type": "array", "items": {"$ref": "#/components/schemas/TimeSlotOut"}}


def test_answer_schemas_use_the_wire_names(nodb_app):
    schemas = nodb_app.test_client().get("/openapi.json").json["components"]["schemas"]
    assert set(schemas["TimeSlotOut"]["properties"]) == {
        "startDate",
        "endDate",
        "meetingType",
        "employeeId",
        "employeeIds",
        "roomId",
        "meetingTopicId",
    }
    assert "displayName" in schemas["EmployeeOut"]["properties"]
    assert set(schemas["Error"]["properties"]) >= {"code", "message", "errors"}


def test_errors_are_documented_with_the_error_schema(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    responses = doc["paths"]["/config/employees/{ident}"]["get"]["responses"]
    for code in ("400", "401", "403", "404", "500"):
        ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Error"


def test_the_reference_page_lists_every_operation_without_outside_assets(client):
    resp = client.get("/api/docs")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    doc = client.get("/openapi.json").json
    for path in doc["paths"]:
        assert path in html
    assert "requireEmployeeParticipation" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html


def test_descriptions_render_code_and_lists_and_escape_everything_else():
    from app.api.openapi import api_text

    assert api_text("use `a=1` <b>") == "use <code>a=1</code> &lt;b&gt;"
    html = api_text("Intro.\n\n- one\n  more\n- two")
    assert html == "<p>Intro.</p><ul><li>one more</li><li>two</li></ul>"


def _refs(node):  # type: ignore[no-untyped-def]
    """Every `$ref` anywhere in a JSON document."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(doc, ref):  # type: ignore[no-untyped-def]
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        assert isinstance(node, dict) and part in node, f"{ref} points at nothing"
        node = node[part]
    return node


def _operations(doc):  # type: ignore[no-untyped-def]
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            if method != "servers":
                yield f"{method.upper()} {path}", op


def test_every_reference_in_the_document_resolves(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    refs = set(_refs(doc))
    assert "#/components/schemas/Error" in refs
    for ref in refs:
        _resolve(doc, ref)


def test_every_error_answer_is_documented_with_a_json_error_body(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    for name, op in _operations(doc):
        errors = {int(c): r for c, r in op["responses"].items() if int(c) >= 400}
        assert {400, 500} <= set(errors), name
        for code, answer in errors.items():
            schema = answer["content"]["application/json"]["schema"]
            schema = _resolve(doc, schema["$ref"]) if "$ref" in schema else schema
            assert {"code", "message"} <= set(schema["properties"]), (name, code)


def test_each_operation_documents_the_errors_it_can_answer(nodb_app):
    doc = nodb_app.test_client().get("/openapi.json").json
    for name, op in _operations(doc):
        codes = set(op["responses"])
        if op["security"]:  # bearer token, database, ids
            assert {"401", "403", "404", "503"} <= codes, name
        if "requestBody" in op:
            assert "413" in codes, name
    token = doc["paths"]["/oauth/token"]["post"]["responses"]
    assert {"400", "401", "413", "429", "503"} <= set(token)
    assert "Retry-After" in token["503"]["headers"]
    assert "422" in doc["paths"]["/bookme/meetings"]["post"]["responses"]
    assert "409" in doc["paths"]["/bookme/time-slots/reserve"]["post"]["responses"]
    assert "503" not in doc["paths"]["/.well-known/jwks.json"]["get"]["responses"]


def test_the_error_body_lists_every_code_the_api_answers(nodb_app):
    from app.api.errors import CODES

    spec = nodb_app.test_client().get("/openapi.json").json
    codes = spec["components"]["schemas"]["Error"]["properties"]["code"]["enum"]
    assert set(CODES.values()) <= set(codes)
