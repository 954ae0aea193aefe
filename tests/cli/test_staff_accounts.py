"""`set-password`, `disable-user`, `enable-user`, and the demo's staff accounts, as a shell runs them."""

from __future__ import annotations

from sqlalchemy import select

from app.configuration.accounts import create_staff_user
from app.extensions import db
from app.models import User
from app.staff.auth import authenticate
from app.staff.passwords import verify


def _account(clock) -> User:  # type: ignore[no-untyped-def]
    return create_staff_user("ida@nordbank.example", "first password", now=clock.now)


def test_set_password_replaces_the_hash_with_a_new_argon2_one(runner, app, clock):
    user = _account(clock)
    old = user.password_hash
    result = runner.invoke(
        args=["bookme", "set-password", "IDA@nordbank.example", "--password-stdin"],
        input="second password\n",
    )
    assert result.exit_code == 0, result.output
    assert "second password" not in result.output
    db.session.refresh(user)
    assert user.password_hash != old and user.password_hash.startswith("$argon2id$")
    assert verify(user.password_hash, "second password").ok
    assert not verify(user.password_hash, "first password").ok


def test_set_password_refuses_a_short_password_and_an_unknown_account(runner, app, clock):
    _account(clock)
    short = runner.invoke(
        args=["bookme", "set-password", "ida@nordbank.example", "--password-stdin"], input="x\n"
    )
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    unknown = runner.invoke(
        args=["bookme", "set-password", "nobody@nordbank.example", "--password-stdin"],
        input="long enough\n",
    )
    assert unknown.exit_code != 0 and "not found" in unknown.output


def test_disable_user_stops_sign_in_and_enable_user_allows_it_again(runner, app, clock):
    _account(clock)
    result = runner.invoke(args=["bookme", "disable-user", "ida@nordbank.example"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.disabled_at == clock.now
    assert authenticate("ida@nordbank.example", "first password") is None
    assert runner.invoke(args=["bookme", "enable-user", "ida@nordbank.example"]).exit_code == 0
    db.session.refresh(user)
    assert user.disabled_at is None
    assert authenticate("ida@nordbank.example", "first password") is not None


def test_disable_user_names_an_unknown_account(runner, app):
    result = runner.invoke(args=["bookme", "disable-user", "nobody@nordbank.example"])
    assert result.exit_code != 0 and "nobody@nordbank.example" in result.output


def test_seed_demo_creates_the_demo_advisor_and_admin(runner, app):
    from app.demo.staff import DEMO_ADMIN, DEMO_ADVISOR

    result = runner.invoke(args=["bookme", "seed-demo"])
    assert result.exit_code == 0, result.output
    advisor = authenticate(DEMO_ADVISOR.email, DEMO_ADVISOR.password)
    admin = authenticate(DEMO_ADMIN.email, DEMO_ADMIN.password)
    assert advisor is not None and advisor.employee is not None and not advisor.is_admin
    assert advisor.employee.display_name == "Mette Frederiksen"
    assert admin is not None and admin.is_admin and admin.employee_id is None
    assert "demo-only" in result.output


def test_reset_mfa_clears_the_secret_and_the_recovery_codes(runner, app, clock):
    from app.staff import mfa

    user = _account(clock)
    secret = mfa.new_secret()
    mfa.start_enrolment(user, secret)
    mfa.confirm_enrolment(user, mfa.totp(secret).at(clock.now), now=clock.now)
    result = runner.invoke(args=["bookme", "reset-mfa", "IDA@nordbank.example"])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.mfa_secret is None and user.mfa_enabled_at is None
    assert user.mfa_recovery_codes is None and user.mfa_last_step is None
    unknown = runner.invoke(args=["bookme", "reset-mfa", "nobody@nordbank.example"])
    assert unknown.exit_code != 0
