"""The OpenAPI 3.1 document (`/openapi.json`) and the reference page (`/api/docs`), built from the
same pydantic schemas that validate requests and shape answers.

Register a route by decorating its view (order with `@require_scope` does not matter):

    @bp.post("/bookme/meetings")
    @require_scope("bookme.book")
    @document("Create a meeting", tags=["Meetings"], body=MeetingIn,
              responses={201: Answer("The meeting", MeetingOut, headers={"Location": "its URL"})})
    def create_meeting(): ...

`responses` values are a pydantic model, `list[Model]`, a raw JSON schema dict, `None` (no body) or an
`Answer(description, schema, media_type=..., headers=...)`. Query parameters come from a pydantic
model (`query=AvailabilityQuery`), path parameters from the URL rule. Errors are added with the error
schema: 400 and 500 everywhere, 401/403/404/503 on protected routes, 404 with path parameters, 413
with a body; pass `errors=(409,)` for more (409, 422, 429, 503 ... have standard descriptions).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app, render_template
from markupsafe import Markup, escape
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.api import VENDOR_BASE_PATHS, VENDOR_ROUTED_PREFIXES, bp
from app.api.clients import SCOPES
from app.api.errors import json_response
from app.api.schemas import ErrorOut
from app.api.schemas_vendor import JSON_PATCH, JSON_PATCH_SCHEMA

F = TypeVar("F", bound=Callable[..., Any])
REF = "#/components/schemas/{model}"
ERROR_SCHEMA = "Error"  # the component name of `ErrorOut`, the one error body
STANDARD = {
    400: "Malformed input; `errors` names each field",
    401: "Missing, malformed, expired or badly signed token",
    403: "The token lacks the scope, or the object belongs to another client",
    404: "Unknown id (the message names which)",
    409: "Conflict with the calendar's state",
    413: "The request body is too large",
    422: "The request is well formed but cannot be processed as sent",
    429: "Too many requests; try again later",
    500: "Server error; the body carries only a request id",
    503: "The database is unreachable; try again after `Retry-After` seconds",
}
HTTP_METHODS = (
    "get",
    "put",
    "post",
    "delete",
    "patch",
)  # the keys of a path item that are operations
STANDARD_HEADERS = {503: {"Retry-After": "seconds to wait before trying again"}}


@dataclass(frozen=True)
class Answer:
    """One documented response."""

    description: str
    schema: Any = None
    media_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """What `document` records on a view."""

    summary: str
    tags: tuple[str, ...]
    responses: dict[int, Answer]
    query: type[BaseModel] | None = None
    body: Any = None
    description: str = ""
    errors: tuple[int, ...] = ()
    body_media_type: str = "application/json"
    body_required: bool = True
    headers: tuple[tuple[str, str], ...] = ()
    models: tuple[type[BaseModel], ...] = ()
    json_patch: bool = False


def document(
    summary: str,
    *,
    tags: list[str],
    responses: dict[int, Any],
    query: type[BaseModel] | None = None,
    body: Any = None,
    description: str = "",
    errors: tuple[int, ...] = (),
    body_media_type: str = "application/json",
    body_required: bool = True,
    headers: dict[str, str] | None = None,
    models: tuple[type[BaseModel], ...] = (),
    json_patch: bool = False,
) -> Callable[[F], F]:
    """Attach an OpenAPI operation to a view; `errors` adds documented error codes (409, ...).

    `body` is a pydantic model (validated JSON), `list[Model]`, or a raw schema dict (for another
    `body_media_type`, or a `oneOf`; name the models its `$ref`s point at in `models`).
    `body_required=False` documents a body that may be left out; `headers` the optional request
    headers the view reads (name: description).
    """
    answers = {
        code: value if isinstance(value, Answer) else Answer("OK" if code < 300 else "", value)
        for code, value in responses.items()
    }

    def decorator(view: F) -> F:
        view.__openapi__ = Operation(  # type: ignore[attr-defined]
            summary,
            tuple(tags),
            answers,
            query,
            body,
            description,
            tuple(errors),
            body_media_type,
            body_required,
            tuple((headers or {}).items()),
            tuple(models),
            json_patch,
        )
        return view

    return decorator


def _models_in(schema: Any) -> list[type[BaseModel]]:
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return [schema]
    if typing.get_origin(schema) is list:
        return _models_in(typing.get_args(schema)[0])
    return []


def _component_name(model: type[BaseModel]) -> str:
    """The name a model has under `components/schemas`."""
    return ERROR_SCHEMA if model is ErrorOut else model.__name__


def _schema_ref(schema: Any) -> dict[str, Any] | None:
    if schema is None:
        return None
    if isinstance(schema, dict):
        return schema
    if typing.get_origin(schema) is list:
        return {"type": "array", "items": _schema_ref(typing.get_args(schema)[0])}
    return {"$ref": REF.format(model=_component_name(schema))}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(mode="validation", by_alias=True, ref_template=REF)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        prop.pop("default", None)
        if "anyOf" in prop:  # Optional[X]: a query parameter is simply left out
            options = [o for o in prop.pop("anyOf") if o.get("type") != "null"]
            prop = {**options[0], **prop} if len(options) == 1 else {"anyOf": options, **prop}
            description = description or prop.pop("description", "")
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        param["schema"] = prop
        if description:
            param["description"] = description
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        params.append(param)
    return params


def _answer(answer: Answer) -> dict[str, Any]:
    """One response object: description, body schema, headers."""
    entry: dict[str, Any] = {"description": answer.description or "OK"}
    ref = _schema_ref(answer.schema)
    if ref is not None:
        entry["content"] = {answer.media_type: {"schema": ref}}
    if answer.headers:
        entry["headers"] = {
            k: {"description": v, "schema": {"type": "string"}} for k, v in answer.headers.items()
        }
    return entry


def _error_codes(op: Operation, scoped: bool, has_path_params: bool) -> set[int]:
    """The errors an operation can answer beyond the ones it lists itself."""
    codes = {400, 500, *op.errors}
    if scoped:  # a token to check, ids that may be unknown, and the database behind them
        codes |= {401, 403, 404, 503}
    if has_path_params:
        codes.add(404)
    if op.body is not None:
        codes.add(413)
    return codes


def _responses(op: Operation, scoped: bool, has_path_params: bool) -> dict[str, Any]:
    out = {str(code): _answer(answer) for code, answer in sorted(op.responses.items())}
    for code in sorted(_error_codes(op, scoped, has_path_params)):
        error = Answer(
            STANDARD.get(code, "Error"), ErrorOut, headers=STANDARD_HEADERS.get(code, {})
        )
        out.setdefault(str(code), _answer(error))
    return out


def _operation(op: Operation, rule: Any, scopes: tuple[str, ...]) -> dict[str, Any]:
    params = [
        {"name": arg, "in": "path", "required": True, "schema": {"type": "string"}}
        for arg in sorted(rule.arguments)
    ]
    if op.query is not None:
        params.extend(_query_parameters(op.query))
    params.extend(
        {"name": name, "in": "header", "required": False, "description": text}
        | {"schema": {"type": "string"}}
        for name, text in op.headers
    )
    entry: dict[str, Any] = {
        "summary": op.summary,
        "operationId": rule.endpoint.removeprefix("api."),
        "tags": list(op.tags),
        "responses": _responses(op, bool(scopes), bool(rule.arguments)),
    }
    if op.description:
        entry["description"] = op.description
    if params:
        entry["parameters"] = params
    if op.body is not None:
        entry["requestBody"] = {
            "required": op.body_required,
            "content": {op.body_media_type: {"schema": _schema_ref(op.body)}},
        }
        if op.json_patch:
            entry["requestBody"]["content"][JSON_PATCH] = {"schema": JSON_PATCH_SCHEMA}
    entry["security"] = [{"oauth2": list(scopes)}, {"bearer": []}] if scopes else []
    return entry


def _components(models: set[type[BaseModel]], bodies: set[type[BaseModel]]) -> dict[str, Any]:
    """Answers in serialisation mode, request bodies in validation mode."""
    pairs: list[tuple[type[BaseModel], str]] = [
        (m, "serialization") for m in sorted(models, key=lambda m: m.__name__)
    ]
    pairs += [(m, "validation") for m in sorted(bodies - models, key=lambda m: m.__name__)]
    _, defs = models_json_schema(pairs, ref_template=REF, by_alias=True)  # type: ignore[arg-type]
    schemas = dict(defs.get("$defs", {}))
    schemas[ERROR_SCHEMA] = schemas.pop("ErrorOut", ErrorOut.model_json_schema(ref_template=REF))
    for name in list(schemas):  # pydantic's -Input/-Output split is not needed here
        if name.endswith("-Output"):
            schemas[name.removesuffix("-Output")] = schemas.pop(name)
    return schemas


def _path(rule: Any) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every documented API route of `app`."""
    paths: dict[str, dict[str, Any]] = {}
    models: set[type[BaseModel]] = {ErrorOut}
    bodies: set[type[BaseModel]] = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith(VENDOR_BASE_PATHS):  # the same operations: see the paths' servers
            continue
        view = app.view_functions.get(rule.endpoint)
        op: Operation | None = getattr(view, "__openapi__", None)
        if op is None:
            continue
        scopes = tuple(getattr(view, "required_scopes", ()))
        for answer in op.responses.values():
            models.update(_models_in(answer.schema))
        bodies.update(_models_in(op.body), op.models)
        item = paths.setdefault(_path(rule), _path_item(rule.rule))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            item[method.lower()] = _operation(op, rule, scopes)
    return {
        "openapi": "3.1.0",
        "info": _info(),
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": _components(models, bodies), "securitySchemes": _security()},
    }


def _path_item(rule: str) -> dict[str, Any]:
    """A path's entry; the vendor's operations are served under its base paths as well."""
    if not rule.startswith(VENDOR_ROUTED_PREFIXES):
        return {}
    return {"servers": [{"url": "/"}, *({"url": base} for base in VENDOR_BASE_PATHS)]}


def _info() -> dict[str, Any]:
    return {
        "title": "BookMe public API",
        "version": "1.0.0",
        "description": "Book meetings with a bank's advisors: configuration, available time slots, "
        "reservations, meetings and calendar files. Every call needs an OAuth2 bearer token from "
        "`POST /oauth/token` (client credentials). See docs/api.md.",
    }


def _security() -> dict[str, Any]:
    scopes = {
        "bookme.read": "read configuration, topics, availability and meetings",
        "bookme.book": "reserve slots, create, change and cancel meetings, calendar files",
        "bookme.admin": "write configuration; see every client's meetings",
        "bookme.cpr": "read the CPR number of the meetings the client may read",
    }
    assert set(scopes) == set(SCOPES)
    return {
        "oauth2": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": scopes}},
        },
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    }


def openapi_document() -> dict[str, Any]:
    """This app's document, built once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    doc = app.extensions.get("bookme_openapi")
    if doc is None:
        doc = app.extensions["bookme_openapi"] = build_document(app)
    return doc


@bp.get("/openapi.json")
def openapi_json():  # type: ignore[no-untyped-def]
    """The OpenAPI 3.1 document."""
    return json_response(openapi_document(), headers={"Access-Control-Allow-Origin": "*"})


@bp.get("/api/docs")
def reference_page():  # type: ignore[no-untyped-def]
    """A browsable reference rendered on the server from the OpenAPI document."""
    doc = openapi_document()
    return render_template("api/reference.html", doc=doc, operations=_operations(doc))


@bp.app_template_filter("api_text")
def api_text(text: str | None) -> Markup:
    """The little Markdown the descriptions use: paragraphs, `- ` lists and `code`."""
    blocks = []
    for block in (text or "").strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and lines[0].startswith("- "):
            items = _list_items(lines)
            blocks.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        elif lines:
            blocks.append(f"<p>{_inline(' '.join(lines))}</p>")
    if len(blocks) == 1 and blocks[0].startswith("<p>"):  # a table cell needs no paragraph
        return Markup(blocks[0][3:-4])
    return Markup("".join(blocks))


def _list_items(lines: list[str]) -> list[str]:
    """`- ` items, each continued by the lines that follow it."""
    items: list[str] = []
    for line in lines:
        if line.startswith("- ") or not items:
            items.append(line.removeprefix("- "))
        else:
            items[-1] += " " + line
    return items


def _inline(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text)))


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations grouped for the page: tag, method, path and the operation itself."""
    ops = [
        {"tag": (op.get("tags") or ["Other"])[0], "method": method.upper(), "path": path, "op": op}
        for path, methods in doc["paths"].items()
        for method, op in methods.items()
        if method in HTTP_METHODS
    ]
    return sorted(ops, key=lambda o: (tag_rank(o["tag"]), o["path"]))


TAG_ORDER = (
    "Authentication",
    "Configuration",
    "Configuration (V3)",
    "Availability",
    "Reserving",
    "Meetings",
)


def tag_rank(tag: str) -> int:
    """Where a tag goes in the reference and the Postman collection: the booking flow's order."""
    return TAG_ORDER.index(tag) if tag in TAG_ORDER else len(TAG_ORDER)
