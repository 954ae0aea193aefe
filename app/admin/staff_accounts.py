"""Staff accounts: the list, invite (a temporary password shown once), role, disable or enable, and
reset the second factor. Writes go through `app.configuration.accounts`, as the CLI's do."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import clock
from app.admin import bp
from app.admin.forms import ActionForm, InviteForm, RoleForm, show_problems
from app.admin.messages import translate
from app.booking.errors import InvalidRequest, NotFound
from app.configuration.accounts import (
    invite_staff_user,
    list_staff_users,
    reset_second_factor,
    set_disabled,
    set_role,
    staff_user,
)
from app.configuration.document import Problem
from app.extensions import db
from app.models import Employee, User
from app.staff.auth import staff_required


def _advisor_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Employee.id, Employee.display_name).order_by(Employee.display_name)
    )
    return [("", _("None"))] + [(ident, name) for ident, name in rows]


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.employee_id.choices = _advisor_choices()
    return form


def _list_page(form: InviteForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/staff_accounts.html", form=form, accounts=list_staff_users()
    ), status


@bp.get("/staff-accounts")
@staff_required("admin")
def staff_accounts() -> tuple[str, int]:
    """Every staff account with its role and state, and the invite form."""
    return _list_page(_invite_form())


@bp.post("/staff-accounts")
@staff_required("admin")
def staff_account_invite() -> tuple[str, int]:
    """Create an account and show its temporary password once; errors next to the fields."""
    form = _invite_form()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    try:
        user, password = invite_staff_user(
            form.email.data or "",
            now=clock.now(),
            employee_id=form.employee_id.data or None,
            admin=form.role.data == "admin",
        )
    except (InvalidRequest, NotFound) as exc:
        field = getattr(exc, "field", None) or "employee_id"
        show_problems(form, [Problem(field, translate(exc.message))])
        return _list_page(form, 400)
    return render_template("admin/staff_invited.html", account=user, password=password), 201


def _account(user_id: str) -> User:
    try:
        return staff_user(user_id)
    except NotFound:
        abort(404)


def _account_page(user: User, form: RoleForm, status: int = 200) -> tuple[str, int]:
    is_self = user.id == current_user.id
    return render_template(
        "admin/staff_account.html", account=user, form=form, action=ActionForm(), is_self=is_self
    ), status


def _role_form(user: User | None = None) -> RoleForm:
    form = RoleForm(obj=user) if user is not None else RoleForm()
    form.employee_id.choices = _advisor_choices()
    if user is not None and not form.is_submitted():
        form.admin.data, form.employee_id.data = user.is_admin, user.employee_id or ""
    return form


@bp.get("/staff-accounts/<user_id>")
@staff_required("admin")
def staff_account(user_id: str) -> tuple[str, int]:
    """One account: its role, and the buttons to disable it or reset its second factor."""
    user = _account(user_id)
    return _account_page(user, _role_form(user))


@bp.post("/staff-accounts/<user_id>/role")
@staff_required("admin")
def staff_account_role(user_id: str) -> Response | tuple[str, int]:
    """Change whether the account is an administrator and which advisor it acts as."""
    user = _account(user_id)
    form = _role_form(user)
    if not form.validate_on_submit():
        return _account_page(user, form, 400)
    try:
        set_role(
            user.id,
            admin=bool(form.admin.data),
            employee_id=form.employee_id.data or None,
            acting_user_id=current_user.id,
        )
    except (InvalidRequest, NotFound) as exc:
        db.session.rollback()
        show_problems(
            form, [Problem(getattr(exc, "field", None) or "employee_id", translate(exc.message))]
        )
        return _account_page(user, form, 400)
    flash(_("The role is saved."), "success")
    return redirect(url_for("admin.staff_account", user_id=user.id))


def _act(user_id: str, action: Any, message: str) -> Response | tuple[str, int]:
    """Run one button's service call; its refusal is shown on the account's page."""
    user = _account(user_id)
    try:
        action(user)
    except InvalidRequest as exc:
        db.session.rollback()
        flash(translate(exc.message), "error")
        return _account_page(user, _role_form(user), 409)
    flash(message, "success")
    return redirect(url_for("admin.staff_account", user_id=user.id))


@bp.post("/staff-accounts/<user_id>/disable")
@staff_required("admin")
def staff_account_disable(user_id: str) -> Response | tuple[str, int]:
    """Disable an account: it cannot sign in, and its open sessions end."""
    return _act(
        user_id,
        lambda u: set_disabled(u.email, True, now=clock.now(), acting_user_id=current_user.id),
        _("The account is disabled."),
    )


@bp.post("/staff-accounts/<user_id>/enable")
@staff_required("admin")
def staff_account_enable(user_id: str) -> Response | tuple[str, int]:
    """Enable a disabled account again."""
    return _act(
        user_id,
        lambda u: set_disabled(u.email, False, now=clock.now()),
        _("The account is enabled."),
    )


@bp.post("/staff-accounts/<user_id>/reset-second-factor")
@staff_required("admin")
def staff_account_reset_mfa(user_id: str) -> Response | tuple[str, int]:
    """Forget the account's second factor (lost phone): it sets one up again at its next sign-in."""
    return _act(
        user_id,
        lambda u: reset_second_factor(u.email),
        _("Two-step sign-in is reset. The account sets it up again at its next sign-in."),
    )
