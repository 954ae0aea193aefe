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


def test_the_page_is_never_there_when_a_mail_server_is_configured(database_url, tmp_path):
    # A production install sends through SMTP: the development switch copied into its
    # environment must not publish every customer's e-mails.
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "x",
        "BOOKME_DEV_MAIL_PAGE": True,
        "BOOKME_MAIL_DIR": str(tmp_path),
        "BOOKME_SMTP_HOST": "smtp.bank.test",
    }
    assert create_app(config).test_client().get("/dev/mail").status_code == 404
