"""The forms of the advisor, API client and staff account pages (flask-wtf: CSRF on every POST).

The forms only carry the fields; the rules are the configuration services' (app/configuration/),
whose problems `show_problems` puts next to the fields they concern."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.api.clients import SCOPES
from app.booking.constants import MEETING_TYPES
from app.configuration.document import Problem
from app.configuration.schema import WEEKDAYS
from app.notifications.endpoints import WEBHOOK_EVENTS

# What staff call the meeting types (the wizard words them for customers: app/wizard/choices.py).
MEETING_TYPE_LABELS = {
    "Physical": _l("At the branch"),
    "Online": _l("Video"),
    "Telephone": _l("Phone"),
    "OffSite": _l("At the customer's"),
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class Checkboxes(SelectMultipleField):
    """Several choices as a list of checkboxes (a fieldset with a legend in the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        """Unknown values are refused by the service, next to the field."""


class AdvisorForm(FlaskForm):
    """An advisor's name, e-mail, home branch, bookability and direct skills."""

    first_name = StringField(_l("First name"), filters=[_strip])
    last_name = StringField(_l("Last name"), filters=[_strip])
    email = EmailField(_l("E-mail"), filters=[_strip], render_kw={"spellcheck": "false"})
    home_location = SelectField(_l("Home branch"), validate_choice=False)
    can_be_booked = BooleanField(_l("Can be booked"))
    topics = Checkboxes(_l("Topics"))
    customer_types = Checkboxes(_l("Customer types"))


class DayForm(Form):
    """One weekday of the schedule editor."""

    works = BooleanField(_l("Works"))
    start = StringField(_l("From"), filters=[_strip], render_kw={"type": "time"})
    end = StringField(_l("To"), filters=[_strip], render_kw={"type": "time"})
    location = SelectField(_l("Place"), validate_choice=False)
    meeting_types = Checkboxes(
        _l("Meeting types"), choices=[(t, MEETING_TYPE_LABELS[t]) for t in MEETING_TYPES]
    )


class ScheduleForm(FlaskForm):
    """The week: one `DayForm` per weekday, and the confirmation that affected meetings stay."""

    monday = FormField(DayForm, _l("Monday"))
    tuesday = FormField(DayForm, _l("Tuesday"))
    wednesday = FormField(DayForm, _l("Wednesday"))
    thursday = FormField(DayForm, _l("Thursday"))
    friday = FormField(DayForm, _l("Friday"))
    saturday = FormField(DayForm, _l("Saturday"))
    sunday = FormField(DayForm, _l("Sunday"))
    keep_meetings = BooleanField(_l("Save anyway: the meetings listed stay as they are"))

    def days(self) -> list[tuple[str, Any]]:
        """(weekday name, its sub-form) from Monday."""
        return [(name, getattr(self, name)) for name in WEEKDAYS]


class BusyTimeForm(FlaskForm):
    """A period the advisor cannot be booked, or works elsewhere."""

    start = StringField(_l("From"), filters=[_strip], render_kw={"type": "datetime-local"})
    end = StringField(_l("To"), filters=[_strip], render_kw={"type": "datetime-local"})
    kind = SelectField(
        _l("Kind"),
        choices=[
            ("absence", _l("Absent")),
            ("external", _l("Busy elsewhere in the calendar")),
            ("elsewhere", _l("Working elsewhere")),
        ],
    )
    note = StringField(_l("Note"), filters=[_strip], validators=[Length(max=400)])


class ApiClientForm(FlaskForm):
    """A new API client: its name and scopes."""

    name = StringField(_l("Name"), filters=[_strip])
    scopes = Checkboxes(_l("Scopes"), choices=list(SCOPES))


class WebhookForm(FlaskForm):
    """A new webhook receiver: a name for people, its URL and the events it wants."""

    name = StringField(_l("Name"), filters=[_strip], validators=[Length(max=200)])
    url = StringField(
        _l("URL"), filters=[_strip], render_kw={"spellcheck": "false", "inputmode": "url"}
    )
    events = Checkboxes(_l("Events"), choices=list(WEBHOOK_EVENTS))


class InviteForm(FlaskForm):
    """A new staff account: e-mail, role and, for an advisor, the advisor it acts as."""

    email = EmailField(
        _l("E-mail"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the e-mail address.")), Length(max=200)],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    role = RadioField(
        _l("Role"),
        choices=[("advisor", _l("Advisor")), ("admin", _l("Administrator"))],
        default="advisor",
    )
    employee_id = SelectField(_l("Advisor"), validate_choice=False, validators=[Optional()])


class RoleForm(FlaskForm):
    """An account's role: administrator and/or the advisor it acts as."""

    admin = BooleanField(_l("Administrator"))
    employee_id = SelectField(_l("Advisor"), validate_choice=False, validators=[Optional()])


class ActionForm(FlaskForm):
    """A button with only a CSRF token (revoke, disable, enable, reset, delete). The token is
    checked by CSRFProtect before any view runs (a failure answers through the admin blueprint's
    CSRFError handler), so the views only render this form, never validate it."""


def show_problems(
    form: Any, problems: Iterable[Problem], fields: Mapping[str, str] | None = None
) -> list[str]:
    """Put each problem next to its field (`fields` maps a problem path to a field path such as
    `monday.start`); the messages no field takes are returned for the page's summary."""
    left = []
    for problem in problems:
        target = _field(form, (fields or {}).get(problem.path, problem.path))
        if target is None:
            left.append(str(problem))
        else:
            target.errors = [*_errors(target), problem.message]
    return left


def _errors(field: Any) -> list[str]:
    return list(field.errors) if isinstance(field.errors, list | tuple) else []


def _field(form: Any, path: str) -> Field | None:
    node = form
    for part in path.split("."):
        node = getattr(node, part, None)  # a FormField hands on to its sub-form's fields
        if node is None:
            return None
    return node if isinstance(node, Field) and not isinstance(node, FormField) else None
