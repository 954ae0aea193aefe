"""Where e-mails go: the bank's SMTP server, or (development only) a maildir.

A transport is a context manager whose `send(message)` raises on failure; it keeps one SMTP
connection for a worker's pass and opens a fresh one after any failure.
"""

from __future__ import annotations

import mailbox
import os
import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Protocol

from flask import current_app

DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}


class Transport(Protocol):
    """Sends e-mails; used as a context manager around one pass of the worker."""

    def __enter__(self) -> Transport: ...
    def __exit__(self, *exc: Any) -> None: ...
    def send(self, message: EmailMessage) -> None: ...


class Unreachable(ConnectionError):
    """The mail server could not be reached: no use trying the pass's other messages now."""


class SmtpTransport:
    """The bank's mail server, with the security the settings ask for."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.host = str(config["BOOKME_SMTP_HOST"])
        self.security = str(config["BOOKME_SMTP_SECURITY"]).lower()
        if self.security not in DEFAULT_PORTS:
            raise ValueError("BOOKME_SMTP_SECURITY must be none, starttls or tls")
        self.port = int(config["BOOKME_SMTP_PORT"] or DEFAULT_PORTS[self.security])
        self.user = config.get("BOOKME_SMTP_USER")
        self.password = config.get("BOOKME_SMTP_PASSWORD")
        self.timeout = float(config["BOOKME_SMTP_TIMEOUT_SECONDS"])
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._close()

    def send(self, message: EmailMessage) -> None:
        """Send one message; a failure closes the connection so the next message starts afresh."""
        try:
            self._connection().send_message(message)
        except BaseException:
            self._close(quit_politely=False)
            raise

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                if self.security == "tls":
                    context = ssl.create_default_context()
                    smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                        self.host, self.port, timeout=self.timeout, context=context
                    )
                else:
                    smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            except (OSError, smtplib.SMTPConnectError) as exc:
                raise Unreachable(type(exc).__name__) from exc
            if self.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            self._smtp = smtp
        return self._smtp

    def _close(self, *, quit_politely: bool = True) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit() if quit_politely else smtp.close()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class MaildirTransport:
    """Development: every e-mail lands in a maildir (instance/mail) that any mail reader opens."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> MaildirTransport:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        """File the message in the maildir."""
        mailbox.Maildir(self.path, create=True).add(message)


class NoTransport(RuntimeError):
    """Neither a mail server nor a development maildir is configured."""


def configured_transport() -> Transport:
    """SMTP when BOOKME_SMTP_HOST is set, else the maildir BOOKME_MAIL_DIR names (development).

    Neither: `NoTransport`, so a forgotten setting stops the worker instead of losing mail."""
    config = current_app.config
    if config.get("BOOKME_SMTP_HOST"):
        return SmtpTransport(config)
    if config.get("BOOKME_MAIL_DIR"):
        return MaildirTransport(os.path.join(current_app.instance_path, config["BOOKME_MAIL_DIR"]))
    raise NoTransport("set BOOKME_SMTP_HOST (or BOOKME_MAIL_DIR for development)")
