"""The pact's registry: areas with their neighbourhoods and the municipality's priorities,
organisations with their admission, the people of the pact and their roles, and languages.

Meetings, theme groups, projects, signals and subsidies are in ``maatjes.models.pact``.
"""

from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow


class Area(Base):
    """An area (gebied) of Zuidoost with its own buurtteam."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(
        back_populates="area", order_by="Neighbourhood.name"
    )
    priorities: Mapped[list["Priority"]] = relationship(
        back_populates="area", order_by="Priority.position, Priority.id"
    )

    def __str__(self) -> str:
        return self.name


class Neighbourhood(Base):
    """A neighbourhood (wijk/buurt) within an area: Holendrecht, the K-buurt, Reigersbos …"""

    __tablename__ = "neighbourhoods"
    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))

    area: Mapped[Area] = relationship(back_populates="neighbourhoods")

    def __str__(self) -> str:
        return self.name


class Priority(Base):
    """One of the municipality's priorities for an area (from the area plan, the GGU)."""

    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    area: Mapped[Area] = relationship(back_populates="priorities")

    def __str__(self) -> str:
        return self.name


organisation_areas = Table(
    "organisation_areas",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id"), primary_key=True),
)

organisation_themes = Table(
    "organisation_themes",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_group_id", ForeignKey("theme_groups.id"), primary_key=True),
)

organisation_languages = Table(
    "organisation_languages",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("language_code", ForeignKey("languages.code"), primary_key=True),
)


class Language(Base):
    """A language code in use, with a custom name for codes CLDR does not know (e.g. hns)."""

    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    custom_name: Mapped[str | None] = mapped_column(String(80))


class Organisation(Base):
    """A member or partner organisation of the Social Pact, or a candidate for it.

    ``kind`` is what it is or wants to become (member or partner); ``status`` where it stands:
    candidate (admission running), member, partner, or left. Membership at a day is computed
    from ``joined_on`` and ``left_on`` (``domain.organisations.counts_at_year_ends``): an
    organisation that left keeps its record and its history.
    """

    __tablename__ = "organisations"

    KINDS = ("member", "partner")
    STATUSES = ("candidate", "member", "partner", "left")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="member")  # member | partner
    status: Mapped[str] = mapped_column(
        String(20), default="member", server_default="member", index=True
    )
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    # The organisation's contact person in the pact (one of its people).
    contact_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", use_alter=True, ondelete="SET NULL")
    )
    # Admission of a member: the decision (admitted | refused), its date and note.
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    # The charter (handvest) with the members' rights and duties, signed on this day.
    charter_signed_on: Mapped[date | None] = mapped_column(Date)

    areas: Mapped[list[Area]] = relationship(secondary=organisation_areas, order_by=Area.name)
    themes: Mapped[list["ThemeGroup"]] = relationship(  # noqa: F821
        secondary=organisation_themes, order_by="ThemeGroup.name"
    )
    languages: Mapped[list[Language]] = relationship(
        secondary=organisation_languages, order_by=Language.code
    )
    # post_update: an organisation and its contact person point to each other; saving both in
    # one flush sets this link by a second UPDATE instead of failing on the cycle.
    contact_person: Mapped["Person | None"] = relationship(
        foreign_keys=[contact_person_id], post_update=True
    )
    people: Mapped[list["Person"]] = relationship(
        back_populates="organisation",
        foreign_keys="Person.organisation_id",
        order_by="Person.name",
    )
    assessments: Mapped[list["Assessment"]] = relationship(
        back_populates="organisation", order_by="Assessment.criterion"
    )

    @property
    def has_left(self) -> bool:
        return self.status == "left"

    def __str__(self) -> str:
        return self.name


class Assessment(Base):
    """One of the six admission criteria assessed for a candidate member: met or not, with a
    note, by whom and when. One row per criterion; a new assessment replaces the old one (the
    audit log keeps who changed what)."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("organisation_id", "criterion"),)

    # The pact's admission criteria (seed 002), in the order the pact writes them.
    CRITERIA = (
        "three_years_active",
        "culturally_sensitive",
        "commits_four_years",
        "wants_to_cooperate",
        "reliable_partner",
        "no_profit_motive",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(40))
    met: Mapped[bool]
    note: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    assessed_on: Mapped[date] = mapped_column(Date)
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship(back_populates="assessments")
    assessed_by: Mapped["User"] = relationship()  # noqa: F821


class Person(Base):
    """Someone of the pact: usually a contact person of an organisation. Holds roles in the pact
    (``PersonRole``) and may have an account (``user_id``)."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_name", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    function: Mapped[str] = mapped_column(String(120), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(
        back_populates="people", foreign_keys=[organisation_id]
    )
    user: Mapped["User | None"] = relationship()  # noqa: F821
    roles: Mapped[list["PersonRole"]] = relationship(
        back_populates="person", order_by="PersonRole.started_on", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.name


class PersonRole(Base):
    """A role someone holds in the pact for a time: core group member, Linking Pin of an area
    (the one the handover module routes to), theme group lead, or trainer."""

    __tablename__ = "person_roles"
    __table_args__ = (Index("ix_person_roles_role_area", "role", "area_id"),)

    CORE_GROUP = "core_group"
    LINKING_PIN = "linking_pin"
    THEME_GROUP_LEAD = "theme_group_lead"
    TRAINER = "trainer"
    ROLES = (CORE_GROUP, LINKING_PIN, THEME_GROUP_LEAD, TRAINER)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # For a Linking Pin: the area; for a theme group lead: the group.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    theme_group_id: Mapped[int | None] = mapped_column(ForeignKey("theme_groups.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="roles")
    area: Mapped[Area | None] = relationship()
    theme_group: Mapped["ThemeGroup | None"] = relationship()  # noqa: F821

    @property
    def current(self) -> bool:
        return self.ended_on is None


class ThemeGroup(Base):
    """A theme group (themagroep): Armoede, Eenzaamheid, Jongeren, Werk & Participatie,
    Huiselijk geweld, and new ones. Its name is also the theme organisations, signals and
    activities are filed under."""

    __tablename__ = "theme_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True)
    results: Mapped[str] = mapped_column(Text, default="", server_default="")

    # Members of the group: organisations and people (tables in ``maatjes.models.pact``).
    organisations: Mapped[list[Organisation]] = relationship(
        secondary="theme_group_organisations", order_by=Organisation.name
    )
    people: Mapped[list[Person]] = relationship(
        secondary="theme_group_people", order_by=Person.name
    )

    def __str__(self) -> str:
        return self.name
