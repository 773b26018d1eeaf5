"""Projects (with their budget lines and the Money Maatjes figures) and signals."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    form_status,
    module_access,
    or_404,
    show_violation,
    today,
)
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.projects.forms import (
    ArchiveForm,
    BudgetLineForm,
    ProjectForm,
    RemoveForm,
    SignalForm,
)
from maatjes.domain import projects as rules
from maatjes.domain import registry_access, search
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.models import (
    Area,
    BudgetLine,
    Neighbourhood,
    Organisation,
    Project,
    Signal,
    ThemeGroup,
)

bp = Blueprint("projects", __name__, url_prefix="/registry")


# --- projects -------------------------------------------------------------------------------


@bp.route("/projects")
@module_access("projects")
def index():
    every = ("", _("All"))
    groups = db.session.execute(select(ThemeGroup.id, ThemeGroup.name).order_by(ThemeGroup.name))
    filters = [
        Filter(
            "state",
            _l("Status"),
            [
                ("", _("Current (not archived)")),
                (rules.RUNNING, _("Running")),
                (rules.ENDED, _("Ended")),
                (rules.ARCHIVED, _("Archived")),
            ],
        ),
        Filter("theme_group", _l("Theme group"), [every] + [(str(i), n) for i, n in groups]),
    ]
    args = ListArgs.from_request(filters)
    counts = rules.organisation_counts()
    query = (
        select(Project, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.project_id == Project.id)
        .where(rules.state_clause(args.get("state"), today()))
    )
    found = search.matches(func.lower(Project.name + " " + Project.description), args.q)
    if found is not None:
        query = query.where(found)
    if args.get("theme_group"):
        query = query.where(Project.theme_group_id == int(args.get("theme_group")))
    page = paginate(
        db.session,
        query.options(
            joinedload(Project.lead_organisation), joinedload(Project.theme_group)
        ).order_by(Project.name, Project.id),
        args.page,
        rows=True,
    )
    live = None
    if any(project.is_money_maatjes for project, _n in page):
        live = rules.money_maatjes_figures(db.session)
    return render_template(
        "projects/index.html",
        rows=page,
        page=page,
        args=args,
        filters=filters,
        live=live,
        may_edit=registry_access.may_edit(current_user, "projects"),
    )


def _prepare(form: ProjectForm, project: Project | None) -> list[tuple[str, list[int]]]:
    """Fill the choices; returns the neighbourhoods grouped by area for the template."""
    linked = {o.id for o in project.organisations} if project else set()
    keep = {project.lead_organisation_id} if project and project.lead_organisation_id else set()
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.status).order_by(Organisation.name)
    ).all()
    form.lead_organisation.choices = [("", "—")] + [
        (i, n) for i, n, status in organisations if status != "left" or i in keep
    ]
    form.organisations.choices = [
        (i, n) for i, n, status in organisations if status != "left" or i in linked
    ]
    form.theme_group.choices = [("", "—")] + [
        (g.id, g.name)
        for g in db.session.scalars(select(ThemeGroup).order_by(ThemeGroup.name))
        if g.active or (project is not None and project.theme_group_id == g.id)
    ]
    rows = db.session.execute(
        select(Neighbourhood.id, Neighbourhood.name, Area.name)
        .join(Area, Area.id == Neighbourhood.area_id)
        .order_by(Area.name, Neighbourhood.name)
    ).all()
    form.neighbourhoods.choices = [(i, n) for i, n, _area in rows]
    grouped: dict[str, list[int]] = {}
    for i, _n, area in rows:
        grouped.setdefault(area, []).append(i)
    if project is not None and project.is_money_maatjes:
        del form.volunteers
        del form.residents_reached
    return list(grouped.items())


def _project_input(form: ProjectForm) -> rules.ProjectInput:
    def get(model, value):
        return db.session.get(model, value) if value else None

    return rules.ProjectInput(
        name=form.name.data or "",
        description=form.description.data or "",
        lead_organisation=get(Organisation, form.lead_organisation.data),
        organisations=list(
            db.session.scalars(
                select(Organisation).where(Organisation.id.in_(form.organisations.data or []))
            )
        ),
        theme_group=get(ThemeGroup, form.theme_group.data),
        started_on=form.started_on.data,
        ended_on=form.ended_on.data,
        volunteers=form.volunteers.data if "volunteers" in form else None,
        residents_reached=(form.residents_reached.data if "residents_reached" in form else None),
        neighbourhoods=list(
            db.session.scalars(
                select(Neighbourhood).where(Neighbourhood.id.in_(form.neighbourhoods.data or []))
            )
        ),
        results=form.results.data or "",
    )


@bp.route("/projects/new", methods=["GET", "POST"])
@module_access("projects", edit=True)
def new():
    form = ProjectForm()
    areas = _prepare(form, None)
    if form.validate_on_submit():
        try:
            project = rules.save_project(db.session, None, _project_input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Project %(name)s added.", name=project.name), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/form.html", form=form, project=None, areas=areas), form_status(
        form
    )


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@module_access("projects", edit=True)
def edit(project_id: int):
    project = or_404(db.session.get(Project, project_id))
    form = ProjectForm(obj=project)
    areas = _prepare(form, project)
    if not form.is_submitted():
        form.lead_organisation.data = project.lead_organisation_id
        form.theme_group.data = project.theme_group_id
        form.organisations.data = [o.id for o in project.organisations]
        form.neighbourhoods.data = [n.id for n in project.neighbourhoods]
    if form.validate_on_submit():
        try:
            rules.save_project(db.session, project, _project_input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template(
        "projects/form.html", form=form, project=project, areas=areas
    ), form_status(form)


def _render_detail(project: Project, budget_form: BudgetLineForm, status: int = 200):
    lines = db.session.scalars(
        select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.id)
    ).all()
    signals = db.session.scalars(
        select(Signal)
        .where(Signal.project_id == project.id)
        .options(
            joinedload(Signal.neighbourhood).joinedload(Neighbourhood.area),
            joinedload(Signal.theme_group),
        )
        .order_by(Signal.heard_on.desc(), Signal.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "projects/detail.html",
        project=project,
        lines=lines,
        total=rules.budget_total(db.session, project.id),
        signals=signals,
        signal_count=db.session.scalar(
            select(func.count(Signal.id)).where(Signal.project_id == project.id)
        ),
        live=rules.money_maatjes_figures(db.session) if project.is_money_maatjes else None,
        budget_form=budget_form,
        remove_form=RemoveForm(),
        archive_form=ArchiveForm(),
        may_edit=registry_access.may_edit(current_user, "projects"),
    ), status


def _project(project_id: int) -> Project:
    return or_404(
        db.session.scalar(
            select(Project)
            .where(Project.id == project_id)
            .options(
                joinedload(Project.lead_organisation),
                joinedload(Project.theme_group),
                selectinload(Project.organisations),
                selectinload(Project.neighbourhoods).joinedload(Neighbourhood.area),
            )
        )
    )


@bp.route("/projects/<int:project_id>")
@module_access("projects")
def detail(project_id: int):
    return _render_detail(_project(project_id), BudgetLineForm(formdata=None))


@bp.route("/projects/<int:project_id>/budget", methods=["POST"])
@module_access("projects", edit=True)
def add_budget_line(project_id: int):
    project = _project(project_id)
    form = BudgetLineForm()
    if form.validate_on_submit():
        try:
            rules.add_budget_line(db.session, project, form.description.data, form.amount.data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Budget line added."), "success")
            return redirect(url_for("projects.detail", project_id=project.id) + "#budget")
    return _render_detail(project, form, form_status(form))


@bp.route("/projects/<int:project_id>/budget/<int:line_id>/remove", methods=["POST"])
@module_access("projects", edit=True)
def remove_budget_line(project_id: int, line_id: int):
    line = or_404(
        db.session.scalar(
            select(BudgetLine).where(BudgetLine.id == line_id, BudgetLine.project_id == project_id)
        )
    )
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    back = url_for("projects.detail", project_id=project_id) + "#budget"
    if not confirmed():
        return confirmation_page(
            _("Remove the budget line “%(name)s”?", name=line.description),
            "",
            _("Yes, remove"),
            back,
        )
    rules.remove_budget_line(db.session, line)
    db.session.commit()
    flash(_("Budget line removed."), "success")
    return redirect(back)


@bp.route("/projects/<int:project_id>/archive", methods=["POST"])
@module_access("projects", edit=True)
def archive(project_id: int):
    """Archive a project (confirmed first) or bring it back; nothing is deleted."""
    project = or_404(db.session.get(Project, project_id))
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    archived = bool(form.archived.data)
    back = url_for("projects.detail", project_id=project.id)
    if archived and not project.archived and not confirmed():
        return confirmation_page(
            _("Archive %(name)s?", name=project.name),
            _(
                "It leaves the list of current projects; its budget, signals and results stay"
                " and it can be brought back."
            ),
            _("Yes, archive"),
            back,
        )
    rules.set_archived(db.session, project, archived)
    db.session.commit()
    flash(_("Project archived.") if archived else _("Project brought back."), "success")
    return redirect(back)


# --- signals --------------------------------------------------------------------------------


def _place(neighbourhood: Neighbourhood) -> str:
    return f"{neighbourhood.area.name} — {neighbourhood.name}"


def _int(value: str) -> int | None:
    return int(value) if value else None


@bp.route("/signals")
@module_access("signals")
def signals():
    every = ("", _("All"))
    groups = db.session.execute(
        select(ThemeGroup.id, ThemeGroup.name).order_by(ThemeGroup.name)
    ).all()
    places = db.session.execute(
        select(Neighbourhood.id, Neighbourhood.name, Area.id, Area.name)
        .join(Area, Area.id == Neighbourhood.area_id)
        .order_by(Area.name, Neighbourhood.name)
    ).all()
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
    projects = db.session.execute(select(Project.id, Project.name).order_by(Project.name)).all()
    years = rules.signal_years(db.session)
    filters = [
        Filter("theme_group", _l("Theme group"), [every] + [(str(i), n) for i, n in groups]),
        Filter("area", _l("Area"), [every] + [(str(i), n) for i, n in areas]),
        Filter(
            "neighbourhood",
            _l("Neighbourhood"),
            [every] + [(str(i), f"{a} — {n}") for i, n, _a_id, a in places],
        ),
        Filter("project", _l("Project"), [every] + [(str(i), n) for i, n in projects]),
        Filter("year", _l("Year"), [every] + [(str(y), str(y)) for y in years]),
    ]
    args = ListArgs.from_request(filters)
    year, project_id = _int(args.get("year")), _int(args.get("project"))
    query = select(Signal).join(Neighbourhood, Neighbourhood.id == Signal.neighbourhood_id)
    found = search.matches(func.lower(Signal.title + " " + Signal.description), args.q)
    if found is not None:
        query = query.where(found)
    if args.get("theme_group"):
        query = query.where(Signal.theme_group_id == int(args.get("theme_group")))
    if args.get("area"):
        query = query.where(Neighbourhood.area_id == int(args.get("area")))
    if args.get("neighbourhood"):
        query = query.where(Signal.neighbourhood_id == int(args.get("neighbourhood")))
    if project_id is not None:
        query = query.where(Signal.project_id == project_id)
    if year is not None:
        query = query.where(rules.year_clause(year))
    page = paginate(
        db.session,
        query.options(
            joinedload(Signal.neighbourhood).joinedload(Neighbourhood.area),
            joinedload(Signal.theme_group),
            joinedload(Signal.project),
        ).order_by(Signal.heard_on.desc(), Signal.id.desc()),
        args.page,
    )
    table = rules.signal_counts(db.session, year=year, project_id=project_id)
    return render_template(
        "projects/signals.html",
        signals=page,
        page=page,
        args=args,
        filters=filters,
        table=table,
        year=year,
        project_name=dict(projects).get(project_id) if project_id else None,
        place=_place,
        may_edit=registry_access.may_edit(current_user, "signals"),
    )


def _prepare_signal(form: SignalForm, signal: Signal | None) -> None:
    places = db.session.execute(
        select(Neighbourhood.id, Neighbourhood.name, Area.name)
        .join(Area, Area.id == Neighbourhood.area_id)
        .order_by(Area.name, Neighbourhood.name)
    ).all()
    form.neighbourhood.choices = [("", _("Choose…"))] + [(i, f"{a} — {n}") for i, n, a in places]
    form.theme_group.choices = [("", _("Choose…"))] + [
        (g.id, g.name)
        for g in db.session.scalars(select(ThemeGroup).order_by(ThemeGroup.name))
        if g.active or (signal is not None and signal.theme_group_id == g.id)
    ]
    form.project.choices = [("", "—")] + [
        (p.id, p.name)
        for p in db.session.scalars(select(Project).order_by(Project.name))
        if not p.archived or (signal is not None and signal.project_id == p.id)
    ]


def _signal_input(form: SignalForm) -> rules.SignalInput:
    return rules.SignalInput(
        title=form.title.data or "",
        description=form.description.data or "",
        neighbourhood=or_404(db.session.get(Neighbourhood, form.neighbourhood.data)),
        theme_group=or_404(db.session.get(ThemeGroup, form.theme_group.data)),
        project=db.session.get(Project, form.project.data) if form.project.data else None,
        heard_on=form.heard_on.data,
        residents=form.residents.data,
    )


def _save_signal(form: SignalForm, signal: Signal | None, template: str):
    if form.validate_on_submit():
        try:
            saved = rules.save_signal(
                db.session, signal, _signal_input(form), by=current_user, today=today()
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Signal saved and routed to %(group)s.",
                    group=saved.theme_group.name,
                ),
                "success",
            )
            return redirect(url_for("projects.signals"))
    return render_template(template, form=form, signal=signal), form_status(form)


@bp.route("/signals/new", methods=["GET", "POST"])
@module_access("signals", edit=True)
def new_signal():
    form = SignalForm()
    _prepare_signal(form, None)
    return _save_signal(form, None, "projects/signal_form.html")


@bp.route("/signals/<int:signal_id>/edit", methods=["GET", "POST"])
@module_access("signals", edit=True)
def edit_signal(signal_id: int):
    signal = or_404(db.session.get(Signal, signal_id))
    form = SignalForm(obj=signal)
    _prepare_signal(form, signal)
    if not form.is_submitted():
        form.neighbourhood.data = signal.neighbourhood_id
        form.theme_group.data = signal.theme_group_id
        form.project.data = signal.project_id
    return _save_signal(form, signal, "projects/signal_form.html")
