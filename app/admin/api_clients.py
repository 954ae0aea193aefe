"""API clients: the list, a new client (its secret shown this once), revoke (its tokens stop at once).

Writes go through `app.api.clients`, the functions `flask bookme create-client` uses."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.admin import bp
from app.admin.forms import ActionForm, ApiClientForm, show_problems
from app.api.clients import (
    find_client,
    list_clients,
    register_client,
    revoke_client,
    update_client,
)
from app.booking.errors import InvalidRequest
from app.configuration.document import Problem
from app.extensions import db
from app.staff.auth import staff_required

FIELDS = {"scope": "scopes"}


def _page(form: ApiClientForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/api_clients.html", form=form, clients=list_clients(), action=ActionForm()
    ), status


@bp.get("/api-clients")
@staff_required("admin")
def api_clients() -> tuple[str, int]:
    """Every API client with its scopes, and the form for a new one."""
    return _page(ApiClientForm())


@bp.post("/api-clients")
@staff_required("admin")
def api_client_create() -> tuple[str, int]:
    """Register a client and show its secret once; errors next to the fields."""
    form = ApiClientForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        created = register_client(form.name.data or "", " ".join(form.scopes.data or []))
    except InvalidRequest as exc:
        show_problems(form, [Problem(exc.field or "", exc.message)], FIELDS)
        return _page(form, 400)
    return render_template("admin/api_client_created.html", created=created), 201


@bp.route("/api-clients/<client_id>", methods=["GET", "POST"])
@staff_required("admin")
def api_client_edit(client_id: str) -> Response | tuple[str, int]:
    """Rename an active client or change its scopes (narrowed scopes apply to its tokens at once)."""
    row = find_client(client_id)
    if row is None:
        abort(404)
    form = ApiClientForm()
    if not form.is_submitted():
        form.name.data, form.scopes.data = row.name, row.scope.split()
    elif form.validate_on_submit():
        try:
            update_client(client_id, form.name.data or "", " ".join(form.scopes.data or []))
        except InvalidRequest as exc:
            db.session.rollback()
            show_problems(form, [Problem(exc.field or "", exc.message)], FIELDS)
        else:
            flash(_("The API client is saved."), "success")
            return redirect(url_for("admin.api_clients"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/api_client_edit.html", form=form, client=row), status


@bp.post("/api-clients/<client_id>/revoke")
@staff_required("admin")
def api_client_revoke(client_id: str) -> Response:
    """Revoke a client: no new tokens, and the ones it holds are refused from the next request."""
    if not revoke_client(client_id):
        abort(404)
    flash(_("The API client is revoked. Its tokens no longer work."), "success")
    return redirect(url_for("admin.api_clients"))
