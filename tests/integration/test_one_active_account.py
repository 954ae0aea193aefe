"""The database itself keeps an advisor to one active staff account (a partial unique index on
`users.employee_id` where `disabled_at` is empty, migration 0017), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import User
from tests import factories
from tests.integration.test_claim_buffers_migration import scratch  # noqa: F401

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _account(email: str, employee_id: str, disabled_at: datetime | None = None) -> None:
    db.session.execute(
        insert(User).values(
            id=email, email=email, employee_id=employee_id, created_at=NOW, disabled_at=disabled_at
        )
    )


def test_a_second_active_account_for_one_advisor_fails_at_the_database(app):
    advisor = factories.employee()
    db.session.commit()
    _account("old@bank.test", advisor.id, disabled_at=NOW)
    _account("new@bank.test", advisor.id)  # a disabled one does not count
    _account("admin@bank.test", None)  # type: ignore[arg-type]
    _account("admin2@bank.test", None)  # type: ignore[arg-type]  # nor do accounts of no advisor
    db.session.commit()
    with pytest.raises(IntegrityError):
        _account("twice@bank.test", advisor.id)
    db.session.rollback()
    with pytest.raises(IntegrityError):  # nor by enabling the old one again
        db.session.execute(
            User.__table__.update().where(User.id == "old@bank.test").values(disabled_at=None)
        )
    db.session.rollback()


def test_the_migration_adds_the_index_and_takes_it_away(scratch):  # noqa: F811
    def indexes() -> set[str]:
        return {i["name"] for i in inspect(db.engine).get_indexes("users")}

    assert "uq_users_active_employee" in indexes()
    downgrade(revision="0016")
    assert "uq_users_active_employee" not in indexes()
    upgrade()
    assert "uq_users_active_employee" in indexes()


def test_a_race_past_the_check_is_refused_like_the_check(app, monkeypatch):
    from app.booking.errors import InvalidRequest
    from app.configuration import accounts

    advisor = factories.employee()
    db.session.commit()
    accounts.create_staff_user(
        "first@bank.test", "long enough password", now=NOW, employee_id=advisor.id
    )
    monkeypatch.setattr(
        accounts, "_check_advisor_free", lambda *args: None
    )  # the other admin's view
    with pytest.raises(InvalidRequest, match="already has an active staff account"):
        accounts.create_staff_user(
            "second@bank.test", "long enough password", now=NOW, employee_id=advisor.id
        )
    assert accounts.find_staff_user("second@bank.test") is None
