"""The second factor's pages: the code step of sign-in (/login/code) and enrolment, recovery codes
and disabling (/staff/security/mfa). The rules are in app/staff/mfa.py."""

from __future__ import annotations

import hashlib

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import clock
from app.extensions import limiter
from app.staff import bp, mfa
from app.staff.auth import PENDING, pending_account, sign_in, staff_required
from app.staff.forms import CodeForm


def _code_limit() -> str:
    return str(current_app.config["BOOKME_MFA_ACCOUNT_LIMIT"])


def _pending_key() -> str:
    """Per account waiting for its code (hashed id), whichever browser sends the codes."""
    pending = session.get(PENDING)
    who = str(pending.get("user")) if isinstance(pending, dict) else "none"
    return "mfa:" + hashlib.sha256(who.encode()).hexdigest()


def _expired() -> Response:
    flash(_("The sign-in took too long. Please sign in again."), "info")
    return redirect(url_for("staff.login"))


def _code_form() -> CodeForm:
    """The code field; with `?recovery=1` it takes a recovery code (letters: no number keypad)."""
    form = CodeForm()
    if request.args.get("recovery"):
        form.code.label.text = _("Recovery code")
        form.code.render_kw = {**(form.code.render_kw or {}), "inputmode": "text"}
        form.code.render_kw["autocomplete"] = "off"
    return form


def _code_page(form: CodeForm, status: int = 200) -> tuple[str, int]:
    recovery = bool(request.args.get("recovery"))
    return render_template("staff/code.html", form=form, recovery=recovery), status


@bp.get("/login/code")
def login_code() -> Response | tuple[str, int]:
    """The second step of sign-in: a code from the app, or a recovery code."""
    if pending_account() is None:
        return _expired()
    return _code_page(_code_form())


@bp.post("/login/code")
@limiter.limit(_code_limit, key_func=_pending_key, scope="staff-login-code")
def login_code_post() -> Response | tuple[str, int]:
    """Check the code; on success the session is renewed and the account signed in."""
    pending = pending_account()
    if pending is None:
        return _expired()
    user, next_page = pending
    form = _code_form()
    if not form.validate_on_submit():
        return _code_page(form, 400)
    if not mfa.check_code(user, form.code.data or "", now=clock.now()):
        form.code.data = ""
        form.code.errors = [_("The code is not right. Please try again.")]
        return _code_page(form, 400)
    sign_in(user)
    return redirect(next_page or url_for("staff.home"))


def _enrolment_page(form: CodeForm, status: int = 200) -> tuple[str, int]:
    """The enrolment page for the signed-in account, with a new secret unless one is waiting."""
    secret = mfa.secret_of(current_user)
    if secret is None:
        secret = mfa.new_secret()
        mfa.start_enrolment(current_user, secret)
    uri = mfa.provisioning_uri(current_user, secret)
    body = render_template(
        "staff/mfa_enrol.html",
        form=form,
        secret=secret,
        secret_groups=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr=mfa.qr_data_uri(uri),
        required=mfa.is_required(current_user),
    )
    return body, status


@bp.get("/staff/security/mfa")
@staff_required("staff", enrolment=True)
def mfa_page() -> str | tuple[str, int]:
    """Enrolment (QR code and secret) or, once enabled, the state and "turn off"."""
    if mfa.is_enabled(current_user):
        return render_template(
            "staff/mfa_status.html", form=CodeForm(), required=mfa.is_required(current_user)
        )
    return _enrolment_page(CodeForm())


@bp.post("/staff/security/mfa")
@staff_required("staff", enrolment=True)
def mfa_confirm() -> Response | str | tuple[str, int]:
    """Confirm the new secret with a code; then the recovery codes, shown this once."""
    if mfa.is_enabled(current_user):
        return redirect(url_for("staff.mfa_page"))
    form = CodeForm()
    if not form.validate_on_submit():
        return _enrolment_page(form, 400)
    codes = mfa.confirm_enrolment(current_user, form.code.data or "", now=clock.now())
    if codes is None:
        form.code.errors = [_("The code is not right. Please try again.")]
        return _enrolment_page(form, 400)
    return render_template("staff/mfa_codes.html", codes=codes)


@bp.post("/staff/security/mfa/disable")
@staff_required("staff", enrolment=True)
def mfa_disable() -> Response | tuple[str, int]:
    """Turn the second factor off, with a current code; not for accounts that must have it."""
    if mfa.is_required(current_user):
        abort(403)
    if not mfa.is_enabled(current_user):
        return redirect(url_for("staff.mfa_page"))
    form = CodeForm()
    if not form.validate_on_submit() or not mfa.check_code(
        current_user, form.code.data or "", now=clock.now()
    ):
        if not form.code.errors:
            form.code.errors = [_("The code is not right. Please try again.")]
        return render_template("staff/mfa_status.html", form=form, required=False), 400
    mfa.reset(current_user)
    flash(_("Two-step sign-in is off."), "info")
    return redirect(url_for("staff.mfa_page"))
