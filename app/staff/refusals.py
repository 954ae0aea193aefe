"""The words of a refusal, in one home: when the engine refuses a hold or a booking (booking for a
customer, moving a meeting), the page says why with Why not?'s structured reasons and words
(app/booking/reasons.py, app/staff/why_not_words.py), asked about the refused time right away.
The engine's own English never reaches a page."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.booking.errors import DomainError, TooManyHolds
from app.booking.why_not import Proposal, why_not
from app.staff.why_not_answer import answer


def why_refused(proposal: Proposal, now: datetime, free: str | None = None) -> str:
    """Why the engine does not offer the proposed time now, in the advisor's language; `free`
    (or a plain sentence) when it does offer it by now."""
    try:
        verdict = why_not(proposal, now)
    except DomainError:  # something named is gone meanwhile: no single rule to give
        return _("That time is no longer free.")
    if verdict.free:  # free again by now (a hold in the way was let go meanwhile)
        return free or _("That time was taken at that moment. It may be free again: try once more.")
    return " ".join(answer(verdict, pool=False).lines)


def hold_refused(refused: DomainError, proposal: Proposal | None, now: datetime) -> str:
    """The message for a hold the engine refused (`proposal`: the time asked for, if it was one
    the grid offers)."""
    if isinstance(refused, TooManyHolds):
        return too_many_holds()
    if proposal is None:
        return _("That time cannot be held: it is not one the grid offers. Please choose again.")
    return _("That time cannot be held: %(reason)s", reason=why_refused(proposal, now))


def too_many_holds() -> str:
    """One account holds as many times as it may at once."""
    return _(
        "You are holding as many times as one account may at once. Book or let go of one, "
        "or wait a few minutes until a hold runs out."
    )
