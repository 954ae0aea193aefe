"""Who is signed in, and may they see this page: Flask-Login over Flask's cookie session, the idle
and absolute session lifetimes, sign-in and sign-out, and `staff_required`, the one guard of every
staff page.

Roles: `staff` is any signed-in account, `advisor` an account linked to an employee, `admin` an
account with `is_admin`. A page names the role it needs; an account without it gets 403.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, Literal, TypeVar

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.exceptions import Forbidden

from app import clock
from app.booking.reservations import staff_owner
from app.configuration.accounts import find_staff_user
from app.extensions import db
from app.models import User
from app.staff import mfa
from app.staff.passwords import burn_time, hash_password, verify, warm_up

Role = Literal["staff", "advisor", "admin"]
View = TypeVar("View", bound=Callable[..., Any])

login_manager = LoginManager()
SIGNED_IN_AT = "staff_since"  # epoch seconds of the sign-in: the absolute lifetime
SEEN_AT = "staff_seen"  # epoch seconds of the last request: the idle timeout
PENDING = "staff_pending"  # password checked, second factor not yet: {user, at, next}
SIGNED_IN_VIA = "staff_via"  # "password" or "sso": single sign-on stands for the second factor
SESSION_ID = "staff_sid"  # a fresh random id per sign-in (for logs and, later, revocation)
KEPT_AT_SIGN_IN = ("lang",)  # the visitor's language choice survives the new session


def has_role(user: User, role: Role) -> bool:
    """Whether a signed-in account may act in `role`."""
    if role == "admin":
        return bool(user.is_admin)
    if role == "advisor":
        return user.employee_id is not None
    return True


def staff_required(
    role: Role = "advisor", *, enrolment: bool = False, password_change: bool = False
) -> Callable[[View], View]:
    """The guard of every staff page: anonymous visitors go to /login, an account that must change
    its temporary password goes to the change-password page (unless this is it), an account that
    must have a second factor and has none goes to enrolment (unless this is it), the wrong role
    gets 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            refused = refusal(role, enrolment=enrolment, password_change=password_change)
            return view(*args, **kwargs) if refused is None else refused

        wrapper.staff_role = role  # type: ignore[attr-defined]  # read by the route-guard test
        return wrapper  # type: ignore[return-value]

    return decorate


def refusal(role: Role, *, enrolment: bool = False, password_change: bool = False) -> Any:
    """The guard's answer when this request may not see a page for `role` (None: it may):
    sign-in for anonymous visitors, the change-password page for an account still on an invitation's
    temporary password (unless the page is that one), enrolment for an account that must have a
    second factor and has none (unless the page is enrolment, or the password change still due),
    403 for the wrong role."""
    if not current_user.is_authenticated:
        return redirect(url_for("staff.login", next=request.path))
    changing = must_change_password(current_user)
    if not password_change and changing:
        return redirect(url_for("staff.password_page"))
    if not enrolment and not (password_change and changing) and _must_enrol(current_user):
        return redirect(url_for("staff.mfa_page"))
    if not has_role(current_user, role):
        return current_app.handle_http_exception(Forbidden())
    return None


def hold_owner() -> str:
    """The owner of the holds the signed-in staff account takes (booking for a customer, moving a
    meeting): another account can neither see nor use them."""
    return staff_owner(str(current_user.id))


def must_change_password(user: User) -> bool:
    """An account signed in with an invitation's temporary password, not yet replaced (single
    sign-on does not use the password)."""
    return bool(user.must_change_password) and session.get(SIGNED_IN_VIA) != "sso"


def _must_enrol(user: User) -> bool:
    """An account that must have a second factor and has none, signed in with a password (the
    provider of single sign-on owns the second factor of the accounts it signs in)."""
    if session.get(SIGNED_IN_VIA) == "sso":
        return False
    return mfa.is_required(user) and not mfa.is_enabled(user)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, else None, in the same time either way.

    A werkzeug hash from before Argon2 (or an Argon2 hash with old parameters) is replaced now.
    """
    user = find_staff_user(email)
    if user is None:
        burn_time(password)
        return None
    verdict = verify(user.password_hash, password)
    if not verdict.ok or not user.is_active:
        return None
    if verdict.rehash:
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def sign_in(user: User, via: Literal["password", "sso"] = "password") -> None:
    """Start a new session for `user`: nothing from before sign-in is kept (fixation), except the
    language; the wizard's draft and token and the CSRF token are dropped and issued afresh."""
    kept = {key: session[key] for key in KEPT_AT_SIGN_IN if key in session}
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF caches the token per request: make the next one fresh
    session.update(kept)
    login_user(user)
    now = _epoch(clock.now())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session[SESSION_ID] = secrets.token_urlsafe(16)
    session[SIGNED_IN_VIA] = via


def begin_second_step(user: User, next_page: str) -> None:
    """Password checked, code not yet: a fresh session that holds only who and since when (not
    signed in: no staff page opens on it) and where to go after the code."""
    kept = {key: session[key] for key in KEPT_AT_SIGN_IN if key in session}
    session.clear()
    g.pop("csrf_token", None)
    session.update(kept)
    session[PENDING] = {"user": user.id, "at": _epoch(clock.now()), "next": next_page}


def pending_account() -> tuple[User, str] | None:
    """The account waiting for its code and the page it asked for, while the wait is not too old."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None
    minutes = float(current_app.config["BOOKME_MFA_PENDING_MINUTES"])
    if _epoch(clock.now()) - pending["at"] >= minutes * 60:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, str(pending.get("user")))
    if user is None or not user.is_active:
        return None
    return user, str(pending.get("next") or "")


def sign_out() -> None:
    """End the session: the account, its timestamps, and everything else in the cookie."""
    kept = {key: session[key] for key in KEPT_AT_SIGN_IN if key in session}
    logout_user()
    session.clear()
    g.pop("csrf_token", None)
    session.update(kept)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _expired_reason(now: int) -> str | None:
    """Why the signed-in session is over, or None while it lasts."""
    config = current_app.config
    since, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(since, int) or not isinstance(seen, int):
        return "broken"
    if now - since >= timedelta(hours=float(config["BOOKME_STAFF_MAX_HOURS"])).total_seconds():
        return "max"
    if now - seen >= timedelta(minutes=float(config["BOOKME_STAFF_IDLE_MINUTES"])).total_seconds():
        return "idle"
    return None


EXPIRED_MESSAGES = {
    "idle": _l("You were signed out after a while without activity. Please sign in again."),
    "max": _l("Your session has ended. Please sign in again."),
}


def _check_session_lifetime() -> None:
    """Before every request of a signed-in browser: end a session idle or old for too long, else
    note this request as its latest activity."""
    if "_user_id" not in session:
        return
    now = _epoch(clock.now())
    reason = _expired_reason(now)
    if reason is None:
        session[SEEN_AT] = now
        return
    sign_out()
    if reason in EXPIRED_MESSAGES:
        flash(str(EXPIRED_MESSAGES[reason]), "info")


def _load_user(user_id: str) -> User | None:
    """The session's account while it exists and is not disabled."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def init_auth(app: Flask) -> None:
    """Bind Flask-Login (no remember-me cookie: a session ends with its lifetimes) and the checks."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "staff.login"
    # Off: "basic" protection would write `_fresh` into every visitor's cookie (customers' too) to
    # flag freshness, which nothing here uses; renewal at sign-in is the defence against fixation.
    login_manager.session_protection = None
    app.before_request(_check_session_lifetime)
    warm_up()
