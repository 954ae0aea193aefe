"""The vendor's V3 organisation settings and allowed options, from our settings and topics.

Labels are in the organisation's own language (`app.localized.home_tag`), as a bank's portal shows
them to its customers.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import force_locale, lazy_gettext
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.api.config_v3_read import clock_time, minutes_span, time_zone_json
from app.api.schemas import dump
from app.api.schemas_config_v3 import AllowedOptionsOut, OrganizationSettingOut
from app.booking.errors import NotFound
from app.booking.rules import topic_meeting_types
from app.booking.timespan import format_timespan
from app.extensions import db
from app.localized import home_tag
from app.models import ClosingDay, CustomerType, Location, OrganisationSettings, Topic
from app.wizard.choices import MEETING_TYPE_LABELS

SETTINGS_ID = "1"  # the organisation's one settings row
ADVISOR_SELECTION = {
    "PrimaryEmployee": lazy_gettext("My advisor"),
    "OtherEmployees": lazy_gettext("Another advisor"),
}


def _setting(row: OrganisationSettings | None, name: str) -> Any:
    """A stored setting, or the column's default while none is stored."""
    value = getattr(row, name) if row is not None else None
    if value is None:
        default = OrganisationSettings.__table__.columns[name].default
        value = default.arg if default is not None else None
    return value


def _options(labels: dict[str, Any], names: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    with force_locale(home_tag().split("-")[0]):
        return [{"name": n, "label": str(labels[n]), "order": i} for i, n in enumerate(names)]


def organization_setting(now: datetime) -> dict[str, Any]:
    """The settings in the vendor's shape (the defaults until any are stored)."""
    row = db.session.get(OrganisationSettings, 1)
    days = db.session.scalars(select(ClosingDay.day).order_by(ClosingDay.day))
    zone = str(_setting(row, "time_zone"))
    opening: time = _setting(row, "opening_time")
    closing: time = _setting(row, "closing_time")
    return dump(
        OrganizationSettingOut,
        id=SETTINGS_ID,
        opening_time=clock_time(opening),
        closing_time=clock_time(closing),
        max_time_from_booking_to_meeting=format_timespan(
            timedelta(days=_setting(row, "max_days_ahead"))
        ),
        max_meeting_time_per_day=minutes_span(_setting(row, "max_meeting_minutes_per_day")),
        is_filter_show_times_as_customer_enabled=True,
        meeting_type_labels=_options(MEETING_TYPE_LABELS, list(MEETING_TYPE_LABELS)),
        employee_labels=[],
        extended_opening_hours_email=None,
        closing_days=[f"{d.isoformat()}T00:00:00Z" for d in days],
        i_cal_meeting_title=_setting(row, "meeting_title_template"),
        i_cal_meeting_description=_setting(row, "meeting_description_template"),
        time_zone_id=zone,
        time_zone=time_zone_json(zone, now),
        minimum_time_before_booking=minutes_span(_setting(row, "min_notice_minutes")),
        default_meeting_duration=minutes_span(_setting(row, "default_meeting_minutes")),
    )


def allowed_options(
    topic_key: str, customer_type_id: str, location: str, customer_initiated: bool
) -> dict[str, Any]:
    """The meeting types and advisor choices open for this topic, customer type and place.

    A topic closed to the customer type, or a staff-only topic asked by a customer, offers
    nothing (two empty lists); unknown ids and places are 404.
    """
    topic = db.session.scalar(
        select(Topic)
        .where(or_(Topic.id == topic_key, Topic.unique_topic_id == topic_key))
        .options(selectinload(Topic.customer_types))
    )
    if topic is None:
        raise NotFound("topic", topic_key)
    customer_type = db.session.get(CustomerType, customer_type_id)
    if customer_type is None:
        raise NotFound("customer type", customer_type_id)
    if not _known_place(location):
        raise NotFound("location", location)
    open_to_type = not topic.customer_types or customer_type in topic.customer_types
    if not open_to_type or (customer_initiated and not topic.is_customer):
        return dump(AllowedOptionsOut, meeting_types=[], advisor_selection=[])
    types = topic_meeting_types(topic.meeting_types)
    return dump(
        AllowedOptionsOut,
        meeting_types=_options(MEETING_TYPE_LABELS, types),
        advisor_selection=_options(ADVISOR_SELECTION, tuple(ADVISOR_SELECTION)),
    )


def _known_place(text: str) -> bool:
    """A location's name, or an area a location serves."""
    for name, areas in db.session.execute(select(Location.name, Location.areas)):
        if text.casefold() == name.casefold() or text.casefold() in (
            a.casefold() for a in areas or []
        ):
            return True
    return False
