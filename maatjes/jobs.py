"""Scheduled jobs: thin functions that call the domain and commit once each.

Run by ``flask maatjes scheduler`` (its own process, never a web worker) or once by
``flask maatjes run-jobs``. Each job claims its period in ``job_runs`` (job + period is the
primary key) in the same transaction as its work, so a second run, or a second scheduler, finds
the claim and does nothing; and each notification has its own unique key besides.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from maatjes.domain import map_reminders, retention, rhythm
from maatjes.domain.clock import AMSTERDAM
from maatjes.domain.sql import upsert_insert
from maatjes.mail import Mailer, SmtpSettings, settings_from
from maatjes.models import JobRun, Notification, User
from maatjes.models.notification import EMAIL_FAILED, EMAIL_PENDING, EMAIL_SENT, EMAIL_SKIPPED
from maatjes.notifications import render

log = logging.getLogger(__name__)

EMAIL_BATCH = 200
# A message still not accepted after this many runs (15 minutes apart: some hours) is given up;
# the notification stays in the app.
EMAIL_MAX_ATTEMPTS = 12
FAILED = "failed"
DIGEST_EMAIL_FROM = time(7, 0)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., int]
    weekly: bool = False
    # Jobs run at 04:00 local time or later: nothing falls in the hour that repeats or is
    # skipped when the clocks change (02:00–03:00).
    starts_at: time = time(4, 0)


def _papers(session: Session, *, today: date, now: datetime, config) -> int:
    return rhythm.papers_expiring(
        session, today=today, now=now, vog_valid_days=config["VOG_VALID_DAYS"]
    )


def _retention(session: Session, *, today: date, now: datetime, config) -> int:
    return retention.anonymise_due(session, today=today, now=now, months=config["RETENTION_MONTHS"])


def _plain(function: Callable[..., int]) -> Callable[..., int]:
    def run(session: Session, *, today: date, now: datetime, config) -> int:
        return function(session, today=today, now=now)

    run.__name__ = function.__name__
    return run


JOBS = (
    Job("contact_due", _plain(rhythm.contact_due), weekly=True),
    Job("contact_missed", _plain(rhythm.contact_missed)),
    Job("escalations", _plain(rhythm.escalations)),
    Job("evaluations", _plain(rhythm.evaluations)),
    Job("handovers_waiting", _plain(rhythm.handovers_waiting)),
    Job("papers_expiring", _papers),
    Job("lead_digest", _plain(rhythm.lead_digest), starts_at=time(7, 0)),
    Job("anonymise", _retention),
    Job("activities_stale", _plain(map_reminders.remind_stale_activities)),
)


def period_for(job: Job, local_now: datetime) -> tuple[str, date]:
    """The latest period of ``job`` that is due at ``local_now``, and the day to run it for."""
    day = local_now.date()
    if local_now.time() < job.starts_at:
        day -= timedelta(days=1)
    return (rhythm.iso_week(day) if job.weekly else day.isoformat()), day


def claim(session: Session, job: str, period: str, now: datetime) -> bool:
    """Claim (job, period); False when another run has it (waits for its transaction)."""
    statement = (
        upsert_insert(session, JobRun)
        .values(job=job, period=period, started_at=now, created=0)
        .on_conflict_do_nothing(index_elements=["job", "period"])
        .returning(JobRun.job)
    )
    return session.connection().execute(statement).first() is not None


def run_job(
    session: Session, job: Job, *, now: datetime, config, force: bool = False
) -> int | None:
    """Run one job for its due period; None when that period was already handled."""
    local_now = now.astimezone(AMSTERDAM)
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    period, day = period_for(job, local_now)
    if not force and not claim(session, job.name, period, naive_now):
        return None
    created = job.run(session, today=day, now=naive_now, config=config)
    session.execute(
        update(JobRun)
        .where(JobRun.job == job.name, JobRun.period == period)
        .values(finished_at=naive_now, created=created)
    )
    return created


def run_due_jobs(
    app: Flask, session: Session, *, now: datetime | None = None, force: bool = False
) -> dict[str, int | str | None]:
    """Every job for its due period, each in its own transaction; one failing job does not
    stop the others (it is retried on the next run, as its claim was rolled back)."""
    now = now or datetime.now(UTC)
    results: dict[str, int | str | None] = {}
    for job in JOBS:
        try:
            results[job.name] = run_job(session, job, now=now, config=app.config, force=force)
            session.commit()
        except Exception:
            session.rollback()
            log.exception("job %s failed; it runs again next time", job.name)
            results[job.name] = FAILED
    return results


def _language(user: User) -> str:
    return user.locale if user.locale in ("nl", "en") else "nl"


def deliver_emails(app: Flask, session: Session, *, now: datetime | None = None) -> int:
    """E-mail pending notifications; what cannot be sent stays pending for the next run."""
    now = now or datetime.now(UTC)
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    settings = settings_from(app.config)
    pending = Notification.email_status == EMAIL_PENDING
    silent = select(User.id).where((User.email_notifications.is_(False)) | (User.active.is_(False)))
    if settings is None:
        session.execute(update(Notification).where(pending).values(email_status=EMAIL_SKIPPED))
    else:
        session.execute(
            update(Notification)
            .where(pending, Notification.user_id.in_(silent))
            .values(email_status=EMAIL_SKIPPED)
        )
    session.commit()
    if settings is None:
        return 0
    sent = _send_singles(app, session, settings, naive_now)
    if now.astimezone(AMSTERDAM).time() >= DIGEST_EMAIL_FROM:
        sent += _send_digests(app, session, settings, now, naive_now)
    return sent


def _permanent(error: Exception) -> bool:
    """An SMTP reply in the 5xx range: this message will never go through as it is."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _message_error(error: Exception) -> bool:
    """Refused for this one message; the connection is still good for the next one."""
    return isinstance(
        error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused | smtplib.SMTPDataError
    )


def _describe(error: Exception) -> str:
    """For the log: the kind of error and the SMTP code, never an address or a message body."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _reply in error.recipients.values()})
        return f"{type(error).__name__} {codes}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__


def _failed_attempt(note: Notification, error: Exception) -> None:
    note.email_attempts += 1
    if _permanent(error) or note.email_attempts >= EMAIL_MAX_ATTEMPTS:
        note.email_status = EMAIL_FAILED


def _send_singles(app, session: Session, settings: SmtpSettings, naive_now: datetime) -> int:
    # SKIP LOCKED: a second scheduler leaves the rows this one is sending alone (PostgreSQL);
    # SQLite serialises whole transactions instead.
    notes = session.scalars(
        select(Notification)
        .join(User, User.id == Notification.user_id)
        .where(Notification.email_status == EMAIL_PENDING, User.email_digest.is_(False))
        .order_by(Notification.id)
        .limit(EMAIL_BATCH)
        .with_for_update(skip_locked=True, of=Notification)
    ).all()
    if not notes:
        session.commit()
        return 0
    sent = 0
    today = naive_now.replace(tzinfo=UTC).astimezone(AMSTERDAM).date()
    remaining = list(notes)
    try:
        with (
            Mailer(settings) as mailer,
            app.test_request_context(base_url=app.config["PUBLIC_URL"]),
        ):
            while remaining:
                note = remaining[0]
                language = _language(note.user)
                with force_locale(language):
                    message = render(session, note, today=today)
                    body = f"{message.body}\n\n{app.config['PUBLIC_URL']}{message.link}"
                try:
                    mailer.send(note.user.email, message.subject, body, language)
                except smtplib.SMTPException as error:
                    if not _message_error(error):
                        raise
                    _failed_attempt(note, error)
                    log.warning(
                        "e-mail for notification %d refused (%s)%s",
                        note.id,
                        _describe(error),
                        "; given up" if note.email_status == EMAIL_FAILED else "; retried later",
                    )
                else:
                    note.email_status = EMAIL_SENT
                    note.emailed_at = naive_now
                    note.email_attempts += 1
                    sent += 1
                remaining.pop(0)
    except (OSError, smtplib.SMTPException) as error:
        # The server is down or dropped the connection: whatever is left is tried next run.
        log.warning(
            "e-mail not sent (%s); %d notification(s) stay pending and are retried",
            _describe(error),
            len(remaining),
        )
        for note in remaining:
            _failed_attempt(note, error if _message_error(error) else OSError())
    session.commit()
    return sent


def _send_digests(
    app, session: Session, settings: SmtpSettings, now: datetime, naive_now: datetime
) -> int:
    local_day = now.astimezone(AMSTERDAM).date().isoformat()
    users = session.scalars(
        select(User)
        .where(
            User.email_digest.is_(True),
            User.email_notifications.is_(True),
            User.active.is_(True),
            select(Notification.id)
            .where(Notification.user_id == User.id, Notification.email_status == EMAIL_PENDING)
            .exists(),
        )
        .order_by(User.id)
    ).all()
    sent = 0
    for user in users:
        try:
            if not claim(session, f"email_digest:{user.id}", local_day, naive_now):
                session.rollback()
                continue
            notes = session.scalars(
                select(Notification)
                .where(Notification.user_id == user.id, Notification.email_status == EMAIL_PENDING)
                .order_by(Notification.id)
                .with_for_update(skip_locked=True)
            ).all()
            language = _language(user)
            with (
                app.test_request_context(base_url=app.config["PUBLIC_URL"]),
                force_locale(language),
            ):
                from flask_babel import gettext as _

                messages = [
                    render(session, n, today=now.astimezone(AMSTERDAM).date()) for n in notes
                ]
                subject = _("Money Maatjes: your daily summary")
            body = "\n\n".join(
                f"{m.subject}\n{m.body}\n{app.config['PUBLIC_URL']}{m.link}" for m in messages
            )
            with Mailer(settings) as mailer:
                mailer.send(user.email, subject, body, language)
            for note in notes:
                note.email_status = EMAIL_SENT
                note.emailed_at = naive_now
                note.email_attempts += 1
            session.commit()
            sent += 1
        except Exception as error:
            # The day's claim is rolled back with the rest, so the digest is tried again on the
            # next run; a refusal for good, or too many attempts, ends that.
            session.rollback()
            _digest_failed(session, user.id, error)
            log.warning("digest e-mail for user %d not sent (%s)", user.id, _describe(error))
    return sent


def _digest_failed(session: Session, user_id: int, error: Exception) -> None:
    notes = session.scalars(
        select(Notification).where(
            Notification.user_id == user_id, Notification.email_status == EMAIL_PENDING
        )
    ).all()
    for note in notes:
        _failed_attempt(note, error)
    session.commit()
