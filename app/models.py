"""SQLAlchemy 2.0 typed tables. Instants are UTC (`UTCDateTime`); schedules are local wall-clock times."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.booking.constants import DEFAULT_TIME_ZONE
from app.db_types import UTCDateTime, new_id
from app.extensions import Base, db

# Flask-SQLAlchemy builds `db.Model` at run time from `Base`; type checkers see `Base` itself.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

ID = String(36)


def _fk(target: str, ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey(target, ondelete=ondelete)


def _link(name: str, left: str, right: str) -> Table:
    """A many-to-many association table `name(left_id, right_id)`."""
    lcol, rcol = left.split(".")[0].rstrip("s") + "_id", right.split(".")[0].rstrip("s") + "_id"
    return Table(
        name,
        db.metadata,
        Column(lcol, ID, _fk(left), primary_key=True),
        Column(rcol, ID, _fk(right), primary_key=True),
    )


topic_customer_types = _link("topic_customer_types", "topics.id", "customer_types.id")
employee_topics = _link("employee_topics", "employees.id", "topics.id")
employee_customer_types = _link("employee_customer_types", "employees.id", "customer_types.id")
competence_group_members = Table(
    "competence_group_members",
    db.metadata,
    Column("group_id", ID, _fk("competence_groups.id"), primary_key=True),
    Column("employee_id", ID, _fk("employees.id"), primary_key=True),
)
competence_group_topics = Table(
    "competence_group_topics",
    db.metadata,
    Column("group_id", ID, _fk("competence_groups.id"), primary_key=True),
    Column("topic_id", ID, _fk("topics.id"), primary_key=True),
)
competence_group_customer_types = Table(
    "competence_group_customer_types",
    db.metadata,
    Column("group_id", ID, _fk("competence_groups.id"), primary_key=True),
    Column("customer_type_id", ID, _fk("customer_types.id"), primary_key=True),
)
service_group_topics = Table(
    "service_group_topics",
    db.metadata,
    Column("service_group_id", ID, _fk("service_groups.id"), primary_key=True),
    Column("topic_id", ID, _fk("topics.id"), primary_key=True),
)
service_group_customer_types = Table(
    "service_group_customer_types",
    db.metadata,
    Column("service_group_id", ID, _fk("service_groups.id"), primary_key=True),
    Column("customer_type_id", ID, _fk("customer_types.id"), primary_key=True),
)
service_group_locations = Table(
    "service_group_locations",
    db.metadata,
    Column("service_group_id", ID, _fk("service_groups.id"), primary_key=True),
    Column("location_id", ID, _fk("locations.id"), primary_key=True),
)
service_group_employees = Table(
    "service_group_employees",
    db.metadata,
    Column("service_group_id", ID, _fk("service_groups.id"), primary_key=True),
    Column("employee_id", ID, _fk("employees.id"), primary_key=True),
)
service_group_competence_groups = Table(
    "service_group_competence_groups",
    db.metadata,
    Column("service_group_id", ID, _fk("service_groups.id"), primary_key=True),
    Column("competence_group_id", ID, _fk("competence_groups.id"), primary_key=True),
)


class OrganisationSettings(Model):
    """The organisation's one row of settings; read on every request, so editable without restart."""

    __tablename__ = "organisation_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200), default="BookMe Bank")
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE)
    opening_time: Mapped[time] = mapped_column(Time, default=time(8, 0))
    closing_time: Mapped[time] = mapped_column(Time, default=time(18, 0))
    max_days_ahead: Mapped[int] = mapped_column(Integer, default=90)
    default_meeting_minutes: Mapped[int] = mapped_column(Integer, default=60)
    buffer_before_minutes: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(Integer, default=0)
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=0)
    max_meeting_minutes_per_day: Mapped[int | None] = mapped_column(Integer)
    meeting_title_template: Mapped[str | None] = mapped_column(String(200))
    meeting_description_template: Mapped[str | None] = mapped_column(String(1000))
    # Every staff account needs a second factor (admins always do): app/staff/mfa.py.
    staff_mfa_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Advisor priority levels, `[{type, label, description}]` (app/booking/priority.py); None:
    # the default Explicit > Local > ServiceGroup.
    priority_levels: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class ConfigurationVersion(Model):
    """One row whose `version` takes a fresh random value in every transaction that writes the
    configuration the slot service caches per process (app/booking/config_cache.py)."""

    __tablename__ = "configuration_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    version: Mapped[str] = mapped_column(String(32))
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class ClosingDay(Model):
    """A whole day on which nobody can be booked (public holidays and the bank's own)."""

    __tablename__ = "closing_days"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")


class Location(Model):
    """A branch; `areas` are the city/area names it serves (matched by `customerLocation`)."""

    __tablename__ = "locations"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(String(400), default="")
    # {"da-DK": ..., "en-GB": ...}: the name in each language (the API's `localizedName`)
    localized_names: Mapped[dict[str, str] | None] = mapped_column(JSON)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    require_room: Mapped[bool] = mapped_column(Boolean, default=False)


class CustomerType(Model):
    """A customer category such as Private or Business."""

    __tablename__ = "customer_types"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    localized_names: Mapped[dict[str, str] | None] = mapped_column(JSON)
    order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Topic(Model):
    """A meeting topic (theme)."""

    __tablename__ = "topics"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    localized_names: Mapped[dict[str, str] | None] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    meeting_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_customer: Mapped[bool] = mapped_column(Boolean, default=True)
    parent_id: Mapped[str | None] = mapped_column(ID, _fk("topics.id", "SET NULL"))
    order: Mapped[int] = mapped_column(Integer, default=0)
    unique_topic_id: Mapped[str] = mapped_column(
        String(100), unique=True, default=new_id
    )  # the vendor's required topic key; a new topic gets a fresh one unless given
    customer_types: Mapped[list[CustomerType]] = relationship(secondary=topic_customer_types)


class Employee(Model):
    """An advisor who can be booked."""

    __tablename__ = "employees"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    initials: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    external_id: Mapped[str | None] = mapped_column(String(100))
    home_location_id: Mapped[str | None] = mapped_column(ID, _fk("locations.id", "SET NULL"))
    can_be_booked: Mapped[bool] = mapped_column(Boolean, default=True)
    only_explicitly_available: Mapped[bool] = mapped_column(Boolean, default=False)
    max_meeting_minutes_per_day: Mapped[int | None] = mapped_column(Integer)
    home_location: Mapped[Location | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=employee_topics)
    customer_types: Mapped[list[CustomerType]] = relationship(secondary=employee_customer_types)
    schedules: Mapped[list[WeeklySchedule]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", order_by="WeeklySchedule.weekday"
    )


class WeeklySchedule(Model):
    """One weekday of an advisor's week: local from/to, meeting types and location that day."""

    __tablename__ = "weekly_schedules"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    employee_id: Mapped[str] = mapped_column(ID, _fk("employees.id"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday ... 6 = Sunday
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    meeting_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    location_id: Mapped[str | None] = mapped_column(ID, _fk("locations.id", "SET NULL"))
    employee: Mapped[Employee] = relationship(back_populates="schedules")
    location: Mapped[Location | None] = relationship()
    __table_args__ = (
        UniqueConstraint("employee_id", "weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
    )


BUSY_KINDS = ("absence", "external", "elsewhere")


class BusyTime(Model):
    """Time an advisor cannot be booked: absence, external calendar busy, or working elsewhere."""

    __tablename__ = "busy_times"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    employee_id: Mapped[str] = mapped_column(ID, _fk("employees.id"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20), default="absence")
    note: Mapped[str] = mapped_column(String(400), default="")
    __table_args__ = (
        Index("ix_busy_times_employee_start", "employee_id", "start_at"),
        CheckConstraint("end_at > start_at", name="positive_length"),
    )


class Room(Model):
    """A meeting room at a branch."""

    __tablename__ = "rooms"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    location_id: Mapped[str] = mapped_column(ID, _fk("locations.id"))
    email: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int] = mapped_column(Integer, default=4)
    can_be_booked: Mapped[bool] = mapped_column(Boolean, default=True)
    location: Mapped[Location] = relationship()


class CompetenceGroup(Model):
    """A skill group; members of it and of its subgroups qualify for its topics and customer types."""

    __tablename__ = "competence_groups"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ID, _fk("competence_groups.id", "SET NULL"))
    members: Mapped[list[Employee]] = relationship(secondary=competence_group_members)
    topics: Mapped[list[Topic]] = relationship(secondary=competence_group_topics)
    customer_types: Mapped[list[CustomerType]] = relationship(
        secondary=competence_group_customer_types
    )


class ServiceGroup(Model):
    """A pool of advisors activated by topic/customer type/customer location, e.g. remote advice."""

    __tablename__ = "service_groups"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    customer_locations: Mapped[list[str]] = mapped_column(JSON, default=list)
    meeting_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_meeting_minutes_per_day: Mapped[int | None] = mapped_column(Integer)
    topics: Mapped[list[Topic]] = relationship(secondary=service_group_topics)
    customer_types: Mapped[list[CustomerType]] = relationship(
        secondary=service_group_customer_types
    )
    locations: Mapped[list[Location]] = relationship(secondary=service_group_locations)
    employees: Mapped[list[Employee]] = relationship(secondary=service_group_employees)
    competence_groups: Mapped[list[CompetenceGroup]] = relationship(
        secondary=service_group_competence_groups
    )


class ApiClient(Model):
    """An OAuth2 client (client credentials grant); the secret is stored hashed."""

    __tablename__ = "api_clients"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_secret_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Model):
    """A staff account for the advisor pages (local password, or single sign-on subject)."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    sso_subject: Mapped[str | None] = mapped_column(String(200), unique=True)
    employee_id: Mapped[str | None] = mapped_column(ID, _fk("employees.id", "SET NULL"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set by `bookme disable-user`: the account cannot sign in, and its open sessions end.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by an admin's invitation (a temporary password): at sign-in the account must set its own
    # before any other staff page opens (app/staff/auth.py `refusal`, app/staff/password_change.py).
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The second factor (app/staff/mfa.py): the TOTP secret encrypted with a key derived from
    # SECRET_KEY (set at enrolment, confirmed when `mfa_enabled_at` is set), the recovery codes'
    # SHA-256 hashes (JSON list; a used one is removed) and the last time step accepted (no replay).
    mfa_secret: Mapped[str | None] = mapped_column(String(256))
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mfa_recovery_codes: Mapped[str | None] = mapped_column(Text)
    mfa_last_step: Mapped[int | None] = mapped_column(BigInteger)
    employee: Mapped[Employee | None] = relationship()
    __table_args__ = (
        # One active account per advisor (app/configuration/accounts.py checks it first).
        Index(
            "uq_users_active_employee",
            "employee_id",
            unique=True,
            sqlite_where=text("disabled_at IS NULL"),
            postgresql_where=text("disabled_at IS NULL"),
        ),
    )

    @property
    def is_active(self) -> bool:
        """Flask-Login's name: a disabled account is not active."""
        return self.disabled_at is None

    @property
    def is_authenticated(self) -> bool:
        """Flask-Login's name: a loaded account is a signed-in one."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Flask-Login's name."""
        return False

    def get_id(self) -> str:
        """Flask-Login's name: the id kept in the session."""
        return self.id


class Customer(Model):
    """A customer known by the bank's own id, with contact details when the wizard collects them."""

    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")


class Reservation(Model):
    """A 5-minute hold on a slot, tied to a per-browser token (the API's "time slot")."""

    __tablename__ = "reservations"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    token: Mapped[str] = mapped_column(String(64), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    employee_id: Mapped[str] = mapped_column(ID, _fk("employees.id"))
    additional_employee_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    room_id: Mapped[str | None] = mapped_column(ID, _fk("rooms.id", "SET NULL"))
    meeting_type: Mapped[str | None] = mapped_column(String(20))
    topic_id: Mapped[str | None] = mapped_column(ID, _fk("topics.id", "SET NULL"))
    service_group: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(
        String(20), default="Reserved"
    )  # Reserved/Consumed/Released
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    existing_meeting_id: Mapped[str | None] = mapped_column(ID)
    client_id: Mapped[str | None] = mapped_column(String(64))
    # Who made the hold, and so the namespace of its token: "client:<id>", "wizard:<browser token>".
    owner: Mapped[str] = mapped_column(String(100))
    meeting_id: Mapped[str | None] = mapped_column(ID)
    # the buffers the hold was granted under; its meeting keeps them (None: none recorded)
    buffer_before_minutes: Mapped[int | None] = mapped_column(Integer)
    buffer_after_minutes: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        # At most one live hold per owner and token: the same-token replacement relies on it.
        Index(
            "uq_reservations_live_owner_token",
            "owner",
            "token",
            unique=True,
            sqlite_where=text("status = 'Reserved'"),
            postgresql_where=text("status = 'Reserved'"),
        ),
        CheckConstraint("end_at > start_at", name="positive_length"),
    )


class Meeting(Model):
    """A booked (or cancelled) meeting."""

    __tablename__ = "meetings"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    time_slot_id: Mapped[str | None] = mapped_column(ID, unique=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    meeting_type: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[str | None] = mapped_column(ID, _fk("topics.id", "SET NULL"))
    customer_type_id: Mapped[str | None] = mapped_column(ID, _fk("customer_types.id", "SET NULL"))
    employee_id: Mapped[str] = mapped_column(ID, _fk("employees.id"))
    additional_employee_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    room_id: Mapped[str | None] = mapped_column(ID, _fk("rooms.id", "SET NULL"))
    location_id: Mapped[str | None] = mapped_column(ID, _fk("locations.id", "SET NULL"))
    customer_id: Mapped[str | None] = mapped_column(String(100))
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str] = mapped_column(String(200), default="")
    customer_phone: Mapped[str] = mapped_column(String(50), default="")
    # Where an OffSite ("at your place") meeting is held, and how to get in.
    customer_address: Mapped[str] = mapped_column(String(400), default="", server_default="")
    customer_address_note: Mapped[str] = mapped_column(String(400), default="", server_default="")
    booked_by: Mapped[str] = mapped_column(String(20), default="customer")
    booked_by_user_id: Mapped[str | None] = mapped_column(ID, _fk("users.id", "SET NULL"))
    # The staff account that booked it (booking for a customer); loaded with the meetings, in one
    # query for a list, for the API's `bookedByEmployeeId`.
    booked_by_user: Mapped[User | None] = relationship(lazy="selectin")
    client_id: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    video_link: Mapped[str | None] = mapped_column(String(500))
    # The vendor's V2 fields. Personal data: `external_attendees` (names, e-mails) and
    # `cpr_encrypted` (a CPR number, only ever encrypted by app/crypto.py; never logged or audited).
    salesforce_id: Mapped[str | None] = mapped_column(String(100))
    portal_id: Mapped[str | None] = mapped_column(String(100))
    custom_fields: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    external_attendees: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    cpr_encrypted: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="Booked")  # Booked / Cancelled
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    manage_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(200))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index("ix_meetings_employee_start", "employee_id", "start_at"),
        CheckConstraint("end_at > start_at", name="positive_length"),
    )


class BookingClaim(Model):
    """A live commitment of one resource (`employee:<id>` or `room:<id>`) for [start_at, end_at),
    which keeps [blocked_from, blocked_until) (the commitment and its buffers) from every other.

    Meetings hold claims with no expiry; reservations hold claims that expire with the hold. The
    database refuses two claims on one resource whose blocked spans overlap: an exclusion constraint
    on PostgreSQL, a trigger inside SQLite's serialised write transactions (see the migrations and
    docs/booking.md).
    """

    __tablename__ = "booking_claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resource: Mapped[str] = mapped_column(String(64))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_from: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reservation_id: Mapped[str | None] = mapped_column(ID, _fk("reservations.id"))
    meeting_id: Mapped[str | None] = mapped_column(ID, _fk("meetings.id"))
    __table_args__ = (
        Index("ix_booking_claims_resource_blocked", "resource", "blocked_from"),
        CheckConstraint("end_at > start_at", name="positive_length"),
        CheckConstraint(
            "blocked_from <= start_at AND blocked_until >= end_at", name="blocked_covers"
        ),
        CheckConstraint("(reservation_id IS NULL) <> (meeting_id IS NULL)", name="one_owner"),
    )


class IdempotencyRecord(Model):
    """The first answer to a POST with an `Idempotency-Key`, replayed on retries."""

    __tablename__ = "idempotency_records"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WizardDraft(Model):
    """One browser's wizard between steps, kept on the server: the session cookie carries only `id`.

    `expires_at` is the later of the hold's expiry and the last write; the draft is gone a grace
    period after it (app/wizard/drafts.py).
    """

    __tablename__ = "wizard_drafts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reservation_id: Mapped[str | None] = mapped_column(ID, index=True)
    choices: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    week: Mapped[str] = mapped_column(String(10), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class WizardRepeat(Model):
    """Where a wizard request moved its browser (draft id and token), found again for two minutes
    by a hash of that very request, so a repeat of it lands where the first one did.
    """

    __tablename__ = "wizard_repeats"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    draft_id: Mapped[str | None] = mapped_column(String(64))
    token: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


AUDIT_ACTOR_KINDS = ("staff", "api_client", "customer", "system", "cli")


class AuditRecord(Model):
    """One change or booking action, appended in the transaction that made it (docs/audit.md).

    The database refuses UPDATE and DELETE on this table (triggers, migration 0011).
    """

    __tablename__ = "audit_records"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(100))
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20))
    __table_args__ = (
        Index("ix_audit_records_entity", "entity", "entity_id"),
        Index("ix_audit_records_actor", "actor_kind", "actor_id"),
    )
