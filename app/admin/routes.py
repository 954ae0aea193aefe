"""The admin index: the configuration sections an admin can open."""

from __future__ import annotations

from flask import render_template

from app.admin import bp
from app.admin.nav import available_sections
from app.staff.auth import staff_required


@bp.get("")
@staff_required("admin")
def index() -> str:
    """Every configuration section, with a line on what it holds."""
    return render_template("admin/index.html", sections=available_sections())
