"""The staff sign-in form (flask-wtf: the POST carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


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
