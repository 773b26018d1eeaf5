"""Accounts: creating users, one-time password links, Argon2id passwords."""

import contextlib
import functools
import hashlib
import secrets
from datetime import date, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import unique_or_violation
from maatjes.models import Area, Organisation, Person, PersonRole, Role, User, Volunteer

_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id (RFC 9106 low-memory profile)
_DUMMY_HASH = _hasher.hash("not a real password, used to even out timing")
MIN_PASSWORD = 8  # OWASP ASVS 2.1.1; no composition rules (2.1.9), common ones refused (2.1.7)
MAX_PASSWORD = 128
# After this many wrong passwords in a row the account refuses every password for a while,
# doubling with each further failure, up to an hour (the count holds across workers and machines).
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(hours=1)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    area: Area | None,
    by: User | None,
    now: datetime,
    link_hours: int,
    organisation: Organisation | None = None,
    person: Person | None = None,
) -> tuple[User, str]:
    """Create an account without a password; returns the user and a one-time set-password token.

    A Linking Pin's area is recorded in the registry, not on the account: the account's person
    (``person``, the registry's person with this e-mail address, or a new one) gets the role
    Linking Pin of ``area``. An organisation contact's account belongs to a person of its
    organisation in the same way.
    """
    if role not in Role.ALL:
        raise RuleViolation(_l("Choose a role."), field="role")
    if by is not None and by.role == Role.LEAD and role == Role.ADMIN:
        raise RuleViolation(_l("Only pact support staff can create staff accounts."), field="role")
    if role in Role.AREA_BOUND and area is None:
        raise RuleViolation(_l("Buurtteam staff and Linking Pins need an area."), field="area")
    if person is not None and person.organisation is not None and organisation is None:
        organisation = person.organisation
    if role == Role.ORGANISATION_CONTACT and organisation is None:
        raise RuleViolation(
            _l("An organisation contact needs their organisation."), field="organisation"
        )
    email = normalize_email(email)
    if role == Role.LINKING_PIN and by is not None and by.role != Role.ADMIN:
        # Being the Linking Pin of an area is a role in the pact, recorded by its support
        # staff; a lead gives an account only to a person the registry holds in that role.
        holder = person or session.scalar(
            select(Person).where(func.lower(Person.email) == email, Person.user_id.is_(None))
        )
        holds = holder is not None and any(
            r.role == PersonRole.LINKING_PIN and r.current and r.area_id == area.id
            for r in holder.roles
        )
        if not holds:
            raise RuleViolation(
                _l(
                    "Only pact support staff record a new Linking Pin of an area. Ask them to"
                    " add the role in the registry first."
                ),
                field="role",
            )
    taken = _l("There is already an account with this e-mail address.")
    if session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise RuleViolation(taken, "email")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        area=area if role == Role.BUURTTEAM else None,
    )
    token = issue_password_link(user, now=now, link_hours=link_hours)
    with unique_or_violation(session, taken, "email"):  # saved by someone else just now
        session.add(user)
    if role in (Role.LINKING_PIN, Role.ORGANISATION_CONTACT):
        _person_for(session, user, person, organisation, area, today=now.date())
    return user, token


def _person_for(
    session: Session,
    user: User,
    person: Person | None,
    organisation: Organisation | None,
    area: Area | None,
    *,
    today: date,
) -> Person:
    """The registry's person behind a Linking Pin's or organisation contact's account."""
    from maatjes.domain import people

    if person is None:
        person = session.scalar(
            select(Person).where(func.lower(Person.email) == user.email, Person.user_id.is_(None))
        )
    if person is None:
        person = Person(name=user.name, email=user.email, organisation=organisation)
        session.add(person)
    elif person.user_id is not None:
        raise RuleViolation(_l("This person has an account already."), field="email")
    if user.role == Role.ORGANISATION_CONTACT:
        person.organisation = organisation
    person.user = user
    if user.role == Role.LINKING_PIN and area is not None:
        held = {r.area_id for r in person.roles if r.role == PersonRole.LINKING_PIN and r.current}
        if area.id not in held:
            people.add_role(
                session,
                person,
                people.RoleInput(PersonRole.LINKING_PIN, started_on=today, area=area),
            )
    session.flush()
    return person


def may_manage(actor: User, target: User) -> bool:
    """Who may reset another account's password or block it.

    Staff accounts (admins and leads) are managed only by pact support staff (admins); other
    accounts by any staff member. Nobody manages their own account from the accounts page.
    """
    if actor.id == target.id or actor.role not in Role.STAFF:
        return False
    if target.role in Role.STAFF:
        return actor.role == Role.ADMIN
    return True


def set_active(session: Session, actor: User, target: User, active: bool) -> None:
    """Block or unblock an account. Blocking also ends every way in that does not need a password:
    the one-time password link and the volunteer's calendar feed."""
    if not may_manage(actor, target):
        raise RuleViolation(_l("You cannot change this account."))
    target.active = active
    # Blocking ends every session; so does unblocking, so an old cookie never comes back to life.
    target.session_version = User.session_version + 1
    if not active:
        target.password_token_hash = None
        target.password_token_expires = None
        volunteer = session.scalar(select(Volunteer).where(Volunteer.user_id == target.id))
        if volunteer is not None:
            volunteer.calendar_token_hash = None


def reset_two_factor(
    session: Session, actor: User, target: User, *, now: datetime, link_hours: int
) -> str:
    """For someone who lost both their phone and their recovery codes: two-factor login is
    switched off, every session ends, and the password goes too, so that only the holder of the
    new one-time link (returned) sets a password and then an authenticator app again; someone who
    only knows the old password cannot slip in first and set up their own app."""
    from maatjes.domain import two_factor

    if not may_manage(actor, target):
        raise RuleViolation(_l("You cannot change this account."))
    if not target.active:
        raise RuleViolation(_l("This account is blocked. Unblock it first."))
    two_factor.disable(session, target)
    target.password_hash = None
    target.failed_logins = 0
    target.locked_until = None
    target.session_version = User.session_version + 1
    return issue_password_link(target, now=now, link_hours=link_hours)


def issue_password_link(user: User, *, now: datetime, link_hours: int) -> str:
    token = secrets.token_urlsafe(32)
    user.password_token_hash = _token_digest(token)
    user.password_token_expires = now + timedelta(hours=link_hours)
    return token


# A new "forgot password" link for the same account at most this often (no mail bombing).
RESET_MAIL_INTERVAL = timedelta(minutes=5)


def request_password_reset(
    session: Session, email: str, *, now: datetime, link_hours: int
) -> tuple[User, str] | None:
    """A one-time link for the active account with this address, or None (no such account, a
    blocked one, or a link was sent in the last few minutes). The caller answers the same in
    every case, so the answer does not tell whether the address has an account."""
    email = (email or "").strip().lower()
    if not email or len(email) > 254:
        return None
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        return None
    issued = user.password_token_expires
    if issued is not None and issued - timedelta(hours=link_hours) > now - RESET_MAIL_INTERVAL:
        return None
    return user, issue_password_link(user, now=now, link_hours=link_hours)


def user_for_token(session: Session, token: str, *, now: datetime) -> User | None:
    if not token or len(token) > 100:
        return None
    user = session.scalar(select(User).where(User.password_token_hash == _token_digest(token)))
    if user is None or not user.active:
        return None
    if user.password_token_expires is None or user.password_token_expires < now:
        return None
    return user


@functools.cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of zxcvbn's list (from leaked password sets)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password_rules(password: str, user: User | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise RuleViolation(_l("Use at least %(n)d characters.", n=MIN_PASSWORD), field="password")
    if len(password) > MAX_PASSWORD:
        raise RuleViolation(_l("Use at most %(n)d characters.", n=MAX_PASSWORD), field="password")
    folded = password.casefold()
    if folded in _common_passwords() or len(set(folded)) < 3:
        raise RuleViolation(
            _l("This password is too common and easy to guess. Choose another one."),
            field="password",
        )
    if user is not None:
        own = {user.email.casefold(), user.email.split("@")[0].casefold(), user.name.casefold()}
        if folded.strip() in own:
            raise RuleViolation(
                _l("Do not use your name or e-mail address as the password."), field="password"
            )


def set_password(user: User, password: str) -> None:
    """Set a new password; every session of the user ends (a stolen session goes with it)."""
    check_password_rules(password, user)
    user.password_hash = _hasher.hash(password)
    user.password_token_hash = None
    user.password_token_expires = None
    user.session_version = User.session_version + 1
    user.failed_logins = 0
    user.locked_until = None


def verify_password(user: User, password: str) -> bool:
    """The user's own password, e.g. asked again before a sensitive step."""
    if not user.password_hash or len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _spend_hash_time(password: str) -> None:
    # Spend the same time as a real check, so timing does not reveal which accounts exist.
    with contextlib.suppress(VerificationError):
        _hasher.verify(_DUMMY_HASH, password[:MAX_PASSWORD] + "x")


def register_failure(session: Session, user: User, *, now: datetime) -> None:
    """One more wrong password or code. The counter is raised in SQL, so two guesses at the
    same moment on two machines both count."""
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .execution_options(synchronize_session=False)
    )
    failures = session.scalar(select(User.failed_logins).where(User.id == user.id)) or 0
    if failures >= FREE_ATTEMPTS:
        lock = lock_after(failures)
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(locked_until=now + lock)
            .execution_options(synchronize_session=False)
        )
    session.expire(user, ["failed_logins", "locked_until"])


def lock_after(failures: int) -> timedelta:
    """The pause after ``failures`` wrong attempts in a row: 30 s at the fifth, doubling, at most
    an hour (the exponent is capped first: a count that keeps growing for days must not
    overflow)."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    doublings = min(failures - FREE_ATTEMPTS, 12)  # 30 s * 2**7 is already past the hour
    return min(FIRST_LOCK * 2**doublings, MAX_LOCK)


def is_locked(user: User, *, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def authenticate(session: Session, email: str, password: str, *, now: datetime) -> User | None:
    """The user when the password is right and the account open; else None, with the same
    answer and the same Argon2 work for unknown addresses, wrong passwords and locked accounts.
    A wrong password counts toward the account's lock."""
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.password_hash or len(password) > MAX_PASSWORD:
        _spend_hash_time(password)
        return None
    if is_locked(user, now=now):
        _spend_hash_time(password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        register_failure(session, user, now=now)
        return None
    if not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def clear_failures(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
