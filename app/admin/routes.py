"""The admin index: the configuration sections an admin can open."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.admin import bp
from app.admin.nav import available_sections
from app.staff.auth import refusal, staff_required


@bp.get("")
@staff_required("admin")
def index() -> str:
    """Every configuration section, with a line on what it holds."""
    return render_template("admin/index.html", sections=available_sections())


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> Any:
    """A form sent without its token (or left open too long): the guard first, then the page
    again with a plain word; nothing is written. (Flask-WTF checks before any view runs.)"""
    refused = refusal("admin")
    if refused is not None:
        return refused
    flash(_("The form had expired. Please send it again."), "error")
    endpoint = request.endpoint or ""
    if endpoint.endswith("_delete") or endpoint == "admin.closing_days_holidays":
        base = endpoint.removesuffix("_delete").removesuffix("_holidays")
        lists = [e for e in (base, f"{base}s") if e in current_app.view_functions]
        return redirect(url_for(lists[0] if lists else "admin.index"))
    return redirect(_page_of(request.path))


def _page_of(path: str) -> str:
    """The nearest page a GET opens at or above `path`: a button's POST-only action
    (`/staff-accounts/<id>/disable`) leads back to the page it sits on."""
    adapter = current_app.url_map.bind("")
    while path.count("/") > 2:
        try:
            adapter.match(path, method="GET")
        except HTTPException:
            path = path.rsplit("/", 1)[0]
        else:
            return path
    return url_for("admin.index")
