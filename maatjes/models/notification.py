from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.user import User

# E-mail states of a notification.
EMAIL_PENDING = "pending"
EMAIL_SENT = "sent"
EMAIL_SKIPPED = "skipped"  # the user has e-mail off, or no SMTP server is configured
EMAIL_FAILED = "failed"  # refused for good (5xx), or too many attempts; stays in the app


class Notification(Base):
    """A message to one user, shown in the app and optionally e-mailed.

    ``key`` is unique: whatever creates a notification derives the key from what it is about
    (job, match, week, user), so running a job twice, or two schedulers at once, adds nothing.
    Texts are rendered when shown or sent, in the recipient's language, from the references.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_email_status", "email_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    handover_id: Mapped[int | None] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE")
    )
    training_id: Mapped[int | None] = mapped_column(ForeignKey("trainings.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    email_status: Mapped[str] = mapped_column(String(10), default=EMAIL_PENDING)
    email_attempts: Mapped[int] = mapped_column(default=0)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class JobRun(Base):
    """A scheduled job claimed a period (e.g. contact_due for 2022-W05): the first one wins."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    created: Mapped[int] = mapped_column(default=0)
