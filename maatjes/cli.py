"""``flask maatjes …`` commands."""

import contextlib

import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db

maatjes_cli = click.Group("maatjes", help="Money Maatjes commands.")


@maatjes_cli.command("demo")
@with_appcontext
def demo_command():
    """Load demo data drawn from the seeds (safe to run twice) and print the logins."""
    from maatjes.demo import DEMO_PASSWORD, demo_loaded, load_demo

    loaded_before = demo_loaded(db.session)
    logins = load_demo(db.session)
    db.session.commit()
    if loaded_before:
        click.echo("The demo data was loaded before; nothing was added.")
    else:
        click.echo("Demo data loaded.")
    click.echo(f"Log in with any of these (password: {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<12} {email}")


@maatjes_cli.command("create-user")
@click.argument("email")
@click.argument("name")
@click.option("--role", default="admin", show_default=True)
@with_appcontext
def create_user_command(email: str, name: str, role: str):
    """Create an account (e.g. the first admin) and print its one-time password link."""
    from maatjes.domain import accounts
    from maatjes.domain.clock import now_utc

    try:
        _user, token = accounts.create_user(
            db.session,
            email=email,
            name=name,
            role=role,
            area=None,
            by=None,
            now=now_utc().replace(tzinfo=None),
            link_hours=current_app.config["PASSWORD_LINK_HOURS"],
        )
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000")
    with current_app.test_request_context(base_url=base):
        click.echo(url_for("auth.password_link", token=token, _external=True))


@maatjes_cli.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler process (reminders, escalations, e-mail). One per deployment."""
    import logging

    from maatjes.scheduler import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo("Scheduler running (Europe/Amsterdam); stop with Ctrl+C.")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        build_scheduler(current_app._get_current_object()).start()


@maatjes_cli.command("run-jobs")
@click.option("--force", is_flag=True, help="Run even when the period was handled already.")
@with_appcontext
def run_jobs_command(force: bool):
    """Run every due job once and send pending e-mail (what the scheduler does each tick)."""
    from maatjes import jobs

    app = current_app._get_current_object()
    for name, created in jobs.run_due_jobs(app, db.session, force=force).items():
        click.echo(f"{name:<18} {'already done' if created is None else created}")
    click.echo(f"e-mails sent: {jobs.deliver_emails(app, db.session)}")


@maatjes_cli.command("anonymise")
@click.argument("resident_id", type=int)
@with_appcontext
def anonymise_command(resident_id: int):
    """Erase a resident's personal data now (right to erasure), as the retention job would."""
    from sqlalchemy import exists, select

    from maatjes.domain import retention
    from maatjes.models import Handover, Match, Resident, utcnow

    resident = db.session.get(Resident, resident_id)
    if resident is None:
        raise click.ClickException(f"No resident {resident_id}.")
    busy = db.session.scalar(
        select(
            exists().where(Match.resident_id == resident_id, Match.ended_on.is_(None))
            | exists().where(
                Handover.resident_id == resident_id,
                Handover.status.in_(retention.OPEN_HANDOVER),
            )
        )
    )
    if busy:
        raise click.ClickException("End the active match and close open handovers first.")
    erased = retention.anonymise(db.session, [resident_id], now=utcnow())
    db.session.commit()
    click.echo("Erased." if erased else "This resident was anonymised already.")
