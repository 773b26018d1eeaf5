"""The scheduler process: ``flask maatjes scheduler``.

Its own process, never started inside a web worker (APScheduler's FAQ: a job store cannot be
shared between processes). Every 15 minutes it runs whatever is due; the jobs themselves are
idempotent, so a second scheduler by mistake sends nothing twice, and a scheduler that was down
catches up once when it starts (``coalesce``, a long ``misfire_grace_time``, first run at start).
"""

import logging
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from maatjes.domain.clock import AMSTERDAM

log = logging.getLogger(__name__)


def tick(app: Flask) -> None:
    from maatjes import jobs
    from maatjes.extensions import db

    with app.app_context():
        try:
            results = jobs.run_due_jobs(app, db.session)
            sent = jobs.deliver_emails(app, db.session)
            ran = {name: n for name, n in results.items() if n is not None}  # None: done before
            if ran or sent:
                log.info("jobs ran: %s; e-mails sent: %d", ran, sent)
        except Exception:
            # The database may be down: the process lives on, and the next tick catches up (each
            # job claims its period only when its work commits).
            db.session.rollback()
            log.exception("tick failed; the next tick tries again")
        finally:
            db.session.remove()


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=AMSTERDAM,
        job_defaults={"coalesce": True, "misfire_grace_time": 6 * 3600, "max_instances": 1},
    )
    scheduler.add_job(
        tick,
        CronTrigger(minute="*/15", timezone=AMSTERDAM),
        args=[app],
        id="tick",
        next_run_time=datetime.now(AMSTERDAM),  # catch up at start
    )
    return scheduler
