"""Blueprint registration: the one place that says which parts the app is made of."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach the JSON API, the OAuth server, the customer wizard, the advisor and the admin pages."""
    from app.admin import init_admin
    from app.api import init_api
    from app.api.errors import install_app_handlers
    from app.staff import init_staff
    from app.wizard import init_wizard
    from app.wizard.errors import error_page, log_exceptions_by_route

    init_api(app)
    init_wizard(app)
    init_staff(app)
    init_admin(app)
    from app.notifications.dev_mail import init_dev_mail

    init_dev_mail(app)  # development only: the maildir's e-mails at /dev/mail
    from app.notifications.probe import init_outbox_probe

    init_outbox_probe(app)  # the outbox gauges of /metrics
    install_app_handlers(app, page=error_page)  # JSON on API paths, the site's pages elsewhere
    log_exceptions_by_route(app)
