"""Development only: `/dev/mail` shows the e-mails the worker filed in the maildir (make run).

Registered only when `BOOKME_DEV_MAIL_PAGE` is set, which `make run` does and production never
should: the page shows customers' e-mails to anyone who can reach the server. It is never
registered when a mail server (`BOOKME_SMTP_HOST`) is configured, as every real installation
has, and a warning is logged whenever it is.
"""

from __future__ import annotations

import mailbox
import os
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

from flask import Blueprint, Flask, current_app, render_template

bp = Blueprint("dev_mail", __name__)
SHOWN = 50


@dataclass(frozen=True)
class MailView:
    """One filed e-mail as the page shows it."""

    subject: str
    to: str
    date: str
    text: str
    attachments: tuple[str, ...]


def init_dev_mail(app: Flask) -> None:
    """Add the page when the development maildir and the page are both switched on."""
    config = app.config
    if config.get("BOOKME_SMTP_HOST"):
        return
    if config.get("BOOKME_DEV_MAIL_PAGE") and config.get("BOOKME_MAIL_DIR"):
        app.register_blueprint(bp)
        app.logger.warning("/dev/mail is on: development only, it shows every filed e-mail")


@bp.get("/dev/mail")
def inbox() -> str:
    """The newest e-mails in the development maildir."""
    path = os.path.join(current_app.instance_path, current_app.config["BOOKME_MAIL_DIR"])
    return render_template("dev/mail.html", messages=_newest(path))


def _newest(path: str) -> list[MailView]:
    if not os.path.isdir(os.path.join(path, "cur")):  # no e-mail filed yet
        return []
    box = mailbox.Maildir(path, create=False)
    filed = sorted(box.items(), key=lambda item: item[1].get_date(), reverse=True)[:SHOWN]
    return [_view(message.as_bytes()) for _, message in filed]


def _view(raw: bytes) -> MailView:
    message = message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    return MailView(
        subject=str(message["Subject"] or ""),
        to=str(message["To"] or ""),
        date=str(message["Date"] or ""),
        text=body.get_content() if isinstance(body, EmailMessage) else "",
        attachments=tuple(
            f"{part.get_filename()} ({part.get_content_type()}"
            + (f"; method={part.get_param('method')})" if part.get_param("method") else ")")
            for part in message.iter_attachments()
        ),
    )
