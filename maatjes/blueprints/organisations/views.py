"""The pact's organisations: the list, a page each, registering and editing, the admission of a
candidate (six criteria, then the decision), the charter, leaving, and the year-end counts.

Who may do what is asked of ``domain.registry_access``: an organisation a user may not see is
absent (404) on every page; pact support staff (admin) register, admit and edit; an
organisation contact edits its own organisation's details.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    or_404,
    roles_required,
    show_violation,
    today,
)
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.organisations.forms import (
    AssessmentForm,
    CharterForm,
    DecisionForm,
    DetailsForm,
    LeaveForm,
    NewOrganisationForm,
    OrganisationForm,
)
from maatjes.domain import meetings as meeting_rules
from maatjes.domain import organisations as rules
from maatjes.domain import people, registry_access, search
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import format_language_list
from maatjes.extensions import db
from maatjes.formatting import custom_language_names, label, long_date
from maatjes.labels import choices
from maatjes.models import Area, Assessment, Organisation, Person, Role, ThemeGroup
from maatjes.models.pact import theme_group_organisations
from maatjes.models.registry import organisation_areas, organisation_themes

bp = Blueprint("organisations", __name__, url_prefix="/registry/organisations")


# ---------------------------------------------------------------------------------------------
# The list and the counts


@bp.route("/")
@roles_required(*Role.ALL)
def index():
    """The organisations the user may see. A volunteer or an organisation contact sees one,
    their own: they are taken to its page."""
    if current_user.role in (Role.VOLUNTEER, Role.ORGANISATION_CONTACT):
        own = registry_access.own_organisation_id(db.session, current_user)
        if own is not None:
            return redirect(url_for("organisations.detail", organisation_id=own))
    every = ("", _("All"))
    area_query = select(Area.id, Area.name).order_by(Area.name)
    if current_user.role in Role.AREA_BOUND:
        # Buurtteam staff and Linking Pins choose among their own areas only.
        area_query = area_query.where(Area.id.in_(people.area_ids(db.session, current_user)))
    areas = db.session.execute(area_query).all()
    themes = db.session.execute(
        select(ThemeGroup.id, ThemeGroup.name).order_by(ThemeGroup.name)
    ).all()
    filters = [
        Filter("status", _l("Status"), [every, *choices("organisation_status")]),
        Filter("kind", _l("Kind"), [every, *choices("organisation_kind")]),
        Filter("area", _l("Area"), [every] + [(str(i), n) for i, n in areas]),
        Filter("theme", _l("Theme"), [every] + [(str(i), n) for i, n in themes]),
    ]
    args = ListArgs.from_request(filters)
    query = registry_access.organisations_query(db.session, current_user)
    found = search.matches(func.lower(Organisation.name), args.q)
    if found is not None:
        query = query.where(found)
    if args.get("status"):
        query = query.where(Organisation.status == args.get("status"))
    if args.get("kind"):
        query = query.where(Organisation.kind == args.get("kind"))
    if args.get("area"):
        query = query.where(
            exists().where(
                organisation_areas.c.organisation_id == Organisation.id,
                organisation_areas.c.area_id == int(args.get("area")),
            )
        )
    if args.get("theme"):
        query = query.where(
            exists().where(
                organisation_themes.c.organisation_id == Organisation.id,
                organisation_themes.c.theme_group_id == int(args.get("theme")),
            )
        )
    page = paginate(
        db.session,
        query.options(selectinload(Organisation.areas)).order_by(
            func.lower(Organisation.name), Organisation.id
        ),
        args.page,
    )
    return render_template(
        "organisations/index.html",
        page=page,
        args=args,
        filters=filters,
        may_add=registry_access.may_admit(current_user),
        no_area=people.holds_no_area(db.session, current_user),
    )


@bp.route("/counts")
@roles_required(Role.ADMIN, Role.LEAD)
def counts():
    """Members and partners at each year end, and who joined and left in each year."""
    years = rules.years_to_count(db.session, today())
    rows = rules.counts_at_year_ends(db.session, years)
    changes = rules.changes_by_year(db.session, years)
    return render_template("organisations/counts.html", rows=list(reversed(rows)), changes=changes)


# ---------------------------------------------------------------------------------------------
# Registering, the page, editing


def _details_choices(form: DetailsForm, organisation: Organisation | None) -> None:
    form.areas.choices = [
        (a.id, a.name) for a in db.session.scalars(select(Area).order_by(Area.name))
    ]
    chosen = [t.id for t in organisation.themes] if organisation is not None else []
    form.themes.choices = [
        (t.id, t.name)
        for t in db.session.scalars(
            select(ThemeGroup)
            .where(or_(ThemeGroup.active.is_(True), ThemeGroup.id.in_(chosen)))
            .order_by(ThemeGroup.name)
        )
    ]
    people = []
    if organisation is not None:
        people = db.session.scalars(
            select(Person)
            .where(
                Person.organisation_id == organisation.id,
                or_(Person.active.is_(True), Person.id == organisation.contact_person_id),
            )
            .order_by(Person.name)
        ).all()
    form.contact_person.choices = [("", _("— none —"))] + [(p.id, p.name) for p in people]
    if isinstance(form, OrganisationForm):
        form.kind.choices = choices("organisation_kind")


def _fill(form: DetailsForm, organisation: Organisation) -> None:
    """The stored values into a form shown for the first time."""
    form.areas.data = [a.id for a in organisation.areas]
    form.themes.data = [t.id for t in organisation.themes]
    form.contact_person.data = organisation.contact_person_id
    form.languages.data = format_language_list(
        [language.code for language in organisation.languages], custom_language_names()
    )


def _details(form: DetailsForm) -> rules.Details:
    """What the form says; ids outside the offered choices never get here (the fields check)."""
    areas = db.session.scalars(select(Area).where(Area.id.in_(form.areas.data or []))).all()
    themes = db.session.scalars(
        select(ThemeGroup).where(ThemeGroup.id.in_(form.themes.data or []))
    ).all()
    person = db.session.get(Person, form.contact_person.data) if form.contact_person.data else None
    return rules.Details(
        description=form.description.data or "",
        address=form.address.data or "",
        website=form.website.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        areas=list(areas),
        themes=list(themes),
        languages=form.languages.parsed,
        contact_person=person,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    form = NewOrganisationForm()
    _details_choices(form, None)
    status = 200
    if form.validate_on_submit():
        try:
            organisation = rules.create_organisation(
                db.session,
                form.name.data,
                form.kind.data,
                _details(form),
                rules.Entry(form.entry.data, form.joined_on.data, form.note.data or ""),
                today=today(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s added.", name=organisation.name), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    if form.is_submitted():
        status = 422
    return render_template("organisations/new.html", form=form), status


def _visible(organisation_id: int, *, details: bool = False) -> Organisation:
    """The organisation if the user may see it, else 404."""
    query = registry_access.organisations_query(db.session, current_user).where(
        Organisation.id == organisation_id
    )
    if details:
        query = query.options(
            selectinload(Organisation.areas),
            selectinload(Organisation.themes),
            selectinload(Organisation.languages),
            selectinload(Organisation.people),
            joinedload(Organisation.contact_person),
            selectinload(Organisation.assessments).joinedload(Assessment.assessed_by),
        )
    return or_404(db.session.scalar(query))


@bp.route("/<int:organisation_id>")
@roles_required(*Role.ALL)
def detail(organisation_id: int):
    organisation = _visible(organisation_id, details=True)
    return _render_detail(organisation)


def _render_detail(organisation: Organisation, *, charter_form=None, leave_form=None, status=200):
    admin = registry_access.may_admit(current_user)
    assessed = {a.criterion: a for a in organisation.assessments}
    charter_form = charter_form or CharterForm(formdata=None)
    leave_form = leave_form or LeaveForm(formdata=None)
    if not charter_form.signed_on.data and not charter_form.signed_on.raw_data:
        charter_form.signed_on.data = today()
    if not leave_form.left_on.data and not leave_form.left_on.raw_data:
        leave_form.left_on.data = today()
    # The theme groups it is a member of (one statement).
    groups = db.session.execute(
        select(ThemeGroup.id, ThemeGroup.name)
        .join(
            theme_group_organisations,
            theme_group_organisations.c.theme_group_id == ThemeGroup.id,
        )
        .where(theme_group_organisations.c.organisation_id == organisation.id)
        .order_by(ThemeGroup.name)
    ).all()
    # An organisation contact lands here (``index``): its own actions that are due show here,
    # as on the other roles' home pages.
    due = []
    if current_user.role == Role.ORGANISATION_CONTACT:
        due = meeting_rules.due_actions(db.session, current_user, today())
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        theme_groups=groups,
        due_actions=due,
        assessed=assessed,
        criteria=Assessment.CRITERIA,
        staff=current_user.role in Role.STAFF,
        may_edit=registry_access.may_edit_organisation(db.session, current_user, organisation),
        may_admit=admin,
        charter_form=charter_form,
        leave_form=leave_form,
    ), status


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@roles_required(*Role.ALL)
def edit(organisation_id: int):
    """Pact support staff edit everything but the status and the admission (their own steps);
    an organisation contact its own organisation's details. Rule: an organisation the user
    may not see is absent (404); one they see but may not edit is refused (403)."""
    organisation = _visible(organisation_id)
    if not registry_access.may_edit_organisation(db.session, current_user, organisation):
        abort(403)
    admin = registry_access.may_admit(current_user)
    form = (OrganisationForm if admin else DetailsForm)(obj=organisation)
    _details_choices(form, organisation)
    if not form.is_submitted():
        _fill(form, organisation)
    status = 200
    if form.validate_on_submit():
        try:
            rules.update_organisation(
                db.session,
                organisation,
                _details(form),
                name=form.name.data if admin else None,
                kind=form.kind.data if admin else None,
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    if form.is_submitted():
        status = 422
    return render_template(
        "organisations/edit.html", form=form, organisation=organisation, admin=admin
    ), status


# ---------------------------------------------------------------------------------------------
# Admission, charter, leaving


def _fill_assessment(form: AssessmentForm, organisation: Organisation) -> None:
    found = {a.criterion: a for a in organisation.assessments}
    for criterion, outcome, note in form.criteria():
        assessment = found.get(criterion)
        if assessment is None:
            outcome.data = "unassessed"
        else:
            outcome.data = "met" if assessment.met else "not_met"
            note.data = assessment.note


def _results(form: AssessmentForm) -> dict[str, tuple[bool | None, str]]:
    meaning = {"met": True, "not_met": False, "unassessed": None}
    return {
        criterion: (meaning[outcome.data], note.data or "")
        for criterion, outcome, note in form.criteria()
    }


@bp.route("/<int:organisation_id>/admission", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def admission(organisation_id: int):
    """The candidate's admission: the six criteria (one form), then the decision (another);
    the button pressed says which form was sent. Not a candidate: its page says how it ended."""
    organisation = _visible(organisation_id, details=True)
    if organisation.status != rules.CANDIDATE:
        flash(
            _("%(name)s is not a candidate: the admission was decided on.", name=organisation.name),
            "info",
        )
        return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    deciding = request.method == "POST" and "submit_decide" in request.form
    if deciding:
        assessment_form = AssessmentForm(formdata=None)
        _fill_assessment(assessment_form, organisation)
        decision_form = DecisionForm()
    else:
        assessment_form = AssessmentForm()
        if request.method != "POST":
            _fill_assessment(assessment_form, organisation)
        decision_form = DecisionForm(
            formdata=None, decided_on=today(), decision_note=organisation.decision_note
        )
    if deciding and decision_form.validate_on_submit():
        try:
            rules.decide(
                db.session,
                organisation,
                decision_form.decision.data,
                decision_form.decided_on.data,
                decision_form.decision_note.data or "",
                today=today(),
            )
        except RuleViolation as error:
            show_violation(decision_form, error)
        else:
            db.session.commit()
            if organisation.decision == rules.ADMITTED:
                flash(
                    _(
                        "%(name)s is admitted (%(kind)s) from %(day)s.",
                        name=organisation.name,
                        kind=label("organisation_kind", organisation.kind),
                        day=long_date(organisation.joined_on),
                    ),
                    "success",
                )
            else:
                flash(_("The decision is recorded: not admitted."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    elif not deciding and assessment_form.validate_on_submit():
        try:
            changed = rules.assess(
                db.session, organisation, _results(assessment_form), by=current_user, today=today()
            )
        except RuleViolation as error:
            show_violation(assessment_form, error)
        else:
            db.session.commit()
            flash(_("Assessment saved: %(n)d criteria changed.", n=changed), "success")
            return redirect(url_for("organisations.admission", organisation_id=organisation.id))
    status = 200
    if request.method == "POST":
        status = 422
        organisation = _visible(organisation_id, details=True)
    return render_template(
        "organisations/admission.html",
        organisation=organisation,
        assessment_form=assessment_form,
        decision_form=decision_form,
        assessed={a.criterion: a for a in organisation.assessments},
        missing=rules.missing_criteria(organisation),
    ), status


@bp.route("/<int:organisation_id>/charter", methods=["POST"])
@roles_required(Role.ADMIN)
def charter(organisation_id: int):
    organisation = _visible(organisation_id)
    form = CharterForm()
    if form.validate_on_submit():
        try:
            rules.sign_charter(db.session, organisation, form.signed_on.data, today=today())
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("The charter is recorded as signed."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return _render_detail(_visible(organisation_id, details=True), charter_form=form, status=422)


@bp.route("/<int:organisation_id>/leave", methods=["POST"])
@roles_required(Role.ADMIN)
def leave(organisation_id: int):
    """The organisation leaves the pact: its record and history stay; asked once more first."""
    organisation = _visible(organisation_id)
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            rules.leave(db.session, organisation, form.left_on.data, today=today())
        except RuleViolation as error:
            show_violation(form, error)
        else:
            if not confirmed():
                return confirmation_page(
                    _("Record that %(name)s left the pact?", name=organisation.name),
                    _(
                        "Left on %(day)s. It keeps its history (volunteers, people, meetings)"
                        " but no longer counts after that day.",
                        day=long_date(form.left_on.data),
                    ),
                    _("Yes, it left"),
                    url_for("organisations.detail", organisation_id=organisation.id),
                )
            db.session.commit()
            flash(_("%(name)s left the pact.", name=organisation.name), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return _render_detail(_visible(organisation_id, details=True), leave_form=form, status=422)
