"""Areas of Zuidoost with their neighbourhoods and the municipality's priorities per area.
Pact support staff keep them; project leads read them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    or_404,
    roles_required,
    show_violation,
)
from maatjes.blueprints.areas.forms import AreaForm, NeighbourhoodForm, PriorityForm
from maatjes.blueprints.listing import ListArgs, paginate
from maatjes.domain import areas, people, registry_access, search
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.models import Area, Neighbourhood, Organisation, Person, PersonRole, Priority, Role
from maatjes.models.registry import organisation_areas

bp = Blueprint("areas", __name__, url_prefix="/registry/areas")

READERS = (Role.ADMIN, Role.LEAD)


def _may_edit() -> bool:
    return registry_access.may_edit(current_user, "areas")


def _editor() -> None:
    if not _may_edit():
        abort(403)


def _linking_pins(area_ids: list[int]) -> dict[int, list[Person]]:
    """The current Linking Pins of these areas from the registry (one statement)."""
    found: dict[int, list[Person]] = {area_id: [] for area_id in area_ids}
    if not area_ids:
        return found
    rows = db.session.execute(
        select(PersonRole.area_id, Person)
        .join(Person, Person.id == PersonRole.person_id)
        .where(
            PersonRole.role == PersonRole.LINKING_PIN,
            PersonRole.ended_on.is_(None),
            PersonRole.area_id.in_(area_ids),
        )
        .options(joinedload(Person.user))
        .order_by(Person.name, Person.id)
    ).all()
    for area_id, person in rows:
        found[area_id].append(person)
    return found


# --- the list ------------------------------------------------------------------------------


def _render_index(form: AreaForm, status: int = 200):
    args = ListArgs.from_request([])
    priorities = (
        select(Priority.area_id, func.count(Priority.id).label("n"))
        .group_by(Priority.area_id)
        .subquery()
    )
    organisations = (
        select(organisation_areas.c.area_id, func.count().label("n"))
        .join(Organisation, Organisation.id == organisation_areas.c.organisation_id)
        .where(Organisation.status != "left")
        .group_by(organisation_areas.c.area_id)
        .subquery()
    )
    query = (
        select(Area, func.coalesce(priorities.c.n, 0), func.coalesce(organisations.c.n, 0))
        .outerjoin(priorities, priorities.c.area_id == Area.id)
        .outerjoin(organisations, organisations.c.area_id == Area.id)
        .options(selectinload(Area.neighbourhoods))
    )
    found = search.matches(func.lower(Area.name), args.q)
    if found is not None:
        query = query.where(found)
    page = paginate(db.session, query.order_by(Area.name, Area.id), args.page, rows=True)
    pins = _linking_pins([row[0].id for row in page])
    return render_template(
        "areas/index.html",
        rows=page,
        page=page,
        args=args,
        pins=pins,
        form=form,
        may_edit=_may_edit(),
    ), status


@bp.route("/", methods=["GET", "POST"])
@roles_required(*READERS)
def index():
    form = AreaForm()
    if not form.is_submitted():
        return _render_index(form)
    _editor()
    if form.validate_on_submit():
        try:
            area = areas.add_area(db.session, form.name.data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Area %(name)s added.", name=area.name), "success")
            return redirect(url_for("areas.detail", area_id=area.id))
    return _render_index(form, 422)


# --- one area ------------------------------------------------------------------------------


def _render_detail(
    area_id: int,
    *,
    rename: AreaForm | None = None,
    neighbourhood: NeighbourhoodForm | None = None,
    priority: PriorityForm | None = None,
    failed_neighbourhood: tuple[int, NeighbourhoodForm] | None = None,
    message: str | None = None,
    status: int = 200,
):
    area = or_404(
        db.session.scalar(
            select(Area)
            .where(Area.id == area_id)
            .options(selectinload(Area.neighbourhoods), selectinload(Area.priorities))
        )
    )
    return render_template(
        "areas/detail.html",
        area=area,
        uses=areas.neighbourhood_uses(db.session, area.id),
        pins=people.linking_pins_by_area(db.session, [area.id])[0].pins,
        may_edit=_may_edit(),
        rename=rename or AreaForm(formdata=None, name=area.name),
        neighbourhood=neighbourhood or NeighbourhoodForm(formdata=None),
        priority=priority or PriorityForm(formdata=None),
        failed_neighbourhood=failed_neighbourhood,
        message=message,
    ), status


@bp.route("/<int:area_id>")
@roles_required(*READERS)
def detail(area_id: int):
    return _render_detail(area_id)


@bp.route("/<int:area_id>/rename", methods=["POST"])
@roles_required(*READERS)
def rename(area_id: int):
    _editor()
    area = or_404(db.session.get(Area, area_id))
    form = AreaForm()
    if form.validate_on_submit():
        try:
            areas.rename_area(db.session, area, form.name.data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("areas.detail", area_id=area_id))
    return _render_detail(area_id, rename=form, status=422)


# --- neighbourhoods ------------------------------------------------------------------------


@bp.route("/<int:area_id>/neighbourhoods", methods=["POST"])
@roles_required(*READERS)
def add_neighbourhood(area_id: int):
    _editor()
    area = or_404(db.session.get(Area, area_id))
    form = NeighbourhoodForm()
    if form.validate_on_submit():
        try:
            added = areas.add_neighbourhood(db.session, area, form.name.data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Neighbourhood %(name)s added.", name=added.name), "success")
            return redirect(url_for("areas.detail", area_id=area_id) + "#neighbourhoods")
    return _render_detail(area_id, neighbourhood=form, status=422)


@bp.route("/neighbourhoods/<int:neighbourhood_id>/rename", methods=["POST"])
@roles_required(*READERS)
def rename_neighbourhood(neighbourhood_id: int):
    _editor()
    neighbourhood = or_404(db.session.get(Neighbourhood, neighbourhood_id))
    area_id = neighbourhood.area_id
    form = NeighbourhoodForm()
    if form.validate_on_submit():
        try:
            areas.rename_neighbourhood(db.session, neighbourhood, form.name.data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("areas.detail", area_id=area_id) + "#neighbourhoods")
    return _render_detail(
        area_id,
        failed_neighbourhood=(neighbourhood_id, form),
        status=422,
    )


@bp.route("/neighbourhoods/<int:neighbourhood_id>/remove", methods=["POST"])
@roles_required(*READERS)
def remove_neighbourhood(neighbourhood_id: int):
    _editor()
    neighbourhood = or_404(db.session.get(Neighbourhood, neighbourhood_id))
    area_id, name = neighbourhood.area_id, neighbourhood.name
    back = url_for("areas.detail", area_id=area_id) + "#neighbourhoods"
    try:
        areas.remove_neighbourhood(db.session, neighbourhood)
    except RuleViolation as error:
        db.session.rollback()
        return _render_detail(area_id, message=str(error.message), status=422)
    if not confirmed():
        return confirmation_page(
            _("Remove the neighbourhood %(name)s?", name=name),
            _("No signal or project is filed under it."),
            _("Yes, remove"),
            back,
        )
    db.session.commit()
    flash(_("Neighbourhood %(name)s removed.", name=name), "success")
    return redirect(back)


# --- priorities ----------------------------------------------------------------------------


def _priority_input(form: PriorityForm) -> areas.PriorityInput:
    return areas.PriorityInput(name=form.name.data or "", description=form.description.data or "")


@bp.route("/<int:area_id>/priorities", methods=["POST"])
@roles_required(*READERS)
def add_priority(area_id: int):
    _editor()
    area = or_404(db.session.get(Area, area_id))
    form = PriorityForm()
    if form.validate_on_submit():
        try:
            added = areas.add_priority(db.session, area, _priority_input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Priority %(name)s added.", name=added.name), "success")
            return redirect(url_for("areas.detail", area_id=area_id) + "#priorities")
    return _render_detail(area_id, priority=form, status=422)


@bp.route("/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@roles_required(*READERS)
def edit_priority(priority_id: int):
    _editor()
    priority = or_404(db.session.get(Priority, priority_id))
    # A post is read as posted: a field left out is empty, not the stored value.
    if request.method == "POST":
        form = PriorityForm()
    else:
        form = PriorityForm(name=priority.name, description=priority.description)
    if form.validate_on_submit():
        try:
            areas.edit_priority(db.session, priority, _priority_input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("areas.detail", area_id=priority.area_id) + "#priorities")
    status = 422 if form.is_submitted() else 200
    return render_template("areas/priority.html", form=form, priority=priority), status


@bp.route("/priorities/<int:priority_id>/move", methods=["POST"])
@roles_required(*READERS)
def move_priority(priority_id: int):
    _editor()
    priority = or_404(db.session.get(Priority, priority_id))
    area_id = priority.area_id
    try:
        areas.move_priority(db.session, priority, request.form.get("direction", ""))
    except RuleViolation as error:
        db.session.rollback()
        return _render_detail(area_id, message=str(error.message), status=422)
    db.session.commit()
    return redirect(url_for("areas.detail", area_id=area_id) + "#priorities")


@bp.route("/priorities/<int:priority_id>/remove", methods=["POST"])
@roles_required(*READERS)
def remove_priority(priority_id: int):
    _editor()
    priority = or_404(db.session.get(Priority, priority_id))
    area_id, name = priority.area_id, priority.name
    back = url_for("areas.detail", area_id=area_id) + "#priorities"
    try:
        areas.remove_priority(db.session, priority)
    except RuleViolation as error:
        db.session.rollback()
        return _render_detail(area_id, message=str(error.message), status=422)
    if not confirmed():
        return confirmation_page(
            _("Remove the priority %(name)s?", name=name),
            _("Its description goes with it."),
            _("Yes, remove"),
            back,
        )
    db.session.commit()
    flash(_("Priority %(name)s removed.", name=name), "success")
    return redirect(back)
