"""Staff single sign-on pages: GET /login/sso starts at the provider, GET /login/sso/callback ends."""

from __future__ import annotations

import logging

from authlib.common.errors import AuthlibBaseError
from flask import abort, current_app, redirect, url_for
from requests import RequestException
from werkzeug.wrappers import Response

from app.staff import bp, sso
from app.staff.auth import sign_in

log = logging.getLogger(__name__)


@bp.context_processor
def sso_button() -> dict[str, str | None]:
    """The provider's name for the "Sign in with ..." button, None when sign-on is off."""
    on = sso.is_configured(current_app)
    return {"sso_name": current_app.config["BOOKME_STAFF_SSO_NAME"] if on else None}


@bp.get("/login/sso")
def login_sso() -> Response:
    """Send the browser to the provider (state, nonce and the PKCE verifier kept in the session)."""
    provider = sso.client()
    if provider is None:
        abort(404)
    try:
        return provider.authorize_redirect(url_for("staff.login_sso_callback", _external=True))
    except (AuthlibBaseError, RequestException, ValueError) as error:
        log.warning("staff sign-on could not start: %s", type(error).__name__)
        return redirect(url_for("staff.login", sso="failed"))


@bp.get("/login/sso/callback")
def login_sso_callback() -> Response:
    """Check state, code (with the verifier) and ID token; sign in the account with that e-mail."""
    provider = sso.client()
    if provider is None:
        abort(404)
    try:
        token = provider.authorize_access_token()
    except (AuthlibBaseError, RequestException, ValueError, KeyError) as error:
        # the provider's refusal (access_denied), a wrong or missing state, a bad token
        log.info("staff sign-on failed: %s", type(error).__name__)
        return redirect(url_for("staff.login", sso="failed"))
    claims = dict(token.get("userinfo") or {})
    user = sso.account_for(claims)
    if user is None:
        return redirect(url_for("staff.login", sso="refused"))
    sso.apply_roles(user, claims)
    sign_in(user, via="sso")
    return redirect(url_for("staff.home"))
