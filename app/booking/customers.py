"""Known customers (`customers`): found by number, name, e-mail or phone, and remembered when a
meeting is booked for them. The only code that writes customers.

- `search_customers(text, *, limit) -> list[Customer]`: customers whose number, name or e-mail
  contains `text` (case-insensitive), or whose phone contains its digits.
- `remember_customer(number, name, email, phone) -> None`: insert a customer the bank does not
  know yet; a known customer's record is never rewritten by a booking (what an advisor typed for
  one meeting stays on that meeting). One statement, so two bookings for the same new customer at
  once cannot collide. Runs inside the caller's transaction.
"""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Customer

SEARCH_MIN_CHARS = 2  # a shorter text matches too much to be useful
SEARCH_LIMIT = 20
DIGITS = re.compile(r"\D")


def _like(text: str) -> str:
    """A LIKE pattern for `text` anywhere, with the pattern characters taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_customers(text: str, *, limit: int = SEARCH_LIMIT) -> list[Customer]:
    """Known customers matching `text` by number, name, e-mail or phone, best first."""
    text = text.strip()
    if len(text) < SEARCH_MIN_CHARS:
        return []
    pattern = _like(text.lower())
    matches = [
        func.lower(Customer.id).like(pattern, escape="\\"),
        func.lower(Customer.name).like(pattern, escape="\\"),
        func.lower(Customer.email).like(pattern, escape="\\"),
    ]
    digits = DIGITS.sub("", text)
    if len(digits) >= SEARCH_MIN_CHARS:
        phone = func.replace(func.replace(func.replace(Customer.phone, " ", ""), "-", ""), "+", "")
        matches.append(phone.like(_like(digits), escape="\\"))
    stmt = (
        select(Customer)
        .where(or_(*matches))
        .order_by((func.lower(Customer.id) == text.lower()).desc(), Customer.name, Customer.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def remember_customer(number: str, name: str, email: str, phone: str) -> None:
    """Insert the customer with this number unless the bank already knows them (then nothing)."""
    values = {"id": number, "name": name, "email": email, "phone": phone}
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Customer).values(**values).on_conflict_do_nothing(index_elements=[Customer.id])
    db.session.execute(stmt)
