"""A small bank for the page tests: one branch, two advisors, customer topics and a staff topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from app.extensions import db
from app.models import CustomerType, Employee, Location, Topic
from tests import factories


@dataclass
class World:
    """The rows a page test refers to."""

    branch: Location
    other_branch: Location
    private: CustomerType
    business: CustomerType
    mortgage: Topic
    business_loan: Topic
    phone_only: Topic
    staff_only: Topic
    anna: Employee
    bo: Employee


def build_world() -> World:
    """Create the bank and commit it (the services run their own transactions)."""
    factories.settings(name="Nordbank", opening_time=time(8, 0), closing_time=time(17, 0))
    branch = factories.location("Branch-North", ["Copenhagen"])
    other = factories.location("Branch-Aarhus", ["Aarhus"])
    private = factories.customer_type("Private")
    business = factories.customer_type("Business")
    mortgage = factories.topic("Mortgage", 60, ["Physical", "Online"], description="Buying a home")
    mortgage.customer_types = [private]
    loan = factories.topic("Business loan", 60, ["Physical", "Online"])
    loan.customer_types = [business]
    phone = factories.topic("Quick question", 30, ["Telephone"])
    staff = factories.topic("Internal review", 30, ["Physical"], is_customer=False)
    kw = dict(start=time(9, 0), end=time(12, 0), meeting_types=("Physical", "Online", "Telephone"))
    anna = factories.employee(branch, **kw)
    anna.display_name = "Anna Andersen"
    bo = factories.employee(branch, **kw)
    bo.display_name = "Bo Berg"
    # Video and phone meetings are served by a remote team, not by a branch.
    factories.service_group(
        "Remote advice", meeting_types=["Online", "Telephone"], employees=[anna, bo]
    )
    db.session.commit()
    return World(branch, other, private, business, mortgage, loan, phone, staff, anna, bo)
