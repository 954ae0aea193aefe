"""The staff pages' forms (flask-wtf: every POST carries a CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.wizard.forms import PHONE, _email


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    """E-mail and password; whether either is wrong is never told apart."""

    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=200)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (the rules are the account service's)."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    repeated = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Enter the new password again.")), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app (or, at sign-in, a recovery code)."""

    code = StringField(
        _l("One-time code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
            "autocapitalize": "off",
        },
    )


class CancelMeetingForm(FlaskForm):
    """Cancelling a meeting from My meetings: the reason is required (the customer is told)."""

    reason = StringField(
        _l("Reason for cancelling"),
        validators=[DataRequired(_l("Enter a reason for cancelling.")), Length(max=500)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class CustomerSearchForm(FlaskForm):
    """Find a known customer: one text matched against number, name, e-mail and phone (a POST:
    the text may be a name or an e-mail, which must not go into a URL)."""

    q = StringField(
        _l("Customer number, name, e-mail or phone"),
        validators=[Length(max=200)],
        filters=[_strip],
        render_kw={"autocomplete": "off", "spellcheck": "false", "type": "search"},
    )


class NewCustomerForm(FlaskForm):
    """A customer the bank does not know here yet (they are remembered when the meeting is booked)."""

    customer_number = StringField(
        _l("Customer number (optional)"),
        validators=[Optional(), Length(max=100)],
        filters=[_strip],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter the customer's name.")), Length(max=200)],
        filters=[_strip],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), Length(max=200), _email],
        filters=[_strip],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Phone (optional)"),
        validators=[
            Optional(),
            Regexp(PHONE, message=_l("Enter a phone number, for example +45 12 34 56 78.")),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "off"},
    )


class MeetingChoicesForm(FlaskForm):
    """What the meeting is: the choices are filled from the configuration by the view."""

    topic = SelectField(_l("Topic"), validators=[DataRequired(_l("Choose a topic."))])
    customer_type = SelectField(_l("Customer type"), validators=[Optional()])
    meeting_type = SelectField(
        _l("Meeting type"), validators=[DataRequired(_l("Choose how to meet."))]
    )
    location = SelectField(_l("Branch"), validators=[Optional()])
    area = StringField(
        _l("Customer's area (optional)"),
        validators=[Optional(), Length(max=100)],
        filters=[_strip],
    )
    advisors = SelectMultipleField(
        _l("Advisors"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    room = SelectField(_l("Room"), validators=[DataRequired()])
    ignore_notice = BooleanField(_l("Ignore the minimum notice"))


class BookForCustomerForm(FlaskForm):
    """Confirm the booking, or start again (the forms exist for their CSRF token)."""
