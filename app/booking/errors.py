"""Domain exceptions. The API and the pages map them to status codes in one place each."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the booking domain raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(DomainError):
    """Malformed or contradictory input (400); `field` names the offending input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """An unknown id (404); `kind` says what was looked for (topic, employee, room, ...)."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} '{ident}' was not found")
        self.kind = kind
        self.ident = ident


class Conflict(DomainError):
    """The request clashes with the state of the calendar (409): taken, expired, consumed, started."""


class Forbidden(DomainError):
    """The caller may not touch this object (403)."""


class TooManyHolds(DomainError):
    """The owner already has as many live holds as it may (429); `retry_after` is in seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
