from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.registry import Area
from maatjes.models.resident import Resident
from maatjes.models.user import User

TO_BUURTTEAM = "to_buurtteam"
TO_MAATJES = "to_maatjes"
URGENCIES = ("normal", "urgent")


class Handover(Base):
    """A warm handover of a resident between Money Maatjes and an area's buurtteam."""

    __tablename__ = "handovers"
    __table_args__ = (Index("ix_handovers_status_changed", "status", "status_changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    direction: Mapped[str] = mapped_column(String(20))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(1000))
    needs: Mapped[str] = mapped_column(String(1000), default="")
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    consent_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    # The person at the receiving side who will meet the resident, and how to reach them.
    receiver_name: Mapped[str | None] = mapped_column(String(120))
    receiver_phone: Mapped[str | None] = mapped_column(String(30))
    receiver_email: Mapped[str | None] = mapped_column(String(254))
    receiver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the receiving side first met the resident (the end of "waiting").
    first_contact_at: Mapped[datetime | None] = mapped_column(DateTime)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    resident: Mapped[Resident] = relationship()
    area: Mapped[Area] = relationship()
    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    receiver: Mapped[User | None] = relationship(foreign_keys=[receiver_id])
    events: Mapped[list["HandoverEvent"]] = relationship(
        back_populates="handover", order_by="HandoverEvent.id"
    )


class HandoverEvent(Base):
    """One step in a handover's timeline: who moved it to which status, when."""

    __tablename__ = "handover_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(1000), default="")

    handover: Mapped[Handover] = relationship(back_populates="events")
    by: Mapped[User] = relationship()
