"""Joint subsidy applications: the list with the totals per year, an application with its
participating organisations, and their amounts and decisions."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    form_status,
    module_access,
    or_404,
    show_violation,
)
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.projects.forms import RemoveForm
from maatjes.blueprints.subsidies.forms import ApplicationForm, ParticipantForm
from maatjes.domain import registry_access
from maatjes.domain import subsidies as rules
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.labels import choices
from maatjes.models import Organisation, SubsidyApplication, SubsidyParticipant

bp = Blueprint("subsidies", __name__, url_prefix="/registry/subsidies")

MODULE = "subsidies"


@bp.route("/")
@module_access(MODULE)
def index():
    totals = rules.totals_per_year(db.session)
    filters = [
        Filter("year", _l("Year"), [("", _("All"))] + [(str(t.year), str(t.year)) for t in totals])
    ]
    args = ListArgs.from_request(filters)
    counts = rules.participant_counts()
    query = select(
        SubsidyApplication,
        func.coalesce(counts.c.participants, 0),
        func.coalesce(counts.c.awarded, 0),
        counts.c.requested,
        counts.c.granted,
        func.coalesce(counts.c.requested_unknown, 0),
        func.coalesce(counts.c.granted_unknown, 0),
    ).outerjoin(counts, counts.c.application_id == SubsidyApplication.id)
    found = rules.matching(args.q)
    if found is not None:
        query = query.where(found)
    if args.get("year"):
        query = query.where(SubsidyApplication.year == int(args.get("year")))
    page = paginate(
        db.session,
        query.options(joinedload(SubsidyApplication.lead_organisation)).order_by(
            SubsidyApplication.year.desc(), SubsidyApplication.funder, SubsidyApplication.id
        ),
        args.page,
        rows=True,
    )
    return render_template(
        "subsidies/index.html",
        rows=page,
        page=page,
        args=args,
        filters=filters,
        totals=totals,
        amount=rules.known_amount,
        may_edit=registry_access.may_edit(current_user, MODULE),
    )


def _organisation_choices(keep: int | None, blank: str) -> list:
    """Organisations to choose from: those that have not left, and the one chosen already."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.status).order_by(Organisation.name)
    ).all()
    return [("", blank)] + [(i, n) for i, n, status in rows if status != "left" or i == keep]


def _application_input(form: ApplicationForm) -> rules.ApplicationInput:
    return rules.ApplicationInput(
        funder=form.funder.data or "",
        scheme=form.scheme.data or "",
        year=form.year.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        submitted_on=form.submitted_on.data,
        lead_organisation=or_404(db.session.get(Organisation, form.lead_organisation.data)),
        note=form.note.data or "",
    )


def _save_application(form: ApplicationForm, application: SubsidyApplication | None):
    existing_id = None
    if form.validate_on_submit():
        try:
            saved = rules.save_application(db.session, application, _application_input(form))
        except rules.DuplicateApplication as error:
            show_violation(form, error)
            existing_id = error.existing_id
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Application saved."), "success")
            return redirect(url_for("subsidies.detail", application_id=saved.id))
    return render_template(
        "subsidies/form.html", form=form, application=application, existing_id=existing_id
    ), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@module_access(MODULE, edit=True)
def new():
    form = ApplicationForm()
    form.lead_organisation.choices = _organisation_choices(None, _("Choose…"))
    return _save_application(form, None)


@bp.route("/<int:application_id>/edit", methods=["GET", "POST"])
@module_access(MODULE, edit=True)
def edit(application_id: int):
    application = or_404(db.session.get(SubsidyApplication, application_id))
    form = ApplicationForm(obj=application)
    form.lead_organisation.choices = _organisation_choices(
        application.lead_organisation_id, _("Choose…")
    )
    if not form.is_submitted():
        form.lead_organisation.data = application.lead_organisation_id
    return _save_application(form, application)


@bp.route("/<int:application_id>")
@module_access(MODULE)
def detail(application_id: int):
    application = or_404(
        db.session.scalar(
            select(SubsidyApplication)
            .where(SubsidyApplication.id == application_id)
            .options(joinedload(SubsidyApplication.lead_organisation))
        )
    )
    participants = db.session.scalars(
        select(SubsidyParticipant)
        .join(Organisation, Organisation.id == SubsidyParticipant.organisation_id)
        .where(SubsidyParticipant.application_id == application.id)
        .options(joinedload(SubsidyParticipant.organisation))
        .order_by(Organisation.name)
    ).all()
    return render_template(
        "subsidies/detail.html",
        application=application,
        participants=participants,
        totals=rules.application_totals(db.session, application.id),
        remove_form=RemoveForm(),
        may_edit=registry_access.may_edit(current_user, MODULE),
    )


def _participant_input(form: ParticipantForm) -> rules.ParticipantInput:
    return rules.ParticipantInput(
        organisation=or_404(db.session.get(Organisation, form.organisation.data)),
        requested=form.requested.data,
        granted=form.granted.data,
        decision=form.decision.data,
        reason=form.reason.data or "",
    )


def _participant_page(application: SubsidyApplication, participant: SubsidyParticipant | None):
    form = ParticipantForm(obj=participant)
    form.organisation.choices = _organisation_choices(
        participant.organisation_id if participant else None, _("Choose…")
    )
    form.decision.choices = choices("subsidy_decision")
    if participant is not None and not form.is_submitted():
        form.organisation.data = participant.organisation_id
    if form.validate_on_submit():
        try:
            rules.save_participant(db.session, application, participant, _participant_input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Participant saved."), "success")
            return redirect(url_for("subsidies.detail", application_id=application.id))
    return render_template(
        "subsidies/participant.html",
        form=form,
        application=application,
        participant=participant,
    ), form_status(form)


@bp.route("/<int:application_id>/participants/new", methods=["GET", "POST"])
@module_access(MODULE, edit=True)
def new_participant(application_id: int):
    application = or_404(db.session.get(SubsidyApplication, application_id))
    return _participant_page(application, None)


def _participant(application_id: int, participant_id: int) -> SubsidyParticipant:
    return or_404(
        db.session.scalar(
            select(SubsidyParticipant).where(
                SubsidyParticipant.id == participant_id,
                SubsidyParticipant.application_id == application_id,
            )
        )
    )


@bp.route("/<int:application_id>/participants/<int:participant_id>/edit", methods=["GET", "POST"])
@module_access(MODULE, edit=True)
def edit_participant(application_id: int, participant_id: int):
    participant = _participant(application_id, participant_id)
    return _participant_page(participant.application, participant)


@bp.route("/<int:application_id>/participants/<int:participant_id>/remove", methods=["POST"])
@module_access(MODULE, edit=True)
def remove_participant(application_id: int, participant_id: int):
    participant = _participant(application_id, participant_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    back = url_for("subsidies.detail", application_id=application_id)
    if not confirmed():
        return confirmation_page(
            _(
                "Remove %(name)s from this application?",
                name=participant.organisation.name,
            ),
            _("Its amounts and the decision are removed with it."),
            _("Yes, remove"),
            back,
        )
    rules.remove_participant(db.session, participant)
    db.session.commit()
    flash(_("Participant removed."), "success")
    return redirect(back)
