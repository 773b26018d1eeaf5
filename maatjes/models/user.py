from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, Integer, String, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maatjes.models.base import Base, utcnow
from maatjes.models.registry import Area


class Role:
    ADMIN = "admin"
    LEAD = "lead"
    VOLUNTEER = "volunteer"
    BUURTTEAM = "buurtteam"
    LINKING_PIN = "linking_pin"
    # Keeps its own organisation's details in the registry; sees nothing of residents.
    ORGANISATION_CONTACT = "organisation_contact"

    ALL = (ADMIN, LEAD, VOLUNTEER, BUURTTEAM, LINKING_PIN, ORGANISATION_CONTACT)
    # The roles of the Money Maatjes casework (residents, matches, handovers).
    CASEWORK = (ADMIN, LEAD, VOLUNTEER, BUURTTEAM, LINKING_PIN)
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
    # Folded names, phone forms and e-mail, for search (maatjes/domain/search.py keeps it).
    search_text: Mapped[str] = mapped_column(String(400), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Part of the id in every session cookie: raising it ends every session of the user at once
    # (logout, password change, blocking, "log out everywhere").
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Guessing: failed attempts in a row, and until when the account refuses every password.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    # Two-factor (TOTP, RFC 6238): the shared secret once confirmed, and the last time step
    # used, so that a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Set for the accounts of `flask maatjes demo`; they skip two-factor only in demo mode.
    demo: Mapped[bool] = mapped_column(default=False, server_default=false())

    area: Mapped[Area | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in Role.STAFF

    def __str__(self) -> str:
        return self.name


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app once; stored as SHA-256."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
