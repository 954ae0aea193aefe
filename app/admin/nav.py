"""The admin sections, in the order the index and the side menu show them: one home for the list.

A section is listed once its endpoint exists, so a page is added by adding its line here.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l


class Section(NamedTuple):
    """One admin page: its endpoint and what the menu calls it, with a line on what it holds."""

    endpoint: str
    label: object
    about: object


SECTIONS: tuple[Section, ...] = (
    Section(
        "admin.topics", _l("Topics"), _l("what customers can book, with names in both languages")
    ),
    Section("admin.customer_types", _l("Customer types"), _l("private, business and the others")),
    Section("admin.locations", _l("Branches and areas"), _l("addresses and where advisors meet")),
    Section("admin.rooms", _l("Rooms"), _l("meeting rooms at each branch")),
    Section("admin.competence_groups", _l("Competence groups"), _l("the skills tree")),
    Section("admin.service_groups", _l("Service groups"), _l("pools of advisors by area")),
    Section("admin.closing_days", _l("Closing days"), _l("holidays and other closed days")),
    Section("admin.settings", _l("Organisation settings"), _l("hours, buffers, notice, horizon")),
    Section("admin.advisors", _l("Advisors"), _l("skills, places and weekly schedules")),
    Section("admin.api_clients", _l("API clients"), _l("the bank's systems and their scopes")),
    Section(
        "admin.staff_accounts", _l("Staff accounts"), _l("invite, role, disable, second factor")
    ),
    Section(
        "admin.webhooks", _l("Webhooks"), _l("the bank's systems told of every booking change")
    ),
    Section("admin.outbox", _l("Dead messages"), _l("e-mails and webhooks that could not be sent")),
    Section("admin.audit", _l("Audit trail"), _l("who changed what, and every booking action")),
)


def available_sections() -> list[Section]:
    """The sections whose pages exist in this build."""
    return [s for s in SECTIONS if s.endpoint in current_app.view_functions]
