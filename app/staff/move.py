"""Moving one of the advisor's meetings (/staff/meetings/<id>/move): the wizard's week grid for the
meeting's own advisors, meeting type, branch and length, with its own time counted as free; a time
chosen there is held for the staff account (`hold_owner`, one hold per meeting: choosing again
replaces it), then a page with the old and the new time and one button, which moves the meeting
through `update_meeting`. The search, the hold and the hold taken again follow the staff rule for
a move (`app.booking.staff_rule.MOVE`): the advisors' daily caps apply, the minimum notice is
lifted (docs/staff.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import clock
from app.booking.errors import Conflict, DomainError, NotFound
from app.booking.meeting_changes import MeetingChanges, update_meeting
from app.booking.query import Slot, SlotQuery
from app.booking.reservations import (
    CONSUMED,
    RESERVED,
    HoldRequest,
    get_reservation,
    live_status,
    release,
    reserve,
)
from app.booking.staff_rule import MOVE
from app.booking.why_not import NO_ROOM, Proposal
from app.extensions import db
from app.i18n import fmt_when, local, org_zone
from app.models import Meeting, Reservation, Room
from app.staff import bp
from app.staff.auth import hold_owner, staff_required
from app.staff.meeting_access import advisor_ids, still_open, their_meeting
from app.staff.meeting_detail import detail_of
from app.staff.refusals import hold_refused, why_refused
from app.wizard.holds import hold_again
from app.wizard.routes import is_htmx
from app.wizard.week import build_week_for, monday_of, parse_slot_value, parse_week, slot_value


def staff_search(meeting: Meeting, start: datetime, length: timedelta) -> SlotQuery:
    """Free times for the same advisors (a joint meeting: all of them), type, topic, customer type,
    length and branch; a meeting with a room needs a room there (the first free one)."""
    physical = meeting.meeting_type == "Physical"
    query = SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=advisor_ids(meeting),
        start=start,
        look_forward=length,
        duration=meeting.end_at - meeting.start_at,
        topic_id=meeting.topic_id,
        customer_type_id=meeting.customer_type_id,
        meeting_types=(meeting.meeting_type,),
        meeting_location=meeting.location_id if physical else None,
        require_room=True if meeting.room_id else None,
        ignore_meeting_ids=(meeting.id,),
        best_slots=False,
    )
    return MOVE.query(query)


def _hold_token(meeting: Meeting) -> str:
    """One hold per staff account and meeting: choosing another time replaces the last one."""
    return f"move:{meeting.id}"


def _cannot_move() -> tuple[str, int]:
    return (
        render_template(
            "staff/meeting_gone.html",
            heading=_("This meeting can no longer be moved"),
            text=_("The meeting has started, is over or was cancelled. Nothing was changed."),
        ),
        409,
    )


def _grid_context(meeting: Meeting, week_arg: str | None) -> dict[str, object]:
    now = clock.now()
    own_week = monday_of(local(meeting.start_at).date()).isoformat()
    monday = parse_week(week_arg or own_week, org_zone(), now)
    week = build_week_for(lambda start, length: staff_search(meeting, start, length), monday, now)
    args = {"meeting_id": meeting.id}
    return {
        "d": detail_of(meeting),
        "week": week,
        "grid_args": args,  # the grid's contract: templates/wizard/_slot_grid.html
        "times_endpoint": "staff.move",
        "hold_endpoint": "staff.move_hold",
        "hold_args": args,
        "hold_htmx": False,  # a chosen time goes to its own page (old and new time)
        "no_times_text": _(
            "There is no free time for the same advisors, meeting type and branch in the coming "
            "weeks."
        ),
        "advisors": [],
        "slot_value": slot_value,
        "refresh_seconds": current_app.config["BOOKME_GRID_REFRESH_SECONDS"],
    }


@bp.get("/staff/meetings/<meeting_id>/move")
@staff_required("advisor")
def move(meeting_id: str) -> Response | tuple[str, int]:
    """The week grid for moving the meeting (htmx asks for the grid alone on navigation)."""
    meeting = their_meeting(meeting_id)
    if not still_open(meeting, clock.now()):
        return _cannot_move()
    context = _grid_context(meeting, request.args.get("week"))
    template = "wizard/_slot_grid.html" if is_htmx() else "staff/move.html"
    response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response


def _fits(slot: Slot | None, meeting: Meeting) -> bool:
    """The chosen slot keeps the meeting's advisors, type, length and branch (a grid button does)."""
    if slot is None or slot.meeting_type != meeting.meeting_type:
        return False
    if set(slot.employee_ids) != set(advisor_ids(meeting)):
        return False
    if slot.end - slot.start != meeting.end_at - meeting.start_at:
        return False
    if meeting.room_id and not slot.room_id:
        return False
    room = db.session.get(Room, slot.room_id) if slot.room_id else None
    return room is None or room.location_id == meeting.location_id


def _week_of(moment: datetime) -> str:
    return monday_of(local(moment).date()).isoformat()


@bp.post("/staff/meetings/<meeting_id>/move")
@staff_required("advisor")
def move_hold(meeting_id: str) -> Response | tuple[str, int]:
    """Hold the chosen time for this staff account, then show the old and the new time."""
    meeting = their_meeting(meeting_id)
    if not still_open(meeting, clock.now()):
        return _cannot_move()
    slot = parse_slot_value(request.form.get("slot", ""), meeting.topic_id)
    if slot is None or not _fits(slot, meeting):
        abort(400)
    ids = advisor_ids(meeting)
    hold_request = HoldRequest(
        token=_hold_token(meeting),
        start=slot.start,
        end=slot.end,
        employee_id=ids[0],
        additional_employee_ids=ids[1:],
        room_id=slot.room_id,
        meeting_type=meeting.meeting_type,
        topic_id=meeting.topic_id,
        customer_type_id=meeting.customer_type_id,
        existing_meeting_id=meeting.id,
        owner=hold_owner(),
    )
    cap = current_app.config["BOOKME_MAX_LIVE_HOLDS_PER_STAFF"]
    try:
        held = reserve(MOVE.hold(hold_request), now=clock.now(), max_live_holds=cap)
    except DomainError as refused:
        db.session.rollback()
        asked = _proposal(meeting, slot.start, slot.end, slot.room_id)
        flash(hold_refused(refused, asked, clock.now()), "warning")
        return redirect(url_for("staff.move", meeting_id=meeting.id, week=_week_of(slot.start)))
    return redirect(url_for("staff.move_confirm", meeting_id=meeting.id, hold_id=held.id))


def _proposal(
    meeting: Meeting, start: datetime, end: datetime, room_id: str | None, own: str | None = None
) -> Proposal:
    """The new time as Why not? asks about it (a refusal's words): the meeting's advisors, type,
    branch and room, its own time and this account's hold for it (which a new one replaces) not
    counted, the move's rule."""
    old = db.session.scalar(
        select(Reservation.id).where(
            Reservation.owner == hold_owner(),
            Reservation.token == _hold_token(meeting),
            Reservation.status == RESERVED,
        )
    )
    return Proposal(
        topic_id=meeting.topic_id or "",
        start=start,
        meeting_type=meeting.meeting_type,
        location_id=meeting.location_id if meeting.meeting_type == "Physical" else None,
        advisor_ids=advisor_ids(meeting),
        room=room_id or NO_ROOM,
        customer_type_id=meeting.customer_type_id,
        ignore_notice=MOVE.lift_notice,
        minutes=int((end - start).total_seconds() // 60),
        meeting_id=meeting.id,
        ignore_hold_ids=tuple(i for i in (own, old) if i),
    )


def _their_hold(meeting: Meeting, hold_id: str) -> Reservation:
    """This account's hold for moving this meeting (404 for anything else)."""
    try:
        hold = get_reservation(hold_id, owner=hold_owner())
    except NotFound:
        abort(404)
    if hold.existing_meeting_id != meeting.id:
        abort(404)
    return hold


@bp.route("/staff/meetings/<meeting_id>/move/<hold_id>", methods=["GET", "POST"])
@staff_required("advisor")
def move_confirm(meeting_id: str, hold_id: str) -> Response | str | tuple[str, int]:
    """The old and the new time with one button; the POST moves the meeting (a hold that ran out is
    taken again when the time is still free; a time taken meanwhile sends the grid back)."""
    meeting, now = their_meeting(meeting_id), clock.now()
    hold = _their_hold(meeting, hold_id)
    if hold.status == CONSUMED and meeting.time_slot_id == hold.id:
        return redirect(url_for("staff.meeting_page", meeting_id=meeting.id))  # sent twice
    if not still_open(meeting, now):
        return _cannot_move()
    status = live_status(hold, now)
    if status not in (RESERVED, "Expired"):
        flash(_("Please choose a new time."), "info")
        return redirect(url_for("staff.move", meeting_id=meeting.id, week=_week_of(hold.start_at)))
    if request.method == "GET":
        return render_template(
            "staff/move_confirm.html",
            d=detail_of(meeting),
            hold=hold,
            live=status == RESERVED,
            seconds_left=max(0, int((hold.expires_at - now).total_seconds())),
            room=db.session.get(Room, hold.room_id) if hold.room_id else None,
        )
    return _move_to(meeting, hold, now)


def _move_to(meeting: Meeting, hold: Reservation, now: datetime) -> Response | tuple[str, int]:
    """Move the meeting to the held time, all or nothing."""
    owner = hold_owner()
    fresh: Reservation | None = hold
    if live_status(hold, now) != RESERVED:
        fresh = hold_again(
            hold,
            token=hold.token,
            owner=owner,
            customer_type_id=meeting.customer_type_id,
            rule=MOVE.hold,
            now=now,
        )
    try:
        if fresh is None:
            raise Conflict("the new time was taken")
        update_meeting(meeting.id, MeetingChanges(time_slot_id=fresh.id), hold_owner=owner, now=now)
    except DomainError:
        db.session.rollback()
        return _not_moved(meeting, fresh or hold, now)
    flash(
        _(
            "The meeting is moved to %(when)s. The customer's private link shows the new time.",
            when=fmt_when(meeting.start_at),
        ),
        "success",
    )
    return redirect(url_for("staff.meeting_page", meeting_id=meeting.id))


def _not_moved(meeting: Meeting, hold: Reservation, now: datetime) -> Response | tuple[str, int]:
    """Nothing was moved: the held time is let go; a meeting cancelled or started meanwhile says so,
    else the grid comes back with a message."""
    _let_go(hold, now)
    db.session.refresh(meeting)
    if not still_open(meeting, now):
        return _cannot_move()
    asked = _proposal(meeting, hold.start_at, hold.end_at, hold.room_id, hold.id)
    reason = why_refused(asked, now)
    flash(_("The meeting was not moved: %(reason)s", reason=reason), "warning")
    return redirect(url_for("staff.move", meeting_id=meeting.id, week=_week_of(hold.start_at)))


def _let_go(hold: Reservation, now: datetime) -> None:
    """Release the hold (best effort: it runs out in five minutes anyway)."""
    try:
        release(hold.id, hold.token, owner=hold_owner(), now=now)
    except DomainError:
        db.session.rollback()


@bp.post("/staff/meetings/<meeting_id>/move/<hold_id>/release")
@staff_required("advisor")
def move_release(meeting_id: str, hold_id: str) -> Response:
    """Keep the old time: the held new time is free for others again at once."""
    meeting = their_meeting(meeting_id)
    hold = _their_hold(meeting, hold_id)
    _let_go(hold, clock.now())
    flash(_("Nothing was changed. The meeting keeps its time."), "info")
    return redirect(url_for("staff.meeting_page", meeting_id=meeting.id))
