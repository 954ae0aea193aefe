"""List-and-form pages for one kind of configuration item, over `app.configuration.items`.

An `Entity` names its fields (the configuration file's keys), how a stored row fills the form, the
list's columns and, optionally, which booked meetings a change would leave outside the rules.
`register` adds four admin routes: the list (`admin.<name>`), new, edit and delete. Validation is the
import's (pydantic schema and cross-checks); its problems come back next to the fields named.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from app import clock
from app.admin import bp
from app.admin.messages import translate
from app.booking.errors import Conflict
from app.configuration.affected import AffectedMeeting
from app.configuration.document import ConfigurationError, Problem
from app.configuration.items import check_item, delete_item, save_item
from app.db_types import new_id
from app.extensions import db
from app.staff.auth import staff_required

Choices = Callable[[], list[tuple[str, str]]]
_INT = re.compile(r"^-?\d{1,9}$")


@dataclass(frozen=True)
class Field:
    """One form field, named by its key in the configuration file.

    kinds: text, textarea, number, time, date, checkbox, select (one or none), checks (many),
    lines (a list typed one per line or comma-separated).
    """

    name: str
    label: Any
    kind: str = "text"
    choices: Choices | None = None
    hint: Any = None
    required: bool = False
    default: Any = None  # a new item's value
    nullable: bool = False  # whether an empty text is sent as "not set" (None)
    heading: Any = None  # a heading the form shows before this field (it starts a part)


@dataclass(frozen=True)
class Column:
    """One column of the list: a heading and the text a row shows in it."""

    label: Any
    text: Callable[[Any], str]


@dataclass(frozen=True)
class Entity:
    """One kind of configuration item and its pages."""

    name: str  # the endpoint of the list, e.g. "topics" for admin.topics; also the URL path
    section: str  # the configuration file's section
    model: Any
    title: Any  # the list's heading
    singular: Any  # "topic": for "New topic", "Edit topic"
    about: Any  # one line under the heading
    fields: Sequence[Field]
    values: Callable[[Any], dict[str, Any]]  # a stored row as form values
    columns: Sequence[Column]
    rows: Callable[[], list[tuple[Any, int]]]  # (row, depth in its tree) in list order
    label: Callable[[Any], str] = lambda row: str(row.name)
    affected: Callable[[Any | None, dict[str, Any]], list[AffectedMeeting]] | None = None
    fixed_on_edit: tuple[str, ...] = ()  # keys a row keeps (shown, not editable)
    refuse: Callable[[Any | None, dict[str, Any]], list[Problem]] | None = None
    by_id: bool = True  # whether items are known by id (else the import finds them by their key)
    extra: dict[str, Any] = field(default_factory=dict)  # more for the list template


# ---- reading and showing a form ---------------------------------------------------------------


def read_form(fields: Sequence[Field], form: MultiDict[str, str]) -> dict[str, Any]:
    """The form as a configuration item: text trimmed, numbers as int, empty choices as None."""
    item: dict[str, Any] = {}
    for f in fields:
        raw = (form.get(f.name) or "").strip()
        if f.kind == "checkbox":
            item[f.name] = f.name in form
        elif f.kind == "checks":
            item[f.name] = [v for v in form.getlist(f.name) if v]
        elif f.kind == "lines":
            item[f.name] = [v.strip() for v in re.split(r"[\n,]", raw) if v.strip()]
        elif f.kind == "number":
            item[f.name] = int(raw) if _INT.match(raw) else (raw or None)
        elif f.kind in ("select", "time", "date"):
            item[f.name] = raw or None
        else:
            item[f.name] = raw or None if f.nullable else raw
    return item


def shown_values(fields: Sequence[Field], form: MultiDict[str, str]) -> dict[str, Any]:
    """What the visitor sent, to show again next to the errors."""
    values: dict[str, Any] = {}
    for f in fields:
        if f.kind == "checkbox":
            values[f.name] = f.name in form
        elif f.kind == "checks":
            values[f.name] = form.getlist(f.name)
        else:
            values[f.name] = form.get(f.name, "")
    return values


def field_errors(
    fields: Sequence[Field], problems: list[Problem]
) -> tuple[dict[str, str], list[str]]:
    """Problems by field (the first for each), and those no field shows (for the summary)."""
    names = {f.name for f in fields}
    by_field: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        key = re.split(r"[.\[]", problem.path, maxsplit=1)[0]
        key = "date" if key == "day" else key
        if key in names:
            by_field.setdefault(key, translate(problem.message))
        else:
            general.append(translate(problem.message))
    return by_field, general


def render_form(entity: Entity, row: Any, values: dict[str, Any], **extra: Any) -> str:
    """The new/edit page."""
    return render_template(
        "admin/form.html",
        entity=entity,
        row=row,
        values=values,
        fields=entity.fields,
        errors=extra.pop("errors", {}),
        general=extra.pop("general", []),
        affected=extra.pop("affected", []),
        **extra,
    )


# ---- the four routes ----------------------------------------------------------------------------


def get_row(model: Any, ident: str) -> Any:
    """The row with this id, or 404 (ids no database could hold are simply unknown)."""
    sane = 0 < len(ident) <= 100 and ident.isprintable()
    row = db.session.get(model, ident) if sane else None
    if row is None:
        raise NotFound()
    return row


def list_page(entity: Entity) -> Response:
    """The list of items with their edit and delete controls (the rows alone for htmx)."""
    context = {"entity": entity, "rows": entity.rows(), **entity.extra}
    template = "admin/_rows.html" if request.headers.get("HX-Request") else "admin/list.html"
    response = make_response(render_template(template, **context))
    response.headers["Vary"] = "HX-Request"
    return response


def save(entity: Entity, row: Any | None) -> str | BaseResponse:
    """Validate the form; show problems or affected meetings; else save and go back to the list."""
    item = read_form(entity.fields, request.form)
    if row is not None:
        fixed = entity.values(row)
        item.update({key: fixed[key] for key in entity.fixed_on_edit})
    if entity.by_id:
        item["id"] = row.id if row is not None else new_id()
    problems = check_item(entity.section, item)
    if not problems and entity.refuse is not None:
        problems = entity.refuse(row, item)
    values = shown_values(entity.fields, request.form)
    if row is not None:
        values.update({key: entity.values(row)[key] for key in entity.fixed_on_edit})
    if problems:
        errors, general = field_errors(entity.fields, problems)
        return _refused(entity, row, values, errors=errors, general=general)
    affected = entity.affected(row, item) if entity.affected else []
    if affected and request.form.get("confirm_affected") != "1":
        return _refused(entity, row, values, affected=affected)
    try:
        save_item(entity.section, item)
    except ConfigurationError as exc:  # a change made meanwhile by someone else
        errors, general = field_errors(entity.fields, exc.problems)
        return _refused(entity, row, values, errors=errors, general=general)
    saved = entity.label(row) if row is not None else item.get("name") or item.get("date")
    flash(_("Saved: %(name)s.", name=saved), "success")
    return redirect(url_for(f"admin.{entity.name}"))


def _refused(entity: Entity, row: Any, values: dict[str, Any], **extra: Any) -> Any:
    status = 409 if extra.get("affected") else 400
    return render_form(entity, row, values, **extra), status


def delete(entity: Entity, row: Any) -> BaseResponse | tuple[str, int]:
    """Delete an item unless booked meetings or other data still need it."""
    label = entity.label(row)
    try:
        delete_item(entity.section, row.id, now=clock.now())
    except Conflict as exc:
        return _delete_answer(entity, row, translate(exc.message), "error")
    except IntegrityError:
        db.session.rollback()
        message = _("Other configuration still refers to it; change that first.")
        return _delete_answer(entity, row, message, "error")
    return _delete_answer(entity, None, _("Deleted: %(name)s.", name=label), "success")


def _delete_answer(entity: Entity, row: Any, message: str, category: str) -> Any:
    """The row again (or its deletion note) for htmx; else back to the list with the message."""
    if request.headers.get("HX-Request"):
        html = render_template(
            "admin/_row_result.html", entity=entity, row=row, message=message, category=category
        )
        return html, 200
    flash(message, category)
    return redirect(url_for(f"admin.{entity.name}"))


def register(entity: Entity) -> None:
    """Add the list, new, edit and delete routes of one entity, all for admins only."""
    base = f"/{entity.name.replace('_', '-')}"

    @staff_required("admin")
    def show_list() -> Response:
        return list_page(entity)

    @staff_required("admin")
    def new() -> Any:
        if request.method == "POST":
            return save(entity, None)
        return render_form(entity, None, {f.name: f.default for f in entity.fields})

    @staff_required("admin")
    def edit(ident: str) -> Any:
        row = get_row(entity.model, ident)
        if request.method == "POST":
            return save(entity, row)
        return render_form(entity, row, entity.values(row))

    @staff_required("admin")
    def remove(ident: str) -> Any:
        return delete(entity, get_row(entity.model, ident))

    bp.add_url_rule(base, entity.name, show_list, methods=["GET"])
    bp.add_url_rule(f"{base}/new", f"{entity.name}_new", new, methods=["GET", "POST"])
    bp.add_url_rule(f"{base}/<ident>", f"{entity.name}_edit", edit, methods=["GET", "POST"])
    bp.add_url_rule(f"{base}/<ident>/delete", f"{entity.name}_delete", remove, methods=["POST"])
