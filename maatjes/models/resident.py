from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.registry import Area, Language
from maatjes.models.user import User

NEEDS = ("paperwork", "tax_office", "allowances", "budgeting", "debts", "buurtteam", "other")
SOURCES = ("buurtteam", "member_organisation", "ijssie", "self")


class Resident(Base):
    """A resident of Zuidoost who asked for a Money Maatje. Only stored with consent."""

    __tablename__ = "residents"
    __table_args__ = (
        Index("ix_residents_name", "last_name", "first_name"),
        Index("ix_residents_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(30))
    # Digits only, for spotting a resident registered twice ("06-123" == "06 123").
    phone_digits: Mapped[str] = mapped_column(String(30), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    neighbourhood: Mapped[str] = mapped_column(String(80), default="")
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What "other" means, when that need is ticked.
    needs_other: Mapped[str] = mapped_column(String(200), default="", server_default="")
    source: Mapped[str] = mapped_column(String(20))
    consent_on: Mapped[date] = mapped_column(Date)
    consent_recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Set when the resident's support ended and no new maatje is wanted (off the waiting list).
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Folded names, phone forms and e-mail, for search (maatjes/domain/search.py keeps it).
    search_text: Mapped[str] = mapped_column(String(400), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Retention: personal data is erased (anonymised) a while after support ended, unless the
    # lead postpones it, with a reason, until a date.
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    retention_postponed_until: Mapped[date | None] = mapped_column(Date)
    retention_postpone_reason: Mapped[str] = mapped_column(
        String(300), default="", server_default=""
    )
    retention_postponed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    area: Mapped[Area] = relationship()
    consent_recorded_by: Mapped[User] = relationship(foreign_keys=[consent_recorded_by_id])
    language_links: Mapped[list["ResidentLanguage"]] = relationship(
        order_by="ResidentLanguage.rank", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def language_codes(self) -> list[str]:
        """Languages the resident wants help in, most preferred first."""
        return [link.language_code for link in self.language_links]

    def __str__(self) -> str:
        return self.name


class ResidentLanguage(Base):
    __tablename__ = "resident_languages"
    __table_args__ = (UniqueConstraint("resident_id", "rank"),)

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    language_code: Mapped[str] = mapped_column(ForeignKey("languages.code"), primary_key=True)
    rank: Mapped[int]

    language: Mapped[Language] = relationship()
