"""Notifications that are never lost: the outbox, its worker, and the e-mails (docs/notifications.md)."""
