"""Keeping the social map's activities (staff all, an organisation contact its own) and the
gaps and overlaps table.

Who may do what is asked of ``domain.activities``: a user who keeps no activities gets 403 on
every page here; an activity the user may not keep is absent (404).
"""

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    form_status,
    or_404,
    roles_required,
    show_violation,
    today,
)
from maatjes.blueprints.activities.forms import ActivityForm, ArchiveForm, CheckedForm
from maatjes.blueprints.fields import MAX_ID
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.domain import activities as rules
from maatjes.domain import search
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import format_language_list
from maatjes.extensions import db
from maatjes.formatting import custom_language_names
from maatjes.models import (
    Activity,
    Area,
    Neighbourhood,
    Organisation,
    Priority,
    Role,
    ThemeGroup,
)

bp = Blueprint("activities", __name__, url_prefix="/registry/activities")

NONE = rules.NO_AREA


def keeper_required(view: Callable) -> Callable:
    """Log-in required; the user must keep activities (staff, or the contact of an organisation
    that has not left), else 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not rules.may_keep_activities(db.session, current_user):
            abort(403)
        return view(*args, **kwargs)

    return login_required(wrapped)


def public_path(activity_id: int) -> str:
    """The activity's page on the public social map."""
    return f"/sociale-kaart/{activity_id}"


@bp.app_template_global()
def organisation_activities(organisation: Organisation) -> dict:
    """For the organisation's page: how many current activities it has on the social map, and
    whether the user may list them and add one."""
    count = db.session.scalar(
        select(func.count(Activity.id)).where(
            Activity.organisation_id == organisation.id, Activity.archived.is_(False)
        )
    )
    keeps = rules.keeps_all(current_user) or (
        (own := rules.own_organisation(db.session, current_user)) is not None
        and own.id == organisation.id
    )
    return {
        "count": count or 0,
        "may_list": keeps,
        "may_add": keeps and rules.may_add_for(db.session, current_user, organisation),
    }


# --- the list -------------------------------------------------------------------------------


def _where(query, column, value: str):
    if not value:
        return query
    if value == NONE:
        return query.where(column.is_(None))
    return query.where(column == int(value))


@bp.route("/")
@keeper_required
def index():
    staff = rules.keeps_all(current_user)
    every = ("", _("All"))
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
    themes = db.session.execute(
        select(ThemeGroup.id, ThemeGroup.name).order_by(ThemeGroup.name)
    ).all()
    priorities = db.session.execute(
        select(Priority.id, Priority.name, Area.name)
        .join(Area, Area.id == Priority.area_id)
        .order_by(Area.name, Priority.position, Priority.id)
    ).all()
    filters = []
    if staff:
        organisations = db.session.execute(
            select(Organisation.id, Organisation.name).order_by(func.lower(Organisation.name))
        ).all()
        filters.append(
            Filter(
                "organisation",
                _l("Organisation"),
                [every] + [(str(i), n) for i, n in organisations],
            )
        )
    filters += [
        Filter(
            "area",
            _l("Area"),
            [every] + [(str(i), n) for i, n in areas] + [(NONE, _("No area (online, at home)"))],
        ),
        Filter(
            "theme_group",
            _l("Theme"),
            [every] + [(str(i), n) for i, n in themes] + [(NONE, _("No theme"))],
        ),
        Filter(
            "priority",
            _l("Priority"),
            [every]
            + [(str(i), f"{a} — {n}") for i, n, a in priorities]
            + [(NONE, _("No priority"))],
        ),
        Filter(
            "checked",
            _l("Checked"),
            [every, ("stale", _("Not checked for 12 months"))],
        ),
        Filter(
            "archived",
            _l("Archived"),
            [("", _("Current (not archived)")), ("yes", _("Archived"))],
        ),
    ]
    args = ListArgs.from_request(filters)
    query = rules.activities_query(db.session, current_user)
    found = search.matches(
        func.lower(Activity.name + " " + Activity.description + " " + Activity.location_name),
        args.q,
    )
    if found is not None:
        query = query.where(found)
    if staff:
        query = _where(query, Activity.organisation_id, args.get("organisation"))
    query = _where(query, Activity.area_id, args.get("area"))
    query = _where(query, Activity.theme_group_id, args.get("theme_group"))
    query = _where(query, Activity.priority_id, args.get("priority"))
    if args.get("checked") == "stale":
        query = query.where(Activity.checked_on < rules.stale_before(today()))
    query = query.where(Activity.archived.is_(args.get("archived") == "yes"))
    page = paginate(
        db.session,
        query.options(
            joinedload(Activity.organisation),
            joinedload(Activity.area),
            joinedload(Activity.neighbourhood),
            joinedload(Activity.theme_group),
            joinedload(Activity.priority),
            selectinload(Activity.schedules),
        ).order_by(func.lower(Activity.name), Activity.id),
        args.page,
    )
    return render_template(
        "activities/index.html",
        page=page,
        args=args,
        filters=filters,
        staff=staff,
        stale_before=rules.stale_before(today()),
    )


# --- the form -------------------------------------------------------------------------------


def _prepare(form: ActivityForm, activity: Activity | None) -> None:
    if "organisation" in form:
        keep = activity.organisation_id if activity is not None else None
        form.organisation.choices = [("", _("Choose…"))] + [
            (i, n)
            for i, n, status in db.session.execute(
                select(Organisation.id, Organisation.name, Organisation.status).order_by(
                    func.lower(Organisation.name)
                )
            )
            if status != "left" or i == keep
        ]
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
    form.area.choices = [("", "—")] + [(i, n) for i, n in areas]
    grouped: dict[str, list] = {"": [("", "—")]}
    for i, n, area in db.session.execute(
        select(Neighbourhood.id, Neighbourhood.name, Area.name)
        .join(Area, Area.id == Neighbourhood.area_id)
        .order_by(Area.name, Neighbourhood.name)
    ):
        grouped.setdefault(area, []).append((i, n))
    form.neighbourhood.choices = grouped
    priorities: dict[str, list] = {"": [("", "—")]}
    for i, n, area in db.session.execute(
        select(Priority.id, Priority.name, Area.name)
        .join(Area, Area.id == Priority.area_id)
        .order_by(Area.name, Priority.position, Priority.id)
    ):
        priorities.setdefault(area, []).append((i, n))
    form.priority.choices = priorities
    keep_theme = activity.theme_group_id if activity is not None else None
    form.theme_group.choices = [("", "—")] + [
        (g.id, g.name)
        for g in db.session.scalars(
            select(ThemeGroup)
            .where(or_(ThemeGroup.active.is_(True), ThemeGroup.id == keep_theme))
            .order_by(ThemeGroup.name)
        )
    ]


def _fill(form: ActivityForm, activity: Activity) -> None:
    """The stored values into a form shown for the first time."""
    if "organisation" in form:
        form.organisation.data = activity.organisation_id
    form.area.data = activity.area_id
    form.neighbourhood.data = activity.neighbourhood_id
    form.theme_group.data = activity.theme_group_id
    form.priority.data = activity.priority_id
    form.target_groups.data = activity.target_groups
    form.languages.data = format_language_list(
        [language.code for language in activity.languages], custom_language_names()
    )
    weekly = [s for s in activity.schedules if s.weekly]
    once = [s for s in activity.schedules if not s.weekly]
    for rows, field, extra in ((weekly, form.weekly, 1), (once, form.once, 1)):
        while len(field.entries) < min(len(rows) + extra, field.max_entries):
            field.append_entry()
        for entry, row in zip(field.entries, rows, strict=False):
            for name in ("weekday", "on_date", "opens_at", "closes_at"):
                if name in entry.form:
                    entry.form[name].data = getattr(row, name)


def _get(model, value):
    return db.session.get(model, value) if value else None


def _input(form: ActivityForm, organisation: Organisation | None) -> rules.ActivityInput:
    schedules = [
        rules.ScheduleInput(
            weekday=entry.form.weekday.data,
            opens_at=entry.form.opens_at.data,
            closes_at=entry.form.closes_at.data,
        )
        for entry in form.weekly
    ] + [
        rules.ScheduleInput(
            on_date=entry.form.on_date.data,
            opens_at=entry.form.opens_at.data,
            closes_at=entry.form.closes_at.data,
        )
        for entry in form.once
    ]
    return rules.ActivityInput(
        organisation=organisation,
        name=form.name.data or "",
        description=form.description.data or "",
        target_groups=list(form.target_groups.data or []),
        minimum_age=form.minimum_age.data,
        maximum_age=form.maximum_age.data,
        place=form.place.data or "",
        area=_get(Area, form.area.data),
        neighbourhood=_get(Neighbourhood, form.neighbourhood.data),
        location_name=form.location_name.data or "",
        address=form.address.data or "",
        postal_code=form.postal_code.data or "",
        city=form.city.data or "",
        cost=form.cost.data or "",
        cost_amount=form.cost_amount.data,
        access=form.access.data or "",
        phone=form.phone.data or "",
        email=form.email.data or "",
        website=form.website.data or "",
        theme_group=_get(ThemeGroup, form.theme_group.data),
        priority=_get(Priority, form.priority.data),
        languages=form.languages.parsed,
        schedules=schedules,
    )


def _save(form: ActivityForm, activity: Activity | None, fixed: Organisation | None):
    if form.validate_on_submit():
        organisation = fixed
        if organisation is None:
            organisation = _get(Organisation, form.organisation.data)
        try:
            saved = rules.save_activity(
                db.session,
                activity,
                _input(form, organisation),
                by=current_user,
                today=today(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Activity %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("activities.detail", activity_id=saved.id))
    return render_template(
        "activities/form.html", form=form, activity=activity, fixed=fixed
    ), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@keeper_required
def new():
    form = ActivityForm()
    fixed = None
    if rules.keeps_all(current_user):
        wanted = request.args.get("organisation", "")
        if not form.is_submitted() and wanted.isdigit() and int(wanted) <= MAX_ID:
            form.organisation.data = int(wanted)
    else:
        fixed = rules.own_organisation(db.session, current_user)
        del form.organisation
    _prepare(form, None)
    return _save(form, None, fixed)


def _activity(activity_id: int, *, details: bool = False) -> Activity:
    """The activity if the user keeps it, else 404."""
    query = rules.activities_query(db.session, current_user).where(Activity.id == activity_id)
    if details:
        query = query.options(
            joinedload(Activity.organisation),
            joinedload(Activity.area),
            joinedload(Activity.neighbourhood),
            joinedload(Activity.theme_group),
            joinedload(Activity.priority),
            selectinload(Activity.languages),
            selectinload(Activity.schedules),
            selectinload(Activity.target_group_rows),
        )
    return or_404(db.session.scalar(query))


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@keeper_required
def edit(activity_id: int):
    activity = _activity(activity_id, details=True)
    form = ActivityForm(obj=activity)
    fixed = None
    if not rules.keeps_all(current_user):
        fixed = activity.organisation
        del form.organisation
    _prepare(form, activity)
    if not form.is_submitted():
        _fill(form, activity)
    return _save(form, activity, fixed)


@bp.route("/<int:activity_id>")
@keeper_required
def detail(activity_id: int):
    activity = _activity(activity_id, details=True)
    return render_template(
        "activities/detail.html",
        activity=activity,
        public_path=public_path(activity.id),
        stale=rules.is_stale(activity, today()),
        checked_form=CheckedForm(),
        archive_form=ArchiveForm(),
    )


@bp.route("/<int:activity_id>/checked", methods=["POST"])
@keeper_required
def checked(activity_id: int):
    """Someone looked at the activity: it is still right (checked today)."""
    activity = _activity(activity_id)
    if not CheckedForm().validate_on_submit():
        abort(400)
    rules.mark_checked(activity, today())
    db.session.commit()
    flash(_("Marked as checked today."), "success")
    return redirect(url_for("activities.detail", activity_id=activity.id))


@bp.route("/<int:activity_id>/archive", methods=["POST"])
@keeper_required
def archive(activity_id: int):
    """Archive an activity (confirmed first) or bring it back; nothing is deleted."""
    activity = _activity(activity_id)
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    archived = bool(form.archived.data)
    back = url_for("activities.detail", activity_id=activity.id)
    if archived and not activity.archived and not confirmed():
        return confirmation_page(
            _("Archive %(name)s?", name=activity.name),
            _("It leaves the social map and the gaps table; it is kept and can be brought back."),
            _("Yes, archive"),
            back,
        )
    if archived:
        rules.archive(activity)
    else:
        rules.restore(activity)
    db.session.commit()
    flash(_("Activity archived.") if archived else _("Activity brought back."), "success")
    return redirect(back)


# --- gaps and overlaps ----------------------------------------------------------------------


@bp.route("/gaps")
@roles_required(*Role.STAFF)
def gaps():
    return render_template("activities/gaps.html", gaps=rules.gaps(db.session), no_value=NONE)
