"""Staff accounts for the advisor pages: created, re-passworded, disabled and enabled from the
command line and the admin pages (app/admin/staff_accounts.py); passwords are hashed with Argon2id
(app/staff/passwords.py).

An admin page "invites" by creating the account with a random temporary password that is shown to
the admin once (`invite_staff_user`); e-mailing it comes with the notifications. Roles: an advisor
account is linked to an employee, an admin account has `is_admin` (both may hold)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.booking.errors import InvalidRequest, NotFound
from app.extensions import db
from app.models import Employee, User
from app.staff import mfa
from app.staff.passwords import MIN_PASSWORD_LENGTH, hash_password, verify

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "change_own_password",
    "create_staff_user",
    "find_staff_user",
    "invite_staff_user",
    "list_staff_users",
    "reset_second_factor",
    "set_disabled",
    "set_password",
    "set_role",
    "staff_user",
]

TEMPORARY_PASSWORD_BYTES = 12  # 16 URL-safe characters
ADVISOR_TAKEN = "this advisor already has an active staff account"
ACTIVE_ACCOUNT_INDEX = "uq_users_active_employee"  # the database's guard of the same rule


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    return hash_password(password)


def find_staff_user(email: str) -> User | None:
    """The account with this e-mail (any case), or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _existing(email: str) -> User:
    user = find_staff_user(email)
    if user is None:
        raise NotFound("account", email.strip().lower())
    return user


def _check_advisor_free(employee_id: str | None, user_id: str | None = None) -> None:
    """An advisor is acted as by one active account at most (a disabled one does not count)."""
    if employee_id is None:
        return
    if db.session.get(Employee, employee_id) is None:
        raise NotFound("employee", employee_id)
    stmt = select(User.id).where(User.employee_id == employee_id, User.disabled_at.is_(None))
    if user_id is not None:
        stmt = stmt.where(User.id != user_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise InvalidRequest(ADVISOR_TAKEN, field="employee_id")


def _commit_account() -> None:
    """Commit an account change; the database's refusal of a second active account for an advisor
    (two admins at once, past `_check_advisor_free`) is the rule's own refusal."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        detail = str(exc.orig)
        if ACTIVE_ACCOUNT_INDEX not in detail and "users.employee_id" not in detail:
            raise
        raise InvalidRequest(ADVISOR_TAKEN, field="employee_id") from exc


def create_staff_user(
    email: str,
    password: str,
    *,
    now: datetime,
    employee_id: str | None = None,
    admin: bool = False,
    must_change_password: bool = False,
) -> User:
    """Create a staff account (e-mail stored lower-case, password hashed) and commit it."""
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidRequest(f'"{email}" is not an e-mail address', field="email")
    password_hash = _checked_password(password)
    if find_staff_user(email) is not None:
        raise InvalidRequest(f"an account for {email} already exists", field="email")
    _check_advisor_free(employee_id)
    user = User(
        email=email,
        password_hash=password_hash,
        employee_id=employee_id,
        is_admin=admin,
        created_at=now,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    _commit_account()
    return user


def set_password(email: str, password: str) -> User:
    """Give an existing account a new password (Argon2) and commit it."""
    user = _existing(email)
    user.password_hash = _checked_password(password)
    db.session.commit()
    return user


def change_own_password(user: User, password: str, repeated: str) -> None:
    """The account sets its own password (the rules of `set_password`), which may not be the one it
    has now; the duty to change it (an invitation's temporary password) is cleared. Commits."""
    if password != repeated:
        raise InvalidRequest("the two passwords are not the same", field="repeated")
    new_hash = _checked_password(password)
    if verify(user.password_hash, password).ok:
        raise InvalidRequest("choose a password other than the one you have now", field="password")
    user.password_hash = new_hash
    user.must_change_password = False
    db.session.commit()


def set_disabled(
    email: str, disabled: bool, *, now: datetime, acting_user_id: str | None = None
) -> User:
    """Disable (from `now`) or enable an account and commit it; disabling twice keeps the first time.

    An admin acting on a page (`acting_user_id`) cannot disable their own account; an account is
    not enabled while another active one acts as its advisor."""
    user = _existing(email)
    if disabled and user.id == acting_user_id:
        raise InvalidRequest("you cannot disable your own account", field="account")
    if not disabled:
        if user.disabled_at is not None:
            _check_advisor_free(user.employee_id, user.id)
        user.disabled_at = None
    elif user.disabled_at is None:
        user.disabled_at = now
    _commit_account()
    return user


def list_staff_users() -> list[User]:
    """Every staff account, by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.email)))


def staff_user(user_id: str) -> User:
    """The account with this id; `NotFound` otherwise."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("account", user_id)
    return user


def invite_staff_user(
    email: str, *, now: datetime, employee_id: str | None = None, admin: bool = False
) -> tuple[User, str]:
    """Create an account with a random temporary password; (the account, the password to hand
    over once: only its hash is stored)."""
    if not admin and employee_id is None:
        raise InvalidRequest("an advisor account needs the advisor it acts as", field="employee_id")
    password = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    user = create_staff_user(
        email, password, now=now, employee_id=employee_id, admin=admin, must_change_password=True
    )
    return user, password


def set_role(user_id: str, *, admin: bool, employee_id: str | None, acting_user_id: str) -> User:
    """Make an account an admin and/or an advisor (linked to `employee_id`) and commit it.

    An account must keep at least one of the two, and an admin cannot remove their own admin role.
    """
    user = staff_user(user_id)
    if not admin and user.id == acting_user_id:
        raise InvalidRequest("you cannot remove your own admin role", field="admin")
    if not admin and employee_id is None:
        raise InvalidRequest("an advisor account needs the advisor it acts as", field="employee_id")
    if employee_id != user.employee_id:
        _check_advisor_free(employee_id, user.id)
    user.is_admin, user.employee_id = admin, employee_id
    _commit_account()
    return user


def reset_second_factor(email: str) -> User:
    """Forget an account's second factor (lost phone): it enrols again at sign-in if required."""
    user = _existing(email)
    mfa.reset(user)
    return user
