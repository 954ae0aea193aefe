"""Staff pages: sign-in (GET/POST /login), sign-out (POST /logout) and the landing page (/staff)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from app.extensions import limiter
from app.staff import bp, mfa
from app.staff.auth import (
    authenticate,
    begin_second_step,
    has_role,
    refusal,
    sign_in,
    sign_out,
    staff_required,
)
from app.staff.forms import CodeForm, LoginForm

# Forms on a meeting's pages: a missing or stale token is sent back there (after the guard).
MEETING_FORMS = {"staff.cancel", "staff.move_hold", "staff.move_confirm", "staff.move_release"}


def _account_limit() -> str:
    return str(current_app.config["BOOKME_LOGIN_ACCOUNT_LIMIT"])


def _address_limit() -> str:
    return str(current_app.config["BOOKME_LOGIN_ADDRESS_LIMIT"])


def _account_key() -> str:
    """The e-mail tried, hashed: the limiter's storage keeps no staff addresses in clear."""
    email = request.form.get("email", "").strip().lower()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def _address_key() -> str:
    return "address:" + (request.remote_addr or "unknown")


def _next_page() -> str:
    """Where to go after signing in: a staff path asked for before, else the landing page."""
    target = request.args.get("next", "")
    if target.startswith("/staff") and target.isprintable() and "//" not in target:
        return target
    return url_for("staff.home")


@bp.get("/login")
def login() -> Response | str:
    """The sign-in page (a signed-in account goes straight to its landing page)."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    return render_template(
        "staff/login.html", form=LoginForm(), failed=False, blocked=_sso_message()
    )


def _sso_message() -> str | None:
    """Why single sign-on sent the browser back here: one word for any account it cannot sign in."""
    reason = request.args.get("sso")
    if reason == "refused":
        return _("This account cannot sign in here. Please ask your administrator.")
    if reason == "failed":
        return _("Single sign-on did not finish. Please try again.")
    return None


@bp.post("/login")
@limiter.limit(_address_limit, key_func=_address_key, scope="staff-login-address")
@limiter.limit(_account_limit, key_func=_account_key, scope="staff-login-account")
def login_post() -> Response | tuple[str, int]:
    """Check the e-mail and password; one message for any wrong pair; a new session on success."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("staff/login.html", form=form, failed=False), 400
    user = authenticate(form.email.data or "", form.password.data or "")
    if user is None:
        form.password.data = ""
        return render_template("staff/login.html", form=form, failed=True), 200
    if mfa.is_enabled(user):
        begin_second_step(user, _next_page())
        return redirect(url_for("staff.login_code"))
    sign_in(user)
    return redirect(_next_page())


@bp.post("/logout")
def logout() -> Response:
    """Sign out (POST only, with the CSRF token) and go to the sign-in page."""
    sign_out()
    return redirect(url_for("staff.login", signed_out=1))


@bp.get("/staff")
@staff_required("staff")
def home() -> str:
    """Who is signed in, as what, and the pages that are coming."""
    return render_template(
        "staff/home.html",
        user=current_user,
        is_advisor=has_role(current_user, "advisor"),
        is_admin=has_role(current_user, "admin"),
    )


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
    """The sign-in page with a plain message, the same for an account and for an address."""
    seconds = int(error.limit.limit.get_expiry())
    if request.endpoint == "staff.login_code_post":
        message = _(
            "Too many codes tried. Please wait %(minutes)d minutes and try again.",
            minutes=max(1, seconds // 60),
        )
        body = render_template("staff/code.html", form=CodeForm(), blocked=message)
        return body, 429, {"Retry-After": str(seconds)}
    message = _(
        "Too many sign-in attempts. Please wait %(minutes)d minutes and try again.",
        minutes=max(1, seconds // 60),
    )
    body = render_template("staff/login.html", form=LoginForm(), failed=False, blocked=message)
    return body, 429, {"Retry-After": str(seconds)}


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> tuple[str, int] | Response:
    """A sign-in form left open too long (or sent without its token): a fresh form, a plain word.
    A sign-out without its token signs nobody out; the page it came from is shown again."""
    if request.endpoint == "staff.logout":
        return redirect(url_for("staff.home"))
    if request.endpoint in {"staff.mfa_confirm", "staff.mfa_disable"}:
        flash(_("The form had expired. Please try again."), "info")
        return redirect(url_for("staff.mfa_page"))
    if request.endpoint == "staff.login_code_post":
        return redirect(url_for("staff.login_code"))
    if request.endpoint in BOOK_PAGES:  # booking for a customer: guard first, then the step again
        return _book_form_expired()
    if request.endpoint in MEETING_FORMS:  # the CSRF check runs before the guard: guard first
        refused = refusal("advisor")
        if refused is not None:
            return refused  # type: ignore[no-any-return]
        flash(_("The form had expired. Please try again."), "info")
        meeting_id = (request.view_args or {}).get("meeting_id")
        if request.endpoint == "staff.cancel" and request.form.get("back") != "meeting":
            return redirect(url_for("staff.my_meetings"))
        return redirect(url_for("staff.meeting_page", meeting_id=meeting_id))
    message = _("The form had expired. Please sign in again.")
    return render_template("staff/login.html", form=LoginForm(), failed=False, blocked=message), 400


BOOK_PAGES = {  # a POST of booking for a customer, and the page its expired form goes back to
    "staff.book_search": "staff.book_start",
    "staff.book_customer": "staff.book_start",
    "staff.book_what": "staff.book_what",
    "staff.book_hold": "staff.book_times",
    "staff.book_confirm": "staff.book_confirm",
}


def _book_form_expired() -> Any:
    """A booking form sent without its token (or too late): that step again, with a plain word;
    htmx reloads the page (and with it the token)."""
    refused = refusal("advisor")
    if refused is not None:
        return refused
    if request.headers.get("HX-Request") == "true":
        return "", 400, {"HX-Refresh": "true"}
    flash(_("The form had expired. Please try again."), "info")
    return redirect(url_for(BOOK_PAGES[str(request.endpoint)]))
