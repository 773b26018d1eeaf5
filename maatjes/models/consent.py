from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.user import User

PROCESSING = "processing"  # storing the resident's data to support them (at intake)
SHARE_BUURTTEAM = "share_buurtteam"  # sharing what a handover needs with the buurtteam
SCOPES = (PROCESSING, SHARE_BUURTTEAM)


class ConsentRecord(Base):
    """A consent the resident gave, for one purpose, from a date; and when it was withdrawn."""

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_resident_scope", "resident_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(String(300), default="")

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None
