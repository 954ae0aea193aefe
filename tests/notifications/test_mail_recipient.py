"""The recipient's address and name come from customers and API clients: they may carry a
second address, line breaks or markup, and none of it may reach the headers or the HTML."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.notifications.conftest import book, deliver


def _customer_row() -> OutboxMessage:
    rows = db.session.scalars(select(OutboxMessage)).all()
    return next(r for r in rows if r.payload.get("to") == "customer")


def test_an_address_with_a_second_address_sends_to_nobody(mail_app, smtp, bank, clock):
    # The API takes customerEmail as free text: a comma would add a recipient, who would get
    # the customer's private link (which moves and cancels the meeting).
    book(bank, clock, customer_email="karen@example.test, mallory@evil.test")
    result = deliver(clock)
    recipients = [str(m["To"]) for m in smtp.sink.messages]
    assert not any("evil.test" in r for r in recipients)
    assert result.dead == 1  # retrying cannot help
    row = _customer_row()
    assert row.last_error == "InvalidRecipient" and "evil" not in (row.last_error or "")


def test_a_name_with_line_breaks_is_sent_on_one_line(mail_app, smtp, bank, clock):
    book(bank, clock, customer_name="Karen\r\nBcc: eve@evil.test")
    assert deliver(clock).delivered == 2
    (mail,) = [m for m in smtp.sink.messages if "karen@example.test" in str(m["To"])]
    assert mail["Bcc"] is None
    assert [a.addr_spec for a in mail["To"].addresses] == ["karen@example.test"]
    assert mail["To"].addresses[0].display_name == "Karen Bcc: eve@evil.test"


def test_markup_in_the_name_is_escaped_in_the_html(mail_app, smtp, bank, clock):
    book(bank, clock, customer_name="<b>Karen</b>")
    deliver(clock)
    (mail,) = [m for m in smtp.sink.messages if "karen@example.test" in str(m["To"])]
    html = mail.get_body(("html",)).get_content()
    assert "<b>Karen" not in html and "&lt;b&gt;Karen" in html
