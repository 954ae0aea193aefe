"""A Postman collection (v2.1) generated from the OpenAPI document, since the seed points API users at
one. Regenerate after changing any route or schema:

    .venv/bin/python -m app.api.postman            # writes docs/postman_collection.json

`tests/api/test_postman.py` fails while the committed file is out of date.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from typing import Any

from app import ROOT

OUTPUT = os.path.join(ROOT, "docs", "postman_collection.json")
SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
NAMESPACE = uuid.UUID("6f1c2b7e-4d4b-4c8e-9a59-0b6f3c1d2e10")
EXAMPLES = {
    "requireEmployeeParticipation": "true",
    "lookForwardTime": "7.00:00:00",
    "meetingDuration": "00:45:00",
    "startDate": "2025-10-09T08:00:00Z",
    "meetingTypes": "physical",
    "customerLocation": "Copenhagen",
    "meetingLocation": "Branch-North",
    "isCustomer": "true",
    "employeeTypes": "Local",
}


def _example(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for a JSON schema (first example, first enum value, or a typed blank)."""
    if depth > 6:
        return None
    if "$ref" in schema:
        return _example(components[schema["$ref"].split("/")[-1]], components, depth + 1)
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"] or [{}]
        return _example(options[0], components, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _example(v, components, depth + 1) for k, v in props.items()}
    if kind == "array":
        return [_example(schema.get("items", {}), components, depth + 1)]
    if schema.get("format") == "date-time":
        return "2025-10-10T08:00:00.000Z"
    return {"integer": 0, "number": 0, "boolean": False, "string": ""}.get(str(kind))


def _param_value(param: dict[str, Any], components: dict[str, Any]) -> str:
    """A sample value for a query parameter: the seed's example where it has one."""
    if param["name"] in EXAMPLES:
        return EXAMPLES[param["name"]]
    example = _example(param.get("schema", {}), components)
    if isinstance(example, list):
        example = example[0] if example else None
    if isinstance(example, bool):
        return str(example).lower()
    return "" if example is None else str(example)


def _query(params: list[dict[str, Any]], components: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for p in params:
        if p["in"] != "query":
            continue
        entry: dict[str, Any] = {"key": p["name"], "value": _param_value(p, components)}
        entry["description"] = p.get("description", "")
        if not p.get("required"):
            entry["disabled"] = True
        out.append(entry)
    return out


def _request(path: str, method: str, op: dict[str, Any], components: dict[str, Any]) -> dict:
    params = op.get("parameters", [])
    segments = [s if not s.startswith("{") else ":" + s[1:-1] for s in path.strip("/").split("/")]
    query = _query(params, components)
    raw = "{{baseUrl}}/" + "/".join(segments)
    if any(not q.get("disabled") for q in query):
        raw += "?" + "&".join(f"{q['key']}={q['value']}" for q in query if not q.get("disabled"))
    request: dict[str, Any] = {
        "method": method.upper(),
        "header": [{"key": "Accept", "value": "application/json"}],
        "url": {
            "raw": raw,
            "host": ["{{baseUrl}}"],
            "path": segments,
            "query": query,
            "variable": [
                {"key": p["name"], "value": "", "description": p.get("description", "")}
                for p in params
                if p["in"] == "path"
            ],
        },
        "description": op.get("description", op.get("summary", "")),
    }
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        request["header"].append({"key": "Content-Type", "value": "application/json"})
        example = _example(body["schema"], components)
        request["body"] = {"mode": "raw", "raw": json.dumps(example, indent=2)}
    if not op.get("security"):
        request["auth"] = {"type": "noauth"}
    return request


def _token_item() -> dict[str, Any]:
    return {
        "name": "Get an access token (client credentials)",
        "request": {
            "method": "POST",
            "auth": {"type": "noauth"},
            "header": [],
            "body": {
                "mode": "urlencoded",
                "urlencoded": [
                    {"key": "grant_type", "value": "client_credentials"},
                    {"key": "client_id", "value": "{{clientId}}"},
                    {"key": "client_secret", "value": "{{clientSecret}}"},
                    {"key": "scope", "value": "{{scope}}"},
                ],
            },
            "url": {
                "raw": "{{baseUrl}}/oauth/token",
                "host": ["{{baseUrl}}"],
                "path": ["oauth", "token"],
            },
        },
    }


def _auth() -> dict[str, Any]:
    settings = {
        "grant_type": "client_credentials",
        "accessTokenUrl": "{{baseUrl}}/oauth/token",
        "clientId": "{{clientId}}",
        "clientSecret": "{{clientSecret}}",
        "scope": "{{scope}}",
        "client_authentication": "header",
        "addTokenTo": "header",
        "tokenName": "bookme",
    }
    return {
        "type": "oauth2",
        "oauth2": [{"key": k, "value": v, "type": "string"} for k, v in settings.items()],
    }


def build_collection(doc: dict[str, Any]) -> dict[str, Any]:
    """The Postman collection for an OpenAPI document: one folder per tag, OAuth2 on the collection."""
    from app.api.openapi import HTTP_METHODS, tag_rank

    components = doc.get("components", {}).get("schemas", {})
    folders: dict[str, list[dict[str, Any]]] = {"Authentication": [_token_item()]}
    for path, methods in doc["paths"].items():
        if path == "/oauth/token":  # the hand-made token request above fills in the variables
            continue
        for method, op in methods.items():
            if method not in HTTP_METHODS:  # the path's `servers`
                continue
            tag = (op.get("tags") or ["Other"])[0]
            item = {"name": op.get("summary", f"{method.upper()} {path}")}
            item["request"] = _request(path, method, op, components)
            folders.setdefault(tag, []).append(item)
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(NAMESPACE, doc["info"]["title"])),
            "name": doc["info"]["title"],
            "description": doc["info"].get("description", ""),
            "schema": SCHEMA_URL,
        },
        "auth": _auth(),
        "variable": [
            {"key": "baseUrl", "value": "http://127.0.0.1:5000"},
            {"key": "clientId", "value": ""},
            {"key": "clientSecret", "value": ""},
            {"key": "scope", "value": "bookme.read bookme.book"},
        ],
        "item": [{"name": name, "item": folders[name]} for name in sorted(folders, key=tag_rank)],
    }


def render(collection: dict[str, Any]) -> str:
    """The file's exact text (stable, so the currency test can compare strings)."""
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def current_text() -> str:
    """The collection for the API as the code defines it now."""
    from app import create_app
    from app.api.openapi import build_document

    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "postman"}
    )
    with app.app_context():
        return render(build_collection(build_document(app)))


def main() -> int:
    """Write docs/postman_collection.json."""
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as fh:
        fh.write(current_text())
    print(f"wrote {os.path.relpath(OUTPUT, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
