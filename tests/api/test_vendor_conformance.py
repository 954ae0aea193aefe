"""Our OpenAPI document is valid, and differs from the vendor's API only where the list says why."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.api.vendor_operations import OPERATIONS, VendorOperation, table

DOCS_API = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture
def doc(nodb_app):  # type: ignore[no-untyped-def]
    return nodb_app.test_client().get("/openapi.json").json


def _shape(path: str) -> str:
    """A path with its parameters unnamed: `/bookme/meetings/{}`."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def _ours(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), _shape(path)): op
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method != "servers"
    }


def _fields(doc: dict[str, Any], schema: dict[str, Any] | None) -> set[str]:
    """The property names of a schema, through `$ref`, arrays, `oneOf` and `anyOf`."""
    if not schema:
        return set()
    if "$ref" in schema:
        return _fields(doc, doc["components"]["schemas"][schema["$ref"].split("/")[-1]])
    if schema.get("type") == "array":
        return _fields(doc, schema.get("items"))
    found = set(schema.get("properties", {}))
    for option in schema.get("oneOf", []) + schema.get("anyOf", []):
        found |= _fields(doc, option)
    return found


def _documented(doc: dict[str, Any], op: dict[str, Any]) -> dict[str, set[str]]:
    bodies = op.get("requestBody", {}).get("content", {}).values()
    ok = sorted(code for code in op["responses"] if int(code) < 300)
    answer = next(iter(op["responses"][ok[0]].get("content", {}).values()), {}) if ok else {}
    return {
        "query": {p["name"] for p in op.get("parameters", []) if p["in"] == "query"},
        "body": set().union(*(_fields(doc, b.get("schema")) for b in bodies)),
        "answer": _fields(doc, answer.get("schema")),
    }


def _name(vendor: VendorOperation) -> str:
    return f"{vendor.method} {vendor.path}"


def test_our_document_is_a_valid_openapi_document(doc):
    validate(doc)


@pytest.mark.parametrize("vendor", OPERATIONS, ids=_name)
def test_each_vendor_operation_is_served_or_listed_as_missing_with_a_reason(doc, vendor):
    served = (vendor.method, _shape(vendor.path)) in _ours(doc)
    if vendor.status == "missing":
        assert vendor.why, "a missing operation says why"
        assert not served, f"{_name(vendor)} is served now: list it as same or different"
    else:
        assert served, f"{_name(vendor)} is not served: list it as missing, with the reason"


@pytest.mark.parametrize("vendor", [v for v in OPERATIONS if v.status != "missing"], ids=_name)
def test_each_vendor_field_is_documented_or_its_absence_explained(doc, vendor):
    ours = _documented(doc, _ours(doc)[(vendor.method, _shape(vendor.path))])
    absent = {
        name
        for part in ("query", "body", "answer")
        for name in getattr(vendor, part)
        if name not in ours[part]
    }
    assert absent <= set(vendor.gaps), f"undocumented differences: {absent - set(vendor.gaps)}"
    stale = {
        name
        for name in vendor.gaps
        if any(name in getattr(vendor, p) for p in ("query", "body", "answer"))
        and name not in absent
    }
    assert not stale, f"these are documented now: drop them from the gaps: {stale}"
    assert (vendor.status == "same") == (not vendor.gaps and not vendor.why), _name(vendor)


def test_the_conformance_table_in_docs_api_md_is_current():
    assert table() in DOCS_API.read_text(encoding="utf-8"), (
        "regenerate it: python -m tests.api.vendor_operations"
    )


def test_the_optional_bodies_headers_and_patch_lists_are_documented(doc):
    paths = doc["paths"]
    patch = paths["/bookme/meetings/{meeting_id}"]["patch"]["requestBody"]
    assert _fields(doc, patch["content"]["application/json"]["schema"]) >= {"op", "path", "value"}
    assert paths["/bookme/meetings/{meeting_id}"]["delete"]["requestBody"]["required"] is False
    assert paths["/bookme/meetings/{meeting_id}/ical"]["post"]["requestBody"]["required"] is False
    release = paths["/bookme/time-slots/{reservation_id}"]["delete"]["parameters"]
    assert {"name": "reservationToken", "required": True}.items() <= {
        k: v for p in release if p["name"] == "reservationToken" for k, v in p.items()
    }.items()
    create = paths["/bookme/meetings"]["post"]
    assert [p["name"] for p in create["parameters"] if p["in"] == "header"] == ["Idempotency-Key"]
    assert create["responses"]["422"]["description"] != "Error"
    token_429 = paths["/oauth/token"]["post"]["responses"]["429"]["content"]["application/json"]
    assert token_429["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_vendor_base_paths_are_listed_as_servers_of_the_vendor_operations(doc):
    servers = [s["url"] for s in doc["paths"]["/bookme/meetings"]["servers"]]
    assert servers == ["/", "/api/v1", "/api/v2", "/api/v3"]
    assert "servers" not in doc["paths"]["/oauth/token"]
    assert not any(path.startswith("/api/v") for path in doc["paths"])
