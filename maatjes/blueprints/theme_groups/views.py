"""Theme groups: the list, a group's page with its members, meetings, projects and signals,
and the admin's forms (new, edit, members)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from maatjes.blueprints import form_status, module_access, or_404, show_violation, today
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.theme_groups.forms import MembersForm, ThemeGroupForm
from maatjes.domain import registry_access, search
from maatjes.domain import theme_groups as rules
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.models import ThemeGroup

bp = Blueprint("theme_groups", __name__, url_prefix="/registry/theme-groups")

MODULE = "theme_groups"


reads = module_access(MODULE)
edits = module_access(MODULE, edit=True)


@bp.route("/")
@reads
def index():
    filters = [
        Filter(
            "state",
            _l("Status"),
            [("", _("Active")), ("archived", _("Archived")), ("all", _("All"))],
        )
    ]
    args = ListArgs.from_request(filters)
    year = today().year
    query = rules.list_query(year)
    found = search.matches(func.lower(ThemeGroup.name + " " + ThemeGroup.description), args.q)
    if found is not None:
        query = query.where(found)
    if args.get("state") == "":
        query = query.where(ThemeGroup.active.is_(True))
    elif args.get("state") == "archived":
        query = query.where(ThemeGroup.active.is_(False))
    page = paginate(
        db.session, query.order_by(ThemeGroup.name, ThemeGroup.id), args.page, rows=True
    )
    return render_template(
        "theme_groups/index.html",
        rows=page,
        page=page,
        args=args,
        filters=filters,
        year=year,
        may_edit=registry_access.may_edit(current_user, MODULE),
    )


def _input(form: ThemeGroupForm) -> rules.ThemeGroupInput:
    return rules.ThemeGroupInput(
        name=form.name.data or "",
        description=form.description.data or "",
        results=form.results.data or "",
        active=bool(form.active.data),
    )


@bp.route("/new", methods=["GET", "POST"])
@edits
def new():
    form = ThemeGroupForm()
    if form.validate_on_submit():
        try:
            group = rules.save_theme_group(db.session, None, _input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Theme group added."), "success")
            return redirect(url_for("theme_groups.detail", theme_group_id=group.id))
    return render_template("theme_groups/form.html", form=form, group=None), form_status(form)


@bp.route("/<int:theme_group_id>/edit", methods=["GET", "POST"])
@edits
def edit(theme_group_id: int):
    group = or_404(db.session.get(ThemeGroup, theme_group_id))
    form = ThemeGroupForm(obj=group)
    if form.validate_on_submit():
        try:
            rules.save_theme_group(db.session, group, _input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Theme group saved."), "success")
            return redirect(url_for("theme_groups.detail", theme_group_id=group.id))
    return render_template("theme_groups/form.html", form=form, group=group), form_status(form)


def _members_form(group: ThemeGroup, bound: bool) -> MembersForm:
    form = MembersForm(prefix="members") if bound else MembersForm(prefix="members", formdata=None)
    organisations, people = rules.member_choices(db.session, group)
    form.organisations.choices = [(i, name) for i, name in organisations]
    form.people.choices = [(i, f"{name} ({org})" if org else name) for i, name, org in people]
    if not bound:
        form.organisations.data = [o.id for o in group.organisations]
        form.people.data = [p.id for p in group.people]
    return form


def _group(theme_group_id: int) -> ThemeGroup:
    return or_404(
        db.session.scalar(
            select(ThemeGroup)
            .where(ThemeGroup.id == theme_group_id)
            .options(selectinload(ThemeGroup.organisations), selectinload(ThemeGroup.people))
        )
    )


def _detail(group: ThemeGroup, members_form: MembersForm | None = None, status: int = 200):
    may_edit = registry_access.may_edit(current_user, MODULE)
    if may_edit and members_form is None:
        members_form = _members_form(group, bound=False)
    return render_template(
        "theme_groups/detail.html",
        group=group,
        meetings=rules.meetings_of(db.session, group),
        routed=rules.routed(db.session, group),
        may_edit=may_edit,
        members_form=members_form,
    ), status


@bp.route("/<int:theme_group_id>")
@reads
def detail(theme_group_id: int):
    return _detail(_group(theme_group_id))


@bp.route("/<int:theme_group_id>/members", methods=["POST"])
@edits
def members(theme_group_id: int):
    group = _group(theme_group_id)
    form = _members_form(group, bound=True)
    if not form.validate():
        if "csrf_token" in form and form.csrf_token.errors:
            abort(400)
        return _detail(group, form, 422)
    try:
        rules.set_members(
            db.session, group, set(form.organisations.data or ()), set(form.people.data or ())
        )
    except RuleViolation as error:
        show_violation(form, error)
        return _detail(_group(theme_group_id), form, 422)
    db.session.commit()
    flash(_("Members saved."), "success")
    return redirect(url_for("theme_groups.detail", theme_group_id=group.id, _anchor="members"))
