"""The demo's staff accounts: an advisor (Mette Frederiksen) and an admin, with demo-only passwords.

Written only by `bookme seed-demo` (and the browser tests): the passwords are printed in the README
on purpose and are no secret. Never create these accounts on a real installation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.configuration.accounts import create_staff_user, find_staff_user
from app.demo.data import demo_email, demo_id
from app.models import User

DEMO_ADVISOR_EMAIL = demo_email("Mette", "Frederiksen")


@dataclass(frozen=True)
class DemoAccount:
    """A demo-only sign-in."""

    role: str
    email: str
    password: str


DEMO_ADVISOR = DemoAccount("advisor", DEMO_ADVISOR_EMAIL, "demo-advisor")
DEMO_ADMIN = DemoAccount("admin", "admin@nordbank.example", "demo-admin")
DEMO_ACCOUNTS = (DEMO_ADVISOR, DEMO_ADMIN)


def create_demo_staff(now: datetime, advisor_employee_id: str | None = None) -> list[User]:
    """Create the demo advisor (linked to the demo employee) and admin, unless they exist."""
    employee_id = advisor_employee_id or demo_id("employee", DEMO_ADVISOR_EMAIL)
    users = []
    for account in DEMO_ACCOUNTS:
        user = find_staff_user(account.email)
        if user is None:
            user = create_staff_user(
                account.email,
                account.password,
                now=now,
                employee_id=employee_id if account is DEMO_ADVISOR else None,
                admin=account is DEMO_ADMIN,
            )
        users.append(user)
    return users
