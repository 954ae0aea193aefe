"""Staff accounts for the advisor pages: created from the command line with a hashed password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.booking.errors import InvalidRequest, NotFound
from app.extensions import db
from app.models import Employee, User

MIN_PASSWORD_LENGTH = 8


def create_staff_user(
    email: str, password: str, *, now: datetime, employee_id: str | None = None, admin: bool = False
) -> User:
    """Create a staff account (e-mail stored lower-case, password hashed) and commit it."""
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidRequest(f'"{email}" is not an e-mail address', field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise InvalidRequest(f"an account for {email} already exists", field="email")
    if employee_id is not None and db.session.get(Employee, employee_id) is None:
        raise NotFound("employee", employee_id)
    user = User(
        email=email,
        password_hash=generate_password_hash(password),
        employee_id=employee_id,
        is_admin=admin,
        created_at=now,
    )
    db.session.add(user)
    db.session.commit()
    return user
