"""The pact's work: theme group membership, meetings (attendance, decisions, actions),
projects with their signals, and joint subsidy applications."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.registry import Neighbourhood, Organisation, Person, ThemeGroup

theme_group_organisations = Table(
    "theme_group_organisations",
    Base.metadata,
    Column("theme_group_id", ForeignKey("theme_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)

theme_group_people = Table(
    "theme_group_people",
    Base.metadata,
    Column("theme_group_id", ForeignKey("theme_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True),
)

meeting_attendance = Table(
    "meeting_attendance",
    Base.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)

meeting_people = Table(
    "meeting_people",
    Base.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True),
)


class Meeting(Base):
    """A general meeting (algemene vergadering), a core-group meeting or a theme group's."""

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_kind_held", "kind", "held_on"),)

    GENERAL = "general"
    CORE_GROUP = "core_group"
    THEME_GROUP = "theme_group"
    KINDS = (GENERAL, CORE_GROUP, THEME_GROUP)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    theme_group_id: Mapped[int | None] = mapped_column(ForeignKey("theme_groups.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(160), default="", server_default="")
    location: Mapped[str] = mapped_column(String(160), default="", server_default="")
    minutes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    theme_group: Mapped[ThemeGroup | None] = relationship()
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    # Organisations present (the yearly attendance counts these) and people present.
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=meeting_attendance, order_by=Organisation.name
    )
    people: Mapped[list[Person]] = relationship(secondary=meeting_people, order_by=Person.name)
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="meeting", order_by="Decision.id", cascade="all, delete-orphan"
    )
    actions: Mapped[list["Action"]] = relationship(
        back_populates="meeting", order_by="Action.id", cascade="all, delete-orphan"
    )


class AgendaItem(Base):
    """An agenda item; ``guest`` names an external organisation that presented (Masterplan
    Zuidoost, Taal Informatie Punt, Flying Squad …)."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    guest: Mapped[str] = mapped_column(String(160), default="", server_default="")

    meeting: Mapped[Meeting] = relationship(back_populates="items")


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(2000))

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class Action(Base):
    """An action agreed in a meeting: an owner (a person of the pact), a due date and a
    status. Open actions past their date show on the owner's home and in the lead digest."""

    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_open_due", "status", "due_on"),)

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    STATUSES = (OPEN, DONE, DROPPED)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(1000))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=OPEN, server_default=OPEN)
    closed_on: Mapped[date | None] = mapped_column(Date)

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
    owner: Mapped[Person] = relationship()


project_organisations = Table(
    "project_organisations",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)

project_neighbourhoods = Table(
    "project_neighbourhoods",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhoods.id"), primary_key=True),
)


class Project(Base):
    """A joint project of pact organisations. Money Maatjes is one (``key == "money_maatjes"``):
    its volunteers, residents and contacts come live from its own module."""

    __tablename__ = "projects"

    MONEY_MAATJES = "money_maatjes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    description: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    lead_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    theme_group_id: Mapped[int | None] = mapped_column(ForeignKey("theme_groups.id"))
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    volunteers: Mapped[int | None]
    residents_reached: Mapped[int | None]
    results: Mapped[str] = mapped_column(Text, default="", server_default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    lead_organisation: Mapped[Organisation | None] = relationship()
    theme_group: Mapped[ThemeGroup | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=project_organisations, order_by=Organisation.name
    )
    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        secondary=project_neighbourhoods, order_by=Neighbourhood.name
    )
    budget_lines: Mapped[list["BudgetLine"]] = relationship(
        back_populates="project", order_by="BudgetLine.id", cascade="all, delete-orphan"
    )

    @property
    def is_money_maatjes(self) -> bool:
        return self.key == self.MONEY_MAATJES

    def __str__(self) -> str:
        return self.name


class BudgetLine(Base):
    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    project: Mapped[Project] = relationship(back_populates="budget_lines")


class Signal(Base):
    """Something residents said in a neighbourhood (woningnood, financiële stress …), recorded
    by neighbourhood, theme and date, and routed to a theme group."""

    __tablename__ = "signals"
    __table_args__ = (Index("ix_signals_heard_on", "heard_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    # The theme the signal is about: the theme group it is routed to.
    theme_group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    heard_on: Mapped[date] = mapped_column(Date)
    # How many residents raised it (when the project counted them).
    residents: Mapped[int | None]
    routed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    neighbourhood: Mapped[Neighbourhood] = relationship()
    theme_group: Mapped[ThemeGroup] = relationship()
    project: Mapped[Project | None] = relationship()


class SubsidyApplication(Base):
    """A joint subsidy application of pact members: one funder and scheme, one period, a lead
    applicant (penvoerder), and the participating organisations with their amounts."""

    __tablename__ = "subsidy_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    funder: Mapped[str] = mapped_column(String(160))
    scheme: Mapped[str] = mapped_column(String(160))
    # The year the subsidised work is done in (the totals per year use it), and the period.
    year: Mapped[int] = mapped_column(index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    note: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    lead_organisation: Mapped[Organisation] = relationship()
    participants: Mapped[list["SubsidyParticipant"]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"{self.funder}: {self.scheme} {self.year}"


class SubsidyParticipant(Base):
    """An organisation in a joint application: requested and granted amounts (``Decimal``),
    and the funder's decision with its reason."""

    __tablename__ = "subsidy_participants"
    __table_args__ = (UniqueConstraint("application_id", "organisation_id"),)

    PENDING = "pending"
    GRANTED = "granted"
    PARTLY = "partly"
    REJECTED = "rejected"
    DECISIONS = (PENDING, GRANTED, PARTLY, REJECTED)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_applications.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    requested: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    granted: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    decision: Mapped[str] = mapped_column(String(10), default=PENDING, server_default=PENDING)
    reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")

    application: Mapped[SubsidyApplication] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship()
