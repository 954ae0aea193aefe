"""The change-password page: an account invited with a temporary password sets its own here before
any other staff page opens (the guard, app/staff/auth.py `refusal`, sends it here)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.booking.errors import InvalidRequest
from app.configuration.accounts import MIN_PASSWORD_LENGTH, change_own_password
from app.extensions import db
from app.staff import bp
from app.staff.auth import must_change_password, staff_required
from app.staff.forms import NewPasswordForm


def _words(exc: InvalidRequest) -> str:
    """The service's refusal in the visitor's language."""
    if exc.field == "repeated":
        return _("The two passwords are not the same.")
    if "other than" in exc.message:
        return _("Choose a password other than the temporary one.")
    return _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)


def _page(form: NewPasswordForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "staff/password_change.html", form=form, min_length=MIN_PASSWORD_LENGTH
    ), status


@bp.get("/staff/password")
@staff_required("staff", password_change=True)
def password_page() -> Response | tuple[str, int]:
    """The form, for an account that must change its password (others go on to the workspace)."""
    if not must_change_password(current_user):
        return redirect(url_for("staff.home"))
    return _page(NewPasswordForm())


@bp.post("/staff/password")
@staff_required("staff", password_change=True)
def password_change() -> Response | tuple[str, int]:
    """Set the new password (the rules of `bookme set-password`) and clear the duty to change it."""
    if not must_change_password(current_user):
        return redirect(url_for("staff.home"))
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        change_own_password(current_user, form.password.data or "", form.repeated.data or "")
    except InvalidRequest as exc:
        db.session.rollback()
        field = form.repeated if exc.field == "repeated" else form.password
        field.errors = [_words(exc)]
        return _page(form, 400)
    flash(_("Your new password is saved."), "success")
    return redirect(url_for("staff.home"))
