"""Security headers for every response: a strict Content-Security-Policy with no inline script,
HSTS when the app is configured for https, no caching of personal data; and the session cookie's
`__Host-` name when it is Secure."""

from __future__ import annotations

from flask import Flask, Response, current_app
from flask.sessions import SecureCookieSessionInterface

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Private links carry a secret in the path: never leak it to another site.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


HSTS = "max-age=31536000"
# Answers that carry personal data are kept by no cache: pages, and calendar files (names, e-mails).
NO_STORE = {"text/html": "no-store", "text/calendar": "private, no-store"}


def add_security_headers(response: Response) -> Response:
    """Set the headers unless a view chose its own; pages with personal data are not cached."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    # From the configuration, never from the request: X-Forwarded-Proto can be missing or forged.
    if current_app.config.get("BOOKME_HTTPS"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype in NO_STORE:
        response.headers.setdefault("Cache-Control", NO_STORE[response.mimetype])
    return response


HOST_PREFIX = "__Host-"


class HostOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, named `__Host-session` when the cookie is Secure.

    Browsers accept a `__Host-` cookie only from this very host, over https, without `Domain` and
    with `Path=/`: a sibling subdomain (or a man in the middle on plain http) can then no longer
    plant its own session cookie in a customer's browser. Without Secure (`BOOKME_INSECURE_COOKIES`
    for plain http on loopback) or with a path or domain of its own, the name stays as configured,
    since browsers would refuse the prefixed cookie altogether.
    """

    def get_cookie_name(self, app: Flask) -> str:
        name = super().get_cookie_name(app)
        host_only = self.get_cookie_domain(app) is None and self.get_cookie_path(app) == "/"
        if self.get_cookie_secure(app) and host_only and not name.startswith(HOST_PREFIX):
            return HOST_PREFIX + name
        return name


def init_security(app: Flask) -> None:
    """Install the headers on every response and the session cookie's `__Host-` name."""
    app.after_request(add_security_headers)
    app.session_interface = HostOnlySessionInterface()
