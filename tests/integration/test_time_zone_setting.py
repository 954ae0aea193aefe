"""One fallback for the organisation's time zone: the settings row's, else BOOKME_TIMEZONE."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import delete

from app.booking.config_load import load_org as _load_org
from app.configuration import affected, schedule_plan
from app.configuration.services import Writer
from app.extensions import db
from app.i18n import org_zone
from app.models import OrganisationSettings

pytestmark = pytest.mark.db


def test_without_a_settings_row_the_engine_and_the_pages_use_the_configured_zone(app: Flask):
    db.session.execute(delete(OrganisationSettings))
    db.session.commit()
    app.config["BOOKME_TIMEZONE"] = "America/New_York"
    assert _load_org().time_zone == "America/New_York"
    assert org_zone() == ZoneInfo("America/New_York")
    assert Writer().time_zone == ZoneInfo("America/New_York")
    # the schedule preview and the affected-meetings check read the same zone (no own fallback)
    assert schedule_plan.zone() == ZoneInfo("America/New_York")
    assert not hasattr(affected, "DEFAULT_ZONE") and not hasattr(schedule_plan, "DEFAULT_ZONE")


def test_the_settings_row_wins_over_the_configured_zone(app: Flask):
    db.session.execute(delete(OrganisationSettings))
    db.session.add(OrganisationSettings(id=1, time_zone="Europe/London"))
    db.session.commit()
    app.config["BOOKME_TIMEZONE"] = "America/New_York"
    assert _load_org().time_zone == "Europe/London"
    assert org_zone() == ZoneInfo("Europe/London")
    assert Writer().time_zone == ZoneInfo("Europe/London")
