"""The pact's registry: one page that leads to every module, with this year's figures."""

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import func, select

from maatjes.blueprints import roles_required, today
from maatjes.domain import registry_access
from maatjes.extensions import db
from maatjes.models import (
    Action,
    Meeting,
    Organisation,
    Person,
    Project,
    Role,
    Signal,
    SubsidyApplication,
    ThemeGroup,
    Training,
    TrainingSession,
)

bp = Blueprint("registry", __name__, url_prefix="/registry")


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    """Staff's entry to the registry: a card per module with its count, in one statement."""
    if not registry_access.may_read(current_user, "registry"):
        abort(403)
    day = today()
    year_start = day.replace(month=1, day=1)

    def count(model, *where):
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    figures = db.session.execute(
        select(
            count(Organisation, Organisation.status.in_(("member", "partner"))).label(
                "organisations"
            ),
            count(Organisation, Organisation.status == "candidate").label("candidates"),
            count(Person, Person.active.is_(True)).label("people"),
            count(Meeting, Meeting.held_on >= year_start, Meeting.held_on <= day).label("meetings"),
            count(Action, Action.status == Action.OPEN, Action.due_on < day).label(
                "actions_overdue"
            ),
            count(ThemeGroup, ThemeGroup.active.is_(True)).label("theme_groups"),
            count(Project, Project.archived.is_(False)).label("projects"),
            count(Signal, Signal.heard_on >= year_start).label("signals"),
            count(SubsidyApplication, SubsidyApplication.year == day.year).label("subsidies"),
            count(Training, Training.archived.is_(False)).label("trainings"),
            count(
                TrainingSession,
                TrainingSession.held_on >= year_start,
                TrainingSession.held_on <= day,
            ).label("sessions"),
        )
    ).one()
    return render_template("registry/index.html", f=figures, year=day.year)
