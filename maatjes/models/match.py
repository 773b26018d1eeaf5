from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.resident import Resident
from maatjes.models.user import User
from maatjes.models.volunteer import Volunteer

# How a match ends. "transferred" is set by a transfer to another maatje, never chosen directly.
TRANSFERRED = "transferred"
ENDING_OUTCOMES = ("goals_reached", "buurtteam", "resident_stopped", "moved", "other")
OUTCOMES = (*ENDING_OUTCOMES, TRANSFERRED)
CONTACT_KINDS = ("phone", "visit", "video", "message", "appointment")

_ACTIVE = text("ended_on IS NULL")
_ENDED = text("ended_on IS NOT NULL")
_FLAGGED_OPEN = text("needs_attention AND attention_handled_at IS NULL")
_SCORED = text("stress_score IS NOT NULL")
_EVALUATION = text("evaluation")


class Match(Base):
    """A volunteer supporting a resident, from the intake meeting until ended."""

    __tablename__ = "matches"
    __table_args__ = (
        # Backstop for "at most two": an active match holds one of the volunteer's two slots.
        Index(
            "uq_matches_active_slot",
            "volunteer_id",
            "slot",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
        Index(
            "uq_matches_active_resident",
            "resident_id",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
        CheckConstraint("slot IN (1, 2)", name="slot"),
        # The weekly rhythm and the overview read active matches by their start.
        Index(
            "ix_matches_active_started",
            "started_on",
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
        # The dashboard and the report: matches ended in a period.
        Index("ix_matches_ended", "ended_on", sqlite_where=_ENDED, postgresql_where=_ENDED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    slot: Mapped[int]
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(30))
    end_reason: Mapped[str | None] = mapped_column(String(1000))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    volunteer: Mapped[Volunteer] = relationship()
    resident: Mapped[Resident] = relationship()
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="match", order_by="Contact.contact_on.desc(), Contact.id.desc()"
    )

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class Contact(Base):
    """One contact between a volunteer and their resident."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("stress_score BETWEEN 1 AND 10", name="stress_score"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration_minutes"),
        Index("ix_contacts_match_day", "match_id", "contact_on"),
        Index("ix_contacts_logged_by_created", "logged_by_id", "created_at"),
        # "Which matches had no contact this week", and the contacts and hours of a period per
        # area and organisation: a range of days, read from the index alone.
        Index("ix_contacts_day", "contact_on", "match_id", "duration_minutes"),
        # The first and the last stress score of a match: one index probe each (the report).
        Index(
            "ix_contacts_scored",
            "match_id",
            "contact_on",
            "id",
            "stress_score",
            sqlite_where=_SCORED,
            postgresql_where=_SCORED,
        ),
        # Active matches past 13 weeks without an evaluation (the dashboard): the few marked.
        Index(
            "ix_contacts_evaluation",
            "match_id",
            sqlite_where=_EVALUATION,
            postgresql_where=_EVALUATION,
        ),
        # The lead's "flagged for your attention": only the few unhandled flags are indexed.
        Index(
            "ix_contacts_flagged_open",
            "contact_on",
            sqlite_where=_FLAGGED_OPEN,
            postgresql_where=_FLAGGED_OPEN,
        ),
        # A unique index, not a constraint: SQLite adds it without rebuilding the table (which
        # would drop the rollup's triggers). NULLs (contacts logged without a queue) never clash.
        Index("uq_contacts_client_uuid", "client_uuid", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"))
    contact_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    duration_minutes: Mapped[int | None]
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    stress_score: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(1000), default="")
    needs_attention: Mapped[bool] = mapped_column(default=False)
    # This contact was the evaluation the 13-week minimum asks for (volunteer, resident and,
    # where it helps, the lead look back and decide to go on or to end).
    evaluation: Mapped[bool] = mapped_column(default=False, server_default=false())
    attention_handled_at: Mapped[datetime | None] = mapped_column(DateTime)
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The last correction: who changed the contact and when (deletions are in the audit log).
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Made by the phone for a contact it queued while offline: the contact is stored at most
    # once per UUID, so a resend after a lost answer never makes a second one.
    client_uuid: Mapped[str | None] = mapped_column(String(36))

    match: Mapped[Match] = relationship(back_populates="contacts")
    logged_by: Mapped[User] = relationship(foreign_keys=[logged_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])


class ContactWeek(Base):
    """Per match and calendar week (Monday to Sunday), how many contacts were logged: a rollup
    the database keeps itself, by triggers on ``contacts`` (``maatjes/models/rollup.py``), so
    that the dashboard and the report count match-weeks with a contact over a year without
    grouping every contact of that year. ``week`` is whole weeks since Monday 1900-01-01 (as
    ``domain.stats.week_index``). Never written by the application."""

    __tablename__ = "contact_weeks"
    __table_args__ = (
        # "Which matches had a contact in these weeks": a range of weeks, read from the index.
        Index("ix_contact_weeks_week", "week", "match_id"),
    )

    match_id: Mapped[int] = mapped_column(
        ForeignKey("matches.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    contacts: Mapped[int]
