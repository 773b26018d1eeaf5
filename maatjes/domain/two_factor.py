"""Two-factor login with a time-based one-time code (TOTP, RFC 6238) and recovery codes.

Required for every account that sees more than one volunteer's residents or handovers (admin,
lead, buurtteam, Linking Pin); volunteers may switch it on. A code is accepted in its 30-second
step and the steps either side (clock drift), and never twice: the last step used is kept.
"""

import hashlib
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from maatjes.models import RecoveryCode, Role, User

ISSUER = "Money Maatjes"
RECOVERY_CODES = 10


def required_for(user: User, config) -> bool:
    if not config.get("TWO_FACTOR_REQUIRED", True) or user.role == Role.VOLUNTEER:
        return False
    # The accounts of `flask maatjes demo` skip it only while the app runs in demo mode.
    return not (config.get("DEMO_MODE") and user.demo)


def needs_second_step(user: User, config) -> bool:
    return user.two_factor_enabled or required_for(user, config)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI for an <img> (no inline script or style)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=2)


def _matching_step(secret: str, code: str, at: datetime) -> int | None:
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = int(at.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _digest(code: str) -> str:
    return hashlib.sha256(
        code.strip().replace(" ", "").replace("-", "").lower().encode()
    ).hexdigest()


def verify(session: Session, user: User, code: str, *, now: datetime) -> bool:
    """A current code from the app (each step once) or an unused recovery code (used up)."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, now)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # replayed
        # Claimed in one conditional UPDATE: of two requests with the same code at the same
        # moment (two workers), only one finds the row still below this step.
        claimed = session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.expire(user, ["totp_last_step"])
        return claimed == 1
    if len(code) > 40:
        return False
    recovery = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    claimed = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == recovery.id, RecoveryCode.used_at.is_(None))
        .values(used_at=now.replace(tzinfo=None))
        .execution_options(synchronize_session=False)
    ).rowcount
    session.expire(recovery, ["used_at"])
    return claimed == 1


def enable(session: Session, user: User, secret: str, code: str, *, now: datetime) -> list[str]:
    """Switch two-factor on once the user proved the app works; returns the recovery codes,
    to be shown once. Raises ValueError on a wrong code."""
    step = _matching_step(secret, code, now)
    if step is None:
        raise ValueError("wrong code")
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_enabled_at = now.replace(tzinfo=None)
    return new_recovery_codes(session, user)


def new_recovery_codes(session: Session, user: User) -> list[str]:
    session.query(RecoveryCode).filter(RecoveryCode.user_id == user.id).delete()
    codes = [
        f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}"
        for _ in range(RECOVERY_CODES)
    ]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    return codes


def disable(session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.query(RecoveryCode).filter(RecoveryCode.user_id == user.id).delete()
