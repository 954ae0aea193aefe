"""The advisor pages: create, edit, delete-or-deactivate, busy times, and the weekly schedule editor
with its preview and the meetings a change would leave outside the week; refused inputs change
nothing."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import refresh
from sqlalchemy import select

from app.extensions import db
from app.models import BusyTime, Employee, Meeting, WeeklySchedule
from tests import factories
from tests.web.admin_helpers import admin_client, post_form

PAGE = "/staff/admin/advisors"
WORKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def week(location: str = "", **days: dict[str, object]) -> dict[str, object]:
    """The editor's fields: Monday to Friday 09:00-12:00 at `location`, `days` overriding."""
    data: dict[str, object] = {}
    for name in WORKDAYS:
        values = {"works": "y", "start": "09:00", "end": "12:00", "location": location}
        values["meeting_types"] = ["Physical", "Online"]
        values.update(days.get(name, {}))
        data |= {f"{name}-{key}": value for key, value in values.items() if value is not None}
    return data


def _schedule(employee_id: str) -> dict[int, WeeklySchedule]:
    rows = db.session.scalars(
        select(WeeklySchedule).where(WeeklySchedule.employee_id == employee_id)
    )
    return {row.weekday: row for row in rows}


def test_an_admin_creates_an_advisor_and_edits_names_and_skills(app, world):
    browser = admin_client(app)
    data = {"first_name": "Cecilie", "last_name": "Holm", "email": "cecilie@nordbank.example"}
    data |= {"home_location": world.other_branch.id, "can_be_booked": "y"}
    data |= {"topics": [world.mortgage.id], "customer_types": [world.private.id]}
    created = post_form(browser, f"{PAGE}/new", f"{PAGE}/new", data)
    assert created.status_code == 302
    row = db.session.scalar(select(Employee).where(Employee.email == "cecilie@nordbank.example"))
    assert row is not None and row.home_location_id == world.other_branch.id
    assert [t.id for t in row.topics] == [world.mortgage.id] and row.display_name == "Cecilie Holm"
    assert created.location.endswith(f"/advisors/{row.id}/schedule")

    edit = f"{PAGE}/{row.id}"
    changed = post_form(browser, edit, edit, data | {"last_name": "Holm-Berg", "topics": []})
    assert changed.status_code == 302
    db.session.refresh(row)
    assert row.last_name == "Holm-Berg" and row.topics == []
    assert "Cecilie Holm-Berg" in browser.get(PAGE).get_data(as_text=True)


def test_an_invalid_advisor_is_refused_next_to_its_fields_and_nothing_is_written(app, world):
    browser = admin_client(app)
    data = {"first_name": "", "last_name": "Holm", "email": "not-an-address"}
    refused = post_form(browser, f"{PAGE}/new", f"{PAGE}/new", data)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="email-error"' in html and 'id="first_name-error"' in html
    assert db.session.scalar(select(Employee).where(Employee.last_name == "Holm")) is None
    taken = data | {"first_name": "Cecilie", "email": world.bo.email.upper()}
    refused = post_form(browser, f"{PAGE}/new", f"{PAGE}/new", taken)
    assert refused.status_code == 400 and 'id="email-error"' in refused.get_data(as_text=True)
    db.session.refresh(world.bo)
    assert world.bo.last_name != "Holm"  # the advisor with that e-mail is left alone


def test_an_advisor_with_meetings_is_kept_and_deactivated_one_without_is_deleted(app, world):
    browser = admin_client(app)
    factories.meeting(world.anna, datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    db.session.commit()
    kept = post_form(browser, f"{PAGE}/{world.anna.id}", f"{PAGE}/{world.anna.id}/delete", {})
    assert kept.status_code == 409
    assert "Can be booked" in kept.get_data(as_text=True)
    assert db.session.get(Employee, world.anna.id) is not None
    data = {"first_name": world.anna.first_name, "last_name": world.anna.last_name}
    data |= {"email": world.anna.email, "home_location": world.branch.id}  # "can_be_booked" off
    off = post_form(browser, f"{PAGE}/{world.anna.id}", f"{PAGE}/{world.anna.id}", data)
    assert off.status_code == 302
    db.session.refresh(world.anna)
    assert world.anna.can_be_booked is False
    schedule = browser.get(f"{PAGE}/{world.anna.id}/schedule").get_data(as_text=True)
    assert "“Can be booked” is off for this advisor" in schedule

    loner = factories.employee(world.branch)
    db.session.commit()
    gone = post_form(browser, f"{PAGE}/{loner.id}", f"{PAGE}/{loner.id}/delete", {})
    assert gone.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employee, loner.id) is None


def test_busy_times_are_added_refused_when_backwards_and_removed(app, world):
    browser = admin_client(app)
    edit = f"{PAGE}/{world.bo.id}"
    data = {"start": "2026-03-04T09:00", "end": "2026-03-04T11:00", "kind": "elsewhere"}
    assert post_form(browser, edit, f"{edit}/busy-times", data).status_code == 302
    busy = db.session.scalar(select(BusyTime).where(BusyTime.employee_id == world.bo.id))
    assert busy is not None and busy.kind == "elsewhere"
    assert busy.start_at == datetime(2026, 3, 4, 8, 0, tzinfo=UTC)  # Copenhagen is UTC+1
    backwards = data | {"start": "2026-03-05T12:00", "end": "2026-03-05T10:00"}
    refused = post_form(browser, edit, f"{edit}/busy-times", backwards)
    assert refused.status_code == 400 and 'id="end-error"' in refused.get_data(as_text=True)
    removed = post_form(browser, edit, f"{edit}/busy-times/{busy.id}/delete", {})
    assert removed.status_code == 302
    assert db.session.scalar(select(BusyTime).where(BusyTime.employee_id == world.bo.id)) is None
    other = post_form(browser, edit, f"{PAGE}/{world.anna.id}/busy-times/{busy.id}/delete", {})
    assert other.status_code == 404


def test_the_schedule_editor_shows_the_week_and_its_free_times(app, world):
    browser = admin_client(app)
    page = browser.get(f"{PAGE}/{world.anna.id}/schedule")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="thursday-works"' in html and "Free times in the next two weeks" in html
    assert "Thu 5 Mar" in html and "09:00–12:00" in html


def test_moving_thursday_to_aarhus_is_previewed_then_saved(app, world):
    browser = admin_client(app)
    url = f"{PAGE}/{world.anna.id}/schedule"
    data = week(world.branch.id, thursday={"location": world.other_branch.id})
    preview = post_form(browser, url, f"{url}/preview", data)
    assert preview.status_code == 200
    assert "Branch-Aarhus" in preview.get_data(as_text=True)
    assert _schedule(world.anna.id)[3].location_id == world.branch.id  # not saved yet

    htmx = browser.post(
        f"{url}/preview",
        data=data,
        headers={"HX-Request": "true", "X-CSRFToken": _csrf(browser, url)},
    )
    assert htmx.status_code == 200
    assert "HX-Request" in htmx.headers["Vary"]
    assert htmx.get_data(as_text=True).lstrip().startswith('<section id="schedule-preview"')

    saved = post_form(browser, url, url, data)
    assert saved.status_code == 302
    db.session.expire_all()
    stored = _schedule(world.anna.id)
    assert stored[3].location_id == world.other_branch.id
    assert stored[0].location_id == world.branch.id and set(stored) == {0, 1, 2, 3, 4}


def _csrf(browser, url: str) -> str:  # type: ignore[no-untyped-def]
    from tests.web.helpers import csrf_from

    return csrf_from(browser.get(url).get_data(as_text=True))


def test_an_invalid_day_is_refused_next_to_its_field_and_nothing_changes(app, world):
    browser = admin_client(app)
    url = f"{PAGE}/{world.anna.id}/schedule"
    data = week(world.branch.id, thursday={"start": "12:00", "end": "09:00"})
    refused = post_form(browser, url, url, data)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="thursday-end-error"' in html and "must be before" in html
    htmx = browser.post(
        f"{url}/preview",
        data=data,
        headers={"HX-Request": "true", "X-CSRFToken": _csrf(browser, url)},
    )
    region = htmx.get_data(as_text=True)
    assert "Correct the marked fields" in region and "Thursday, To: from (12:00)" in region
    no_types = post_form(browser, url, url, week(world.branch.id, friday={"meeting_types": None}))
    assert no_types.status_code == 400
    assert 'id="friday-meeting_types-error"' in no_types.get_data(as_text=True)
    db.session.expire_all()
    assert _schedule(world.anna.id)[3].start_time == time(9, 0)
    assert _schedule(world.anna.id)[4].meeting_types


def test_a_shorter_day_lists_the_booked_meetings_it_leaves_out_and_needs_a_confirm(app, world):
    browser = admin_client(app)
    meeting = factories.meeting(world.anna, datetime(2026, 3, 5, 10, 0, tzinfo=UTC))  # 11:00 local
    db.session.commit()
    url = f"{PAGE}/{world.anna.id}/schedule"
    shorter = week(world.branch.id, thursday={"end": "11:00"})
    held = post_form(browser, url, url, shorter)
    assert held.status_code == 409
    html = held.get_data(as_text=True)
    assert "1 booked meeting would fall outside this week" in html
    assert "outside the working hours" in html and "Thursday 5 March, 11:00" in html
    db.session.expire_all()
    assert _schedule(world.anna.id)[3].end_time == time(12, 0)

    confirmed = post_form(browser, url, url, shorter | {"keep_meetings": "y"})
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert _schedule(world.anna.id)[3].end_time == time(11, 0)
    kept = db.session.get(Meeting, meeting.id)
    assert kept is not None and kept.status == "Booked"
    assert kept.start_at == datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


def test_the_schedule_editor_speaks_danish(app, world):
    browser = admin_client(app)
    browser.get("/language/da", query_string={"next": "/staff"})
    refresh()  # the tests share one app context, where Flask-Babel keeps the locale it chose
    html = browser.get(f"{PAGE}/{world.anna.id}/schedule").get_data(as_text=True)
    assert "Ugeskema for Anna Andersen" in html and "Ledige tider de næste to uger" in html
    assert "tors. 5. mar." in html and "09.00–12.00" in html and "I filialen" in html


def test_a_joint_meeting_counts_for_the_second_advisor_too(app, world):
    browser = admin_client(app)
    start = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # Tuesday 10:00 local, led by Bo
    factories.meeting(world.bo, start, additional_employee_ids=[world.anna.id])
    db.session.commit()
    url = f"{PAGE}/{world.anna.id}/schedule"
    held = post_form(browser, url, url, week(world.branch.id, tuesday={"works": None}))
    assert held.status_code == 409
    assert "the advisor would not work that day" in held.get_data(as_text=True)
