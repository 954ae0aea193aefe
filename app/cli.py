"""Flask commands: `flask --app wsgi bookme ...`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

bookme_cli = AppGroup("bookme", help="BookMe administration commands.")


@bookme_cli.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (migrations to head)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("database is at the newest migration")
