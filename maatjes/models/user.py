from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.registry import Area


class Role:
    ADMIN = "admin"
    LEAD = "lead"
    VOLUNTEER = "volunteer"
    BUURTTEAM = "buurtteam"
    LINKING_PIN = "linking_pin"

    ALL = (ADMIN, LEAD, VOLUNTEER, BUURTTEAM, LINKING_PIN)
    STAFF = (ADMIN, LEAD)
    AREA_BOUND = (BUURTTEAM, LINKING_PIN)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # Notification channels: in-app always; e-mail on/off; one daily digest instead of singles.
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=true())
    email_digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    # SHA-256 of the one-time "set your password" token; the token itself is never stored.
    password_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_token_expires: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    area: Mapped[Area | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in Role.STAFF

    def __str__(self) -> str:
        return self.name
