"""Flask commands: `flask --app wsgi bookme ...`."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

bookme_cli = AppGroup("bookme", help="BookMe administration commands.")


def needs_schema(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn "no such table" from an unmigrated database into advice instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (OperationalError, ProgrammingError) as exc:
            text = str(exc.orig).lower()
            if "no such table" in text or "does not exist" in text:
                raise click.ClickException(
                    "the database has no BookMe tables yet: run `bookme init-db` first"
                ) from None
            raise

    return wrapper


@bookme_cli.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (migrations to head)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("database is at the newest migration")


@bookme_cli.command("seed-demo")
@needs_schema
def seed_demo() -> None:
    """Load the Nordbank demo data into an empty database (does nothing when there is data)."""
    from app import clock
    from app.demo import has_configuration, load_demo

    if has_configuration():
        click.echo("the database already has configuration; demo data not loaded")
        return
    from app.demo.staff import DEMO_ACCOUNTS, create_demo_staff

    summary = load_demo(clock.now())
    click.echo("demo data loaded: " + ", ".join(f"{n} {what}" for what, n in summary.items()))
    create_demo_staff(clock.now())
    for account in DEMO_ACCOUNTS:
        click.echo(f"demo-only {account.role} sign-in: {account.email} / {account.password}")
    click.echo("the admin sets up two-step sign-in (an authenticator app) at its first sign-in")


@bookme_cli.command("create-client")
@click.argument("name")
@click.option("--scope", default="bookme.read", show_default=True, help="Space-separated scopes.")
@needs_schema
def create_client(name: str, scope: str) -> None:
    """Register an API client; prints its id and secret (shown only this once) as JSON."""
    from app.api.clients import register_client
    from app.booking.errors import DomainError

    try:
        credentials = register_client(name, scope)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(json.dumps(credentials))


@bookme_cli.command("create-advisor")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--employee-id", default=None, help="The advisor (employee) this account acts as.")
@click.option("--admin", is_flag=True, help="May change the configuration.")
@needs_schema
def create_advisor(email: str, password_stdin: bool, employee_id: str | None, admin: bool) -> None:
    """Create a staff account for the advisor pages (password hashed with Argon2)."""
    from app import clock
    from app.booking.errors import DomainError
    from app.configuration.accounts import create_staff_user

    password = _read_password(password_stdin)
    try:
        user = create_staff_user(
            email, password, now=clock.now(), employee_id=employee_id, admin=admin
        )
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created {'admin ' if admin else ''}account {user.email} ({user.id})")


def _read_password(from_stdin: bool) -> str:
    """A password from standard input (one line) or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@bookme_cli.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@needs_schema
def set_password(email: str, password_stdin: bool) -> None:
    """Give a staff account a new password (hashed with Argon2)."""
    from app.booking.errors import DomainError
    from app.configuration.accounts import set_password as store_password

    password = _read_password(password_stdin)
    try:
        user = store_password(email, password)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"new password set for {user.email}")


def _set_disabled(email: str, disabled: bool) -> None:
    from app import clock
    from app.booking.errors import DomainError
    from app.configuration.accounts import set_disabled

    try:
        user = set_disabled(email, disabled, now=clock.now())
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{'disabled' if disabled else 'enabled'} account {user.email}")


@bookme_cli.command("disable-user")
@click.argument("email")
@needs_schema
def disable_user(email: str) -> None:
    """Disable a staff account: it cannot sign in, and its open sessions end."""
    _set_disabled(email, True)


@bookme_cli.command("enable-user")
@click.argument("email")
@needs_schema
def enable_user(email: str) -> None:
    """Enable a disabled staff account again."""
    _set_disabled(email, False)


@bookme_cli.command("reset-mfa")
@click.argument("email")
@needs_schema
def reset_mfa(email: str) -> None:
    """Forget an account's second factor (lost phone): it enrols again at sign-in if required."""
    from app.booking.errors import DomainError
    from app.configuration.accounts import reset_second_factor

    try:
        user = reset_second_factor(email)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"two-step sign-in reset for {user.email}")


@bookme_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@needs_schema
def import_configuration(path: str) -> None:
    """Validate a JSON or YAML configuration file; write all of it, or nothing on any problem."""
    from app.audit import Actor, acting
    from app.configuration import ConfigurationError, import_file

    try:
        with acting(Actor("cli", None, "bookme import", "import")):
            report = import_file(path)
    except ConfigurationError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(exc.problems)} problem(s) found in {path}; nothing was written"
        ) from None
    click.echo(f"imported {path}" + ("" if report.changed else " (nothing changed)"))
    for line in report.lines():
        click.echo("  " + line)


@bookme_cli.command("purge-expired")
def purge_expired_holds() -> None:
    """Delete expired reservations' claims and mark those reservations Expired; delete old drafts."""
    from app import clock
    from app.booking.reservations import purge_expired
    from app.wizard.drafts import purge_drafts
    from app.wizard.repeats import purge_repeats

    now = clock.now()
    count = purge_expired(now)
    click.echo(f"purged {count} expired reservation(s)")
    click.echo(f"purged {purge_drafts(now)} wizard draft(s)")
    purge_repeats(now)


@bookme_cli.command("export")
@click.argument("path", default="-")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default=None)
@needs_schema
def export_configuration(path: str, fmt: str | None) -> None:
    """Write the stored configuration as an import file (YAML, or JSON for `.json`); `-` = stdout."""
    from app.configuration.export import dump, export_configuration

    fmt = fmt or ("json" if path.lower().endswith(".json") else "yaml")
    text = dump(export_configuration(), fmt)
    if path == "-":
        click.echo(text, nl=False)
        return
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    click.echo(f"wrote {path}")


from app.notifications import commands as _notification_commands  # noqa: E402,F401  (registers them)
