"""Staff accounts for the advisor pages: created, re-passworded, disabled and enabled from the
command line; passwords are hashed with Argon2id (app/staff/passwords.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.booking.errors import InvalidRequest, NotFound
from app.extensions import db
from app.models import Employee, User
from app.staff.passwords import MIN_PASSWORD_LENGTH, hash_password

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "create_staff_user",
    "find_staff_user",
    "set_disabled",
    "set_password",
]


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


def create_staff_user(
    email: str, password: str, *, now: datetime, employee_id: str | None = None, admin: bool = False
) -> User:
    """Create a staff account (e-mail stored lower-case, password hashed) and commit it."""
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidRequest(f'"{email}" is not an e-mail address', field="email")
    password_hash = _checked_password(password)
    if find_staff_user(email) is not None:
        raise InvalidRequest(f"an account for {email} already exists", field="email")
    if employee_id is not None and db.session.get(Employee, employee_id) is None:
        raise NotFound("employee", employee_id)
    user = User(
        email=email,
        password_hash=password_hash,
        employee_id=employee_id,
        is_admin=admin,
        created_at=now,
    )
    db.session.add(user)
    db.session.commit()
    return user


def set_password(email: str, password: str) -> User:
    """Give an existing account a new password (Argon2) and commit it."""
    user = _existing(email)
    user.password_hash = _checked_password(password)
    db.session.commit()
    return user


def set_disabled(email: str, disabled: bool, *, now: datetime) -> User:
    """Disable (from `now`) or enable an account and commit it; disabling twice keeps the first time."""
    user = _existing(email)
    if not disabled:
        user.disabled_at = None
    elif user.disabled_at is None:
        user.disabled_at = now
    db.session.commit()
    return user
