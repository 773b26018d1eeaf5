from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.registry import Area, Language, Organisation, Person
from maatjes.models.user import User

volunteer_languages = Table(
    "volunteer_languages",
    Base.metadata,
    Column("volunteer_id", ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True),
    Column("language_code", ForeignKey("languages.code"), primary_key=True),
)

volunteer_areas = Table(
    "volunteer_areas",
    Base.metadata,
    Column("volunteer_id", ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id"), primary_key=True),
)


class Volunteer(Base):
    """A maatje: a volunteer from one of the pact's member organisations."""

    __tablename__ = "volunteers"
    __table_args__ = (Index("ix_volunteers_name", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    phone: Mapped[str] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    availability: Mapped[str] = mapped_column(String(500), default="")
    vog_date: Mapped[date | None] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # SHA-256 of the calendar feed token (the token is shown once); NULL = no feed.
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Folded names, phone forms and e-mail, for search (maatjes/domain/search.py keeps it).
    search_text: Mapped[str] = mapped_column(String(400), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()
    languages: Mapped[list[Language]] = relationship(
        secondary=volunteer_languages, order_by=Language.code
    )
    areas: Mapped[list[Area]] = relationship(secondary=volunteer_areas, order_by=Area.name)
    attendances: Mapped[list["TrainingAttendance"]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    def __str__(self) -> str:
        return self.name


class Training(Base):
    """A training, e.g. the basic volunteer training or the Money Maatje training."""

    __tablename__ = "trainings"

    # The kind drives the training gate: "basic" then "money_maatje" make a volunteer matchable.
    KINDS = ("basic", "money_maatje", "other")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    description: Mapped[str] = mapped_column(String(1000), default="")
    # A completed training needs a refresher after this many months (None: never).
    refresh_months: Mapped[int | None]
    # Who offers it in the pact's one catalogue: a central training (with the Burgeracademie;
    # the pact aims at 4 a year), one a member offers to the others, or the project's own.
    PROVIDERS = ("central", "member", "project")
    provider: Mapped[str] = mapped_column(String(20), default="project", server_default="project")
    # For a member's training: the member that offers it.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())

    organisation: Mapped[Organisation | None] = relationship()

    sessions: Mapped[list["TrainingSession"]] = relationship(
        back_populates="training", order_by="TrainingSession.held_on"
    )

    def __str__(self) -> str:
        return self.name


class TrainingSession(Base):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id"))
    held_on: Mapped[date] = mapped_column(Date)
    trainer_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    location: Mapped[str] = mapped_column(String(160), default="", server_default="")

    training: Mapped[Training] = relationship(back_populates="sessions")
    trainer_organisation: Mapped[Organisation | None] = relationship()
    attendances: Mapped[list["TrainingAttendance"]] = relationship(back_populates="session")
    # Organisations invited to the session, and people of organisations who attended (the
    # volunteers' attendance is ``attendances``).
    invited: Mapped[list[Organisation]] = relationship(
        secondary="training_invitations", order_by=Organisation.name
    )
    people: Mapped[list[Person]] = relationship(secondary="training_people", order_by=Person.name)


training_invitations = Table(
    "training_invitations",
    Base.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)

training_people = Table(
    "training_people",
    Base.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True),
)


class TrainingAttendance(Base):
    """A volunteer attended a session, and possibly completed the training there."""

    __tablename__ = "training_attendances"
    __table_args__ = (UniqueConstraint("volunteer_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"))
    completed: Mapped[bool] = mapped_column(default=False)

    volunteer: Mapped[Volunteer] = relationship(back_populates="attendances")
    session: Mapped[TrainingSession] = relationship(back_populates="attendances")
