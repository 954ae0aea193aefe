"""The admin pages' answer to a form without a valid CSRF token: the CSRF check runs before the
view's `staff_required("admin")`, so the guard answers first (sign-in, enrolment or 403), and only
an admin is told the form had expired (400)."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_wtf.csrf import CSRFError

from app.admin import bp
from app.staff.auth import refusal


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> Any:
    """Who asks first, then the expired form."""
    refused = refusal("admin")
    if refused is not None:
        return refused
    return render_template("errors/400.html"), 400
