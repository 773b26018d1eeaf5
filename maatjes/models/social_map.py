"""The social map (sociale kaart): the activities the pact's organisations offer, where, when,
in which languages, for whom and at what cost. Public: nothing here is about residents.

The shape follows Open Referral HSDS 3.0 where it can (an activity is a *service*, its weekly
times are *schedules* with ``byday``/``opens_at``/``closes_at``, one-off dates are schedules
with ``dtstart``), so that the export is a mapping, not a translation.
"""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.registry import (
    Area,
    Language,
    Neighbourhood,
    Organisation,
    Priority,
    ThemeGroup,
)

activity_languages = Table(
    "activity_languages",
    Base.metadata,
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("language_code", ForeignKey("languages.code"), primary_key=True),
    Index("ix_activity_languages_language_code", "language_code"),
)


class Activity(Base):
    """One activity of an organisation (a Buurtwerkkamer's open morning, a women's group, a
    training of the Burgeracademie, Money Maatjes itself)."""

    __tablename__ = "activities"

    # Where it takes place.
    AT_ADDRESS, ONLINE, AT_HOME = "address", "online", "at_home"
    PLACES = (AT_ADDRESS, ONLINE, AT_HOME)
    # What it costs.
    FREE, PAID, ON_REQUEST = "free", "paid", "on_request"
    COSTS = (FREE, PAID, ON_REQUEST)
    # How to take part.
    WALK_IN, SIGN_UP, REFERRAL = "walk_in", "sign_up", "referral"
    ACCESS = (WALK_IN, SIGN_UP, REFERRAL)
    # For whom (none chosen: everyone).
    TARGET_GROUPS = (
        "children",
        "young_people",
        "adults",
        "older_people",
        "women",
        "men",
        "families",
        "newcomers",
        "people_with_a_disability",
    )
    # Not checked for this long: marked on the map, and the organisation is reminded.
    STALE_MONTHS = 12

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    minimum_age: Mapped[int | None] = mapped_column(SmallInteger)
    maximum_age: Mapped[int | None] = mapped_column(SmallInteger)
    place: Mapped[str] = mapped_column(String(10), default=AT_ADDRESS, server_default=AT_ADDRESS)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    location_name: Mapped[str] = mapped_column(String(160), default="", server_default="")
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="", server_default="")
    city: Mapped[str] = mapped_column(String(80), default="Amsterdam", server_default="Amsterdam")
    cost: Mapped[str] = mapped_column(String(12), default=FREE, server_default=FREE)
    cost_amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    access: Mapped[str] = mapped_column(String(10), default=WALK_IN, server_default=WALK_IN)
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    theme_group_id: Mapped[int | None] = mapped_column(ForeignKey("theme_groups.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("priorities.id", ondelete="SET NULL"), index=True
    )
    # Name, description and place folded (lower case, no accents: domain.search.fold), kept
    # current on every write, so that "cafe" typed on a phone finds "Taalcafé".
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    checked_on: Mapped[date] = mapped_column(Date, index=True)
    # The day the organisation was last reminded to check it (one reminder per stale spell).
    reminded_on: Mapped[date | None] = mapped_column(Date)
    archived: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    area: Mapped[Area | None] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    theme_group: Mapped[ThemeGroup | None] = relationship()
    priority: Mapped[Priority | None] = relationship()
    languages: Mapped[list[Language]] = relationship(
        secondary=activity_languages, order_by=Language.code
    )
    # For whom: codes from TARGET_GROUPS (none: everyone).
    target_group_rows: Mapped[list["ActivityTargetGroup"]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityTargetGroup.code"
    )
    schedules: Mapped[list["ActivitySchedule"]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="ActivitySchedule.weekday, ActivitySchedule.on_date, ActivitySchedule.opens_at",
    )

    __table_args__ = (
        CheckConstraint(
            "minimum_age IS NULL OR maximum_age IS NULL OR minimum_age <= maximum_age",
            name="ages_in_order",
        ),
        CheckConstraint("cost_amount IS NULL OR cost_amount >= 0", name="cost_not_negative"),
    )

    @property
    def target_groups(self) -> list[str]:
        """The target groups' codes in the order of TARGET_GROUPS."""
        chosen = {row.code for row in self.target_group_rows}
        return [code for code in self.TARGET_GROUPS if code in chosen]

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.name!r}>"


class ActivityTargetGroup(Base):
    __tablename__ = "activity_target_groups"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class ActivitySchedule(Base):
    """When an activity takes place: every week on a weekday (0 = Monday), or once on a date;
    from ``opens_at`` to ``closes_at`` when known."""

    __tablename__ = "activity_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int | None] = mapped_column(SmallInteger, index=True)
    on_date: Mapped[date | None] = mapped_column(Date)
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)

    activity: Mapped[Activity] = relationship(back_populates="schedules")

    __table_args__ = (
        CheckConstraint("(weekday IS NULL) <> (on_date IS NULL)", name="weekly_or_once"),
        CheckConstraint("weekday IS NULL OR (weekday >= 0 AND weekday <= 6)", name="weekday_range"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at", name="times_in_order"
        ),
    )

    @property
    def weekly(self) -> bool:
        return self.weekday is not None
