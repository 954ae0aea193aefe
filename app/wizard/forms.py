"""The wizard's forms (flask-wtf: every POST carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.booking.contact import is_email

PHONE = r"^\+?[0-9 ()\-]{6,20}$"


def _email(form: FlaskForm, field: EmailField) -> None:
    """A plausible e-mail address (the advisor writes to it, so the shape is all we check)."""
    if field.data and not is_email(field.data):
        raise ValidationError(_l("Enter an e-mail address like name@example.com."))


class DetailsForm(FlaskForm):
    """Step 4: who the meeting is with and how to reach them."""

    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=200), _email],
        render_kw={"autocomplete": "email"},
    )
    phone = TelField(
        _l("Phone"),
        validators=[
            DataRequired(_l("Enter your phone number.")),
            Regexp(PHONE, message=_l("Enter a phone number, for example +45 12 34 56 78.")),
        ],
        render_kw={"autocomplete": "tel"},
    )
    customer_number = StringField(
        _l("Customer number (optional)"),
        validators=[Optional(), Length(max=100)],
    )
    note = TextAreaField(
        _l("Note for your advisor (optional)"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Keep the note under 1000 characters.")),
        ],
    )
    consent = BooleanField(
        _l("I agree that the bank may use these details to arrange and hold the meeting."),
        validators=[DataRequired(_l("Tick the box to let us use your details for the meeting."))],
    )


class OffSiteDetailsForm(DetailsForm):
    """Step 4 for a meeting at the customer's place: also where, and how to get in."""

    address = StringField(
        _l("Address for the meeting"),
        validators=[DataRequired(_l("Enter the address where we should meet.")), Length(max=400)],
        render_kw={"autocomplete": "street-address"},
    )
    address_note = StringField(
        _l("Directions (optional)"),
        validators=[Optional(), Length(max=400)],
    )


def details_form_class(meeting_type: str | None) -> type[DetailsForm]:
    """The details form for the meeting type: an OffSite meeting needs an address."""
    return OffSiteDetailsForm if meeting_type == "OffSite" else DetailsForm


class ConfirmForm(FlaskForm):
    """Step 5: one button (the form exists for its CSRF token)."""


class CancelForm(FlaskForm):
    """Cancelling from the private link (a POST, never a GET)."""
