"""What the audit trail records of each model: the one home of the allow and redact lists.

A field listed in `fields` is recorded with its before and after values; a field in `redacted` is
recorded as changed with both values withheld (personal data, secrets, free text); every other column
is never recorded. Configuration records carry no personal data beyond ids; booking records name the
customer by the bank's customer id only (docs/audit.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.models import (
    ApiClient,
    BusyTime,
    ClosingDay,
    CompetenceGroup,
    CustomerType,
    Employee,
    Location,
    Meeting,
    OrganisationSettings,
    Reservation,
    Room,
    ServiceGroup,
    Topic,
    User,
    WeeklySchedule,
)

REDACTED = "[redacted]"


@dataclass(frozen=True)
class Audited:
    """How one model appears in the trail: its entity name and the fields recorded or redacted."""

    entity: str
    fields: tuple[str, ...]
    redacted: tuple[str, ...] = ()
    booking: bool = False


_SETTINGS = (
    "name",
    "time_zone",
    "opening_time",
    "closing_time",
    "max_days_ahead",
    "default_meeting_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "max_meeting_minutes_per_day",
    "meeting_title_template",
    "meeting_description_template",
    "staff_mfa_required",
)
_PEOPLE = ("first_name", "last_name", "display_name", "initials", "email")
_PLACE = ("start_at", "end_at", "employee_id", "additional_employee_ids", "room_id", "meeting_type")

AUDITED: dict[type[Any], Audited] = {
    OrganisationSettings: Audited("settings", _SETTINGS),
    ClosingDay: Audited("closing_day", ("day", "name")),
    Location: Audited(
        "location", ("name", "localized_names", "areas", "address", "time_zone", "require_room")
    ),
    CustomerType: Audited("customer_type", ("name", "localized_names", "order")),
    Topic: Audited(
        "topic",
        ("name", "localized_names", "unique_topic_id", "description", "duration_minutes")
        + ("meeting_types", "is_customer", "parent_id", "order", "customer_types"),
    ),
    Employee: Audited(
        "employee",
        ("external_id", "home_location_id", "can_be_booked", "only_explicitly_available")
        + ("max_meeting_minutes_per_day", "topics", "customer_types"),
        redacted=_PEOPLE,
    ),
    WeeklySchedule: Audited(
        "weekly_schedule",
        ("employee_id", "weekday", "available", "start_time", "end_time", "meeting_types")
        + ("location_id",),
    ),
    BusyTime: Audited(
        "busy_time", ("employee_id", "start_at", "end_at", "kind"), redacted=("note",)
    ),
    Room: Audited("room", ("name", "location_id", "email", "capacity", "can_be_booked")),
    CompetenceGroup: Audited(
        "competence_group", ("name", "parent_id", "members", "topics", "customer_types")
    ),
    ServiceGroup: Audited(
        "service_group",
        ("name", "label", "customer_locations", "meeting_types", "max_meeting_minutes_per_day")
        + ("topics", "customer_types", "locations", "employees", "competence_groups"),
    ),
    ApiClient: Audited(
        "api_client", ("client_id", "name", "scope", "revoked"), redacted=("client_secret_hash",)
    ),
    User: Audited(
        "staff_account",
        ("employee_id", "is_admin", "disabled_at", "mfa_enabled_at"),
        redacted=("email", "password_hash", "sso_subject", "mfa_secret", "mfa_recovery_codes"),
    ),
    Reservation: Audited(
        "reservation",
        _PLACE
        + ("topic_id", "service_group", "status", "expires_at", "existing_meeting_id")
        + ("client_id", "meeting_id"),
        booking=True,
    ),
    Meeting: Audited(
        "meeting",
        _PLACE
        + ("location_id", "topic_id", "customer_type_id", "customer_id", "status")
        + ("booked_by", "booked_by_user_id", "client_id", "time_slot_id", "cancelled_at"),
        redacted=("customer_name", "customer_email", "customer_phone", "title", "description")
        + ("video_link", "cancelled_by", "cancel_reason"),
        booking=True,
    ),
}

ENTITIES: tuple[str, ...] = tuple(sorted(a.entity for a in AUDITED.values()))
# A change to one of these moves a meeting (another time, advisor or room), not just edits it.
MOVE_FIELDS = frozenset(_PLACE)
