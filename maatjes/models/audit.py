from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from maatjes.models.base import Base, utcnow


class AuditEvent(Base):
    """Who saw or changed what about whom, when and from where. Append-only: written in the same
    transaction as what it records, never changed or deleted by the application. Holds ids and
    the names of changed fields; personal values and free text are never copied in."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_resident_at", "resident_id", "at"),
        Index("ix_audit_events_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # No foreign keys: the log outlives what it names and is never rewritten by a cascade.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int | None] = mapped_column(Integer)
    resident_id: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(45), default="")
    changes: Mapped[dict | None] = mapped_column(JSON)
