"""Staff single sign-on through OpenID Connect (authlib's Flask client, authorization code with PKCE).

On only when `BOOKME_STAFF_SSO_ISSUER`, `_CLIENT_ID` and `_CLIENT_SECRET` are set (apart from the
API's `BOOKME_OIDC_*` token issuer). The provider vouches for an e-mail; the account must already
exist here and be active: no self-registration.
"""

from __future__ import annotations

import logging
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from app.configuration.accounts import find_staff_user
from app.extensions import db
from app.models import User

EXTENSION = "bookme_staff_sso"
log = logging.getLogger(__name__)


def is_configured(app: Flask) -> bool:
    """Whether the staff sign-on settings are all there."""
    config = app.config
    return all(
        config.get(name)
        for name in (
            "BOOKME_STAFF_SSO_ISSUER",
            "BOOKME_STAFF_SSO_CLIENT_ID",
            "BOOKME_STAFF_SSO_CLIENT_SECRET",
        )
    )


def init_sso(app: Flask) -> None:
    """Register the provider from its discovery document (read at the first sign-in, not now)."""
    if not is_configured(app):
        return
    config = app.config
    oauth = OAuth(app)  # one registry per app: tests build many apps with different providers
    oauth.register(
        "staff",
        client_id=config["BOOKME_STAFF_SSO_CLIENT_ID"],
        client_secret=config["BOOKME_STAFF_SSO_CLIENT_SECRET"],
        server_metadata_url=config["BOOKME_STAFF_SSO_ISSUER"].rstrip("/")
        + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": config["BOOKME_STAFF_SSO_SCOPE"],
            "code_challenge_method": "S256",
            "timeout": 10,
        },
    )
    app.extensions[EXTENSION] = oauth


def client() -> Any:
    """The registered provider client of the current app (None when sign-on is off)."""
    oauth = current_app.extensions.get(EXTENSION)
    return None if oauth is None else oauth.create_client("staff")


def account_for(claims: dict[str, Any]) -> User | None:
    """The active account whose e-mail the provider verified, else None (one answer for all)."""
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip() or claims.get("email_verified") is not True:
        return None
    user = find_staff_user(email)
    if user is None or not user.is_active:
        return None
    return user


def grants_admin(claims: dict[str, Any]) -> bool:
    """Whether the roles claim holds the configured admin role (never true when none is set)."""
    role = current_app.config.get("BOOKME_STAFF_SSO_ADMIN_ROLE")
    roles = claims.get(current_app.config["BOOKME_STAFF_SSO_ROLES_CLAIM"])
    if not role or roles is None:
        return False
    if isinstance(roles, str):
        roles = roles.split()
    return isinstance(roles, list) and role in roles


def apply_roles(user: User, claims: dict[str, Any]) -> None:
    """Make the account admin when the provider says so; the provider only grants, never revokes."""
    if grants_admin(claims) and not user.is_admin:
        user.is_admin = True
        db.session.commit()
        log.warning("staff sign-on made account %s admin (the provider's roles claim)", user.id)
