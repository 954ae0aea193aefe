"""Configuration: defaults, environment variables, `instance/config.py`, then the test mapping."""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask

from app.booking.constants import DEFAULT_TIME_ZONE

PG_CONNECT_TIMEOUT_SECONDS = 5
# Pooled connections older than this are replaced: a firewall or proxy between the app and
# PostgreSQL may silently cut idle connections after some tens of minutes.
PG_POOL_RECYCLE_SECONDS = 1800


def _secret_key(app: Flask) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(path):
        os.makedirs(app.instance_path, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_urlsafe(48))
        os.chmod(path, 0o600)
    with open(path, encoding="utf-8") as fh:
        return fh.read().strip()


def _https_default(env: os._Environ[str], issuer: str) -> bool:
    """Served over https: `BOOKME_HTTPS` (1/true/yes/on, else off) when set, else whether the
    public URL (issuer) is https."""
    if "BOOKME_HTTPS" in env:
        return env["BOOKME_HTTPS"].strip().lower() in ("1", "true", "yes", "on")
    return issuer.startswith("https://")


SMTP_SECURITY = ("none", "starttls", "tls")


def _notification_settings(env: os._Environ[str]) -> dict[str, Any]:
    """The outbox worker and its mail server (docs/notifications.md)."""
    return {
        # Where the private links in e-mails point (unset: BOOKME_ISSUER).
        "BOOKME_PUBLIC_URL": env.get("BOOKME_PUBLIC_URL"),
        # Unset host: the worker refuses to start (messages wait in the outbox) unless
        # BOOKME_MAIL_DIR names a development maildir (relative paths: under instance/).
        "BOOKME_SMTP_HOST": env.get("BOOKME_SMTP_HOST"),
        "BOOKME_SMTP_PORT": int(env["BOOKME_SMTP_PORT"]) if env.get("BOOKME_SMTP_PORT") else None,
        "BOOKME_SMTP_SECURITY": env.get("BOOKME_SMTP_SECURITY", "starttls"),
        "BOOKME_SMTP_USER": env.get("BOOKME_SMTP_USER"),
        "BOOKME_SMTP_PASSWORD": env.get("BOOKME_SMTP_PASSWORD"),
        "BOOKME_SMTP_SENDER": env.get("BOOKME_SMTP_SENDER", "bookme@localhost"),
        "BOOKME_MAIL_DIR": env.get("BOOKME_MAIL_DIR"),
        # Development only (make run): /dev/mail shows the maildir's e-mails to anyone.
        "BOOKME_DEV_MAIL_PAGE": env.get("BOOKME_DEV_MAIL_PAGE") == "1",
        "BOOKME_SMTP_TIMEOUT_SECONDS": float(env.get("BOOKME_SMTP_TIMEOUT_SECONDS", "30")),
        # The language of a message whose meeting records none (API bookings).
        "BOOKME_MAIL_LOCALE": env.get("BOOKME_MAIL_LOCALE", "da"),
        "BOOKME_OUTBOX_MAX_ATTEMPTS": int(env.get("BOOKME_OUTBOX_MAX_ATTEMPTS", "10")),
        "BOOKME_OUTBOX_BACKOFF_BASE_SECONDS": float(
            env.get("BOOKME_OUTBOX_BACKOFF_BASE_SECONDS", "30")
        ),
        "BOOKME_OUTBOX_BACKOFF_MAX_SECONDS": float(
            env.get("BOOKME_OUTBOX_BACKOFF_MAX_SECONDS", "3600")
        ),
        # A claimed message returns to the queue this long after its worker stopped answering.
        "BOOKME_OUTBOX_LEASE_SECONDS": float(env.get("BOOKME_OUTBOX_LEASE_SECONDS", "300")),
        "BOOKME_OUTBOX_BATCH": int(env.get("BOOKME_OUTBOX_BATCH", "20")),
        "BOOKME_WORKER_POLL_SECONDS": float(env.get("BOOKME_WORKER_POLL_SECONDS", "5")),
        "BOOKME_WEBHOOK_TIMEOUT_SECONDS": float(env.get("BOOKME_WEBHOOK_TIMEOUT_SECONDS", "10")),
        # Webhooks to loopback, private and link-local addresses (app/notifications/destinations.py).
        "BOOKME_WEBHOOK_ALLOW_PRIVATE": env.get("BOOKME_WEBHOOK_ALLOW_PRIVATE") == "1",
        # The worker's periodic jobs (app/notifications/jobs.py) and the reminder's lead.
        "BOOKME_REMINDER_HOURS": float(env.get("BOOKME_REMINDER_HOURS", "24")),
        "BOOKME_REMINDER_INTERVAL_SECONDS": float(
            env.get("BOOKME_REMINDER_INTERVAL_SECONDS", "60")
        ),
        "BOOKME_PURGE_INTERVAL_SECONDS": float(env.get("BOOKME_PURGE_INTERVAL_SECONDS", "300")),
    }


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill `app.config` in the documented order of precedence."""
    env = os.environ
    default_db = "sqlite:///" + os.path.join(app.instance_path, "bookme.db")
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=env.get("BOOKME_DATABASE_URL", default_db),
        # a failed statement's parameters (a customer's name, e-mail, phone) never reach the logs
        SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True},
        BOOKME_TIMEZONE=env.get("BOOKME_TIMEZONE", DEFAULT_TIME_ZONE),
        BOOKME_ISSUER=env.get("BOOKME_ISSUER", "http://127.0.0.1:5000"),
        BOOKME_AUDIENCE=env.get("BOOKME_AUDIENCE", "bookme-api"),
        BOOKME_TOKEN_LIFETIME=int(env.get("BOOKME_TOKEN_LIFETIME", "3600")),
        BOOKME_RATELIMIT_STORAGE=env.get("BOOKME_RATELIMIT_STORAGE", "memory://"),
        BOOKME_RATELIMIT_KEY_PREFIX=env.get("BOOKME_RATELIMIT_KEY_PREFIX", "bookme"),
        BOOKME_OIDC_ISSUER=env.get("BOOKME_OIDC_ISSUER"),
        BOOKME_OIDC_AUDIENCE=env.get("BOOKME_OIDC_AUDIENCE"),
        BOOKME_OIDC_JWKS_URL=env.get("BOOKME_OIDC_JWKS_URL"),
        # Staff single sign-on (app/staff/sso.py): on when issuer, client id and secret are set.
        BOOKME_STAFF_SSO_ISSUER=env.get("BOOKME_STAFF_SSO_ISSUER"),
        BOOKME_STAFF_SSO_CLIENT_ID=env.get("BOOKME_STAFF_SSO_CLIENT_ID"),
        BOOKME_STAFF_SSO_CLIENT_SECRET=env.get("BOOKME_STAFF_SSO_CLIENT_SECRET"),
        BOOKME_STAFF_SSO_NAME=env.get("BOOKME_STAFF_SSO_NAME", "single sign-on"),
        BOOKME_STAFF_SSO_SCOPE=env.get("BOOKME_STAFF_SSO_SCOPE", "openid email"),
        BOOKME_STAFF_SSO_ROLES_CLAIM=env.get("BOOKME_STAFF_SSO_ROLES_CLAIM", "roles"),
        BOOKME_STAFF_SSO_ADMIN_ROLE=env.get("BOOKME_STAFF_SSO_ADMIN_ROLE"),
        BOOKME_PROXY_HOPS=int(env.get("BOOKME_PROXY_HOPS", "0")),
        BOOKME_MAX_LIVE_HOLDS_PER_CLIENT=int(env.get("BOOKME_MAX_LIVE_HOLDS_PER_CLIENT", "500")),
        BOOKME_MAX_LIVE_HOLDS_PER_STAFF=int(env.get("BOOKME_MAX_LIVE_HOLDS_PER_STAFF", "5")),
        # Staff sessions (app/staff/auth.py) and sign-in limits (app/staff/routes.py).
        BOOKME_STAFF_IDLE_MINUTES=float(env.get("BOOKME_STAFF_IDLE_MINUTES", "30")),
        BOOKME_STAFF_MAX_HOURS=float(env.get("BOOKME_STAFF_MAX_HOURS", "12")),
        # The second factor: how long the code step waits after the password, and its limit.
        BOOKME_MFA_PENDING_MINUTES=float(env.get("BOOKME_MFA_PENDING_MINUTES", "5")),
        BOOKME_MFA_ACCOUNT_LIMIT=env.get("BOOKME_MFA_ACCOUNT_LIMIT", "5 per 15 minutes"),
        BOOKME_LOGIN_ACCOUNT_LIMIT=env.get("BOOKME_LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes"),
        BOOKME_LOGIN_ADDRESS_LIMIT=env.get("BOOKME_LOGIN_ADDRESS_LIMIT", "20 per 15 minutes"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=env.get("BOOKME_INSECURE_COOKIES") != "1",
        JSON_SORT_KEYS=False,
        # A larger body is a 413 before it is read (see app/request_guard.py).
        MAX_CONTENT_LENGTH=int(env.get("BOOKME_MAX_CONTENT_LENGTH", str(1024 * 1024))),
        # Operations (app/ops, docs/operations.md): log format and level, the /metrics token.
        BOOKME_LOG_FORMAT=env.get("BOOKME_LOG_FORMAT", "json"),
        BOOKME_LOG_LEVEL=env.get("BOOKME_LOG_LEVEL", "INFO"),
        BOOKME_METRICS_TOKEN=env.get("BOOKME_METRICS_TOKEN"),
        # The join link of a video meeting, e.g. https://meet.bank.example/{meeting_id}
        BOOKME_VIDEO_LINK_TEMPLATE=env.get("BOOKME_VIDEO_LINK_TEMPLATE"),
    )
    app.config.from_mapping(_notification_settings(env))
    for limit in ("BOOKME_HOLD_RATE_LIMIT", "BOOKME_TOKEN_RATE_LIMIT"):  # defaults: by their routes
        if env.get(limit):
            app.config[limit] = env[limit]
    app.config.from_pyfile("config.py", silent=True)
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config.get("BOOKME_HTTPS") is None:
        app.config["BOOKME_HTTPS"] = _https_default(env, app.config["BOOKME_ISSUER"])
    if not app.config.get("BOOKME_PUBLIC_URL"):
        app.config["BOOKME_PUBLIC_URL"] = app.config["BOOKME_ISSUER"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            "postgresql+psycopg://" + uri[len("postgresql://") :]
        )
    if uri.startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _postgres_engine_options(
            app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        )


def _postgres_engine_options(options: dict[str, Any]) -> dict[str, Any]:
    """Survive a server restart: test pooled connections before use (a dropped one is replaced,
    not a failed request), replace old ones, and give up connecting after a few seconds (then the
    answer is 503)."""
    connect_args = {
        "connect_timeout": PG_CONNECT_TIMEOUT_SECONDS,
        **options.get("connect_args", {}),
    }
    return {
        "pool_pre_ping": True,
        "pool_recycle": PG_POOL_RECYCLE_SECONDS,
        **options,
        "connect_args": connect_args,
    }
