"""The development mail page exists only when switched on: it shows customers' e-mails to anyone."""

from __future__ import annotations

from app import create_app


def test_there_is_no_mail_page_unless_development_switches_it_on(client):
    assert client.get("/dev/mail").status_code == 404


def test_the_page_needs_both_its_switch_and_a_maildir(database_url, tmp_path):
    base = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"}
    alone = create_app({**base, "BOOKME_DEV_MAIL_PAGE": True})
    assert alone.test_client().get("/dev/mail").status_code == 404
    both = create_app({**base, "BOOKME_DEV_MAIL_PAGE": True, "BOOKME_MAIL_DIR": str(tmp_path)})
    page = both.test_client().get("/dev/mail")
    assert page.status_code == 200 and "No e-mails yet" in page.get_data(as_text=True)
