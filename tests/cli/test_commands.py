"""`create-client`, `create-advisor` and `seed-demo` as a shell would run them."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.api.clients import verify_secret
from app.extensions import db
from app.models import ApiClient, Employee, Meeting, User
from app.staff.passwords import verify
from tests import factories


def test_create_client_prints_only_the_credentials_as_one_line_of_json(runner, app):
    result = runner.invoke(
        args=["bookme", "create-client", "Netbank", "--scope", "bookme.read bookme.book"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    credentials = json.loads(lines[0])
    assert set(credentials) == {"client_id", "client_secret"}
    row = db.session.scalar(
        select(ApiClient).where(ApiClient.client_id == credentials["client_id"])
    )
    assert row.name == "Netbank" and row.scope == "bookme.read bookme.book"
    assert credentials["client_secret"] not in row.client_secret_hash
    assert verify_secret(credentials["client_secret"], row.client_secret_hash)


def test_create_client_refuses_an_unknown_scope_and_stores_nothing(runner, app):
    result = runner.invoke(
        args=["bookme", "create-client", "Netbank", "--scope", "bookme.read bookme.everything"]
    )
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "bookme.everything" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiClient)) == 0


def test_create_advisor_stores_a_hashed_password_read_from_stdin(runner, app):
    employee = factories.employee()
    db.session.commit()
    result = runner.invoke(
        args=[
            "bookme",
            "create-advisor",
            "Mette@Nordbank.example",
            "--password-stdin",
            "--employee-id",
            employee.id,
            "--admin",
        ],
        input="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "mette@nordbank.example"
    assert user.employee_id == employee.id and user.is_admin
    assert user.password_hash != "correct horse battery"
    assert user.password_hash.startswith("$argon2id$")
    assert verify(user.password_hash, "correct horse battery").ok
    assert "correct horse" not in result.output


def test_create_advisor_is_not_an_admin_unless_asked(runner, app):
    result = runner.invoke(
        args=["bookme", "create-advisor", "ida@nordbank.example", "--password-stdin"],
        input="long enough\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User)).is_admin is False


def test_create_advisor_refuses_a_duplicate_email_a_short_password_and_an_unknown_employee(
    runner, app
):
    args = ["bookme", "create-advisor", "ida@nordbank.example", "--password-stdin"]
    assert runner.invoke(args=args, input="long enough\n").exit_code == 0
    duplicate = runner.invoke(
        args=["bookme", "create-advisor", "IDA@nordbank.example", "--password-stdin"],
        input="long enough\n",
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    short = runner.invoke(
        args=["bookme", "create-advisor", "bo@nordbank.example", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    unknown = runner.invoke(
        args=[
            "bookme",
            "create-advisor",
            "al@nordbank.example",
            "--password-stdin",
            "--employee-id",
            "nope",
        ],
        input="long enough\n",
    )
    assert unknown.exit_code != 0 and "employee 'nope' was not found" in unknown.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_seed_demo_does_nothing_and_says_so_when_the_database_has_configuration(runner, app):
    factories.employee()
    db.session.commit()
    result = runner.invoke(args=["bookme", "seed-demo"])
    assert result.exit_code == 0
    assert "already has configuration" in result.output
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 1
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_commands_on_a_database_without_tables_advise_running_init_db(tmp_path):
    from app import create_app

    blank = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/blank.db",
            "SECRET_KEY": "x",
        }
    )
    result = blank.test_cli_runner().invoke(args=["bookme", "seed-demo"])
    assert result.exit_code == 1
    assert "run `bookme init-db` first" in result.output
