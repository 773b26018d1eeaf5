"""The people of the pact: contact persons of organisations, their roles in the pact (core group,
Linking Pin of an area, theme group lead, trainer) and their accounts; and the Linking Pins per
area, as the handover module reaches them."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import exists, false, func, literal, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    or_404,
    roles_required,
    show_violation,
    today,
)
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.people.forms import AccountForm, EndRoleForm, PersonForm, RoleForm
from maatjes.domain import people, registry_access, search
from maatjes.domain.clock import now_utc
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.formatting import label
from maatjes.labels import choices
from maatjes.models import Area, Organisation, Person, PersonRole, Role, ThemeGroup
from maatjes.models.pact import theme_group_people

bp = Blueprint("people", __name__, url_prefix="/registry/people")


@bp.app_template_global()
def user_area_names(user) -> str:
    """The areas the account acts for, for the navigation bar's "who" line ("" for none)."""
    return ", ".join(people.area_names(db.session, user))


# Who reads the people of the registry (each sees those ``registry_access.people_query`` gives).
READERS = (Role.ADMIN, Role.LEAD, Role.BUURTTEAM, Role.LINKING_PIN, Role.ORGANISATION_CONTACT)
# Who keeps contact details: pact support staff for everyone, an organisation contact for the
# people of its own organisation (``registry_access.may_edit_person``).
EDITORS = (Role.ADMIN, Role.ORGANISATION_CONTACT)
# The account roles a project lead may give (not the staff roles).
NOT_STAFF = tuple(r for r in Role.ALL if r not in Role.STAFF)


def _loaded():
    """A person's organisation, account and roles, in the statements that load the person."""
    return (
        joinedload(Person.user),
        selectinload(Person.roles).joinedload(PersonRole.area),
        selectinload(Person.roles).joinedload(PersonRole.theme_group),
    )


def _visible(person_id: int) -> Person:
    """The person, when the user may see them; else 404 (existence does not leak)."""
    return or_404(
        db.session.scalar(
            registry_access.people_query(db.session, current_user)
            .where(Person.id == person_id)
            .options(joinedload(Person.organisation), *_loaded())
        )
    )


# --- the list ------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*READERS)
def index():
    staff = current_user.role in Role.STAFF
    every = ("", _("All"))
    organisations = db.session.execute(
        registry_access.organisations_query(db.session, current_user)
        .with_only_columns(Organisation.id, Organisation.name)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    filters = [
        Filter(
            "role",
            _l("Role in the pact"),
            [every] + [(r, label("person_role", r)) for r in PersonRole.ROLES],
        ),
        Filter(
            "organisation",
            _l("Organisation"),
            [every]
            + [(str(i), n) for i, n in organisations]
            + ([("none", _("No organisation"))] if staff else []),
        ),
    ]
    if staff:
        filters.append(
            Filter(
                "account",
                _l("Account"),
                [every, ("with", _("With an account")), ("without", _("Without an account"))],
            )
        )
    filters.append(
        Filter("status", _l("Status"), [("active", _("Active")), ("archived", _("Archived"))])
    )
    args = ListArgs.from_request(filters)
    query = (
        registry_access.people_query(db.session, current_user)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.active.is_(args.get("status") != "archived"))
    )
    found = search.matches(
        func.lower(
            Person.name
            + literal(" ")
            + Person.email
            + literal(" ")
            + func.coalesce(Organisation.name, "")
        ),
        args.q,
    )
    if found is not None:
        query = query.where(found)
    if args.get("role"):
        query = query.where(
            exists().where(
                PersonRole.person_id == Person.id,
                PersonRole.role == args.get("role"),
                PersonRole.ended_on.is_(None),
            )
        )
    chosen = args.get("organisation")
    if request.args.get("organisation") and not chosen:
        # An organisation the user may not see (or no organisation at all) has no one to show:
        # an empty list, not everyone.
        query = query.where(false())
    elif chosen == "none":
        query = query.where(Person.organisation_id.is_(None))
    elif chosen:
        query = query.where(Person.organisation_id == int(chosen))
    if args.get("account") == "with":
        query = query.where(Person.user_id.is_not(None))
    elif args.get("account") == "without":
        query = query.where(Person.user_id.is_(None))
    page = paginate(
        db.session,
        query.options(contains_eager(Person.organisation), *_loaded()).order_by(
            Person.name, Person.id
        ),
        args.page,
    )
    return render_template(
        "people/index.html",
        people=page,
        page=page,
        args=args,
        filters=filters,
        staff=staff,
        may_add=_may_add(),
        no_area=people.holds_no_area(db.session, current_user),
    )


def _may_add() -> bool:
    if current_user.role == Role.ADMIN:
        return True
    return (
        current_user.role == Role.ORGANISATION_CONTACT
        and registry_access.own_organisation_id(db.session, current_user) is not None
    )


# --- one person ----------------------------------------------------------------------------


def _prepare_role_form(form: RoleForm) -> None:
    form.role.choices = [("", _("Choose a role…"))] + choices("person_role")
    form.area.choices = [("", "—")] + [
        (a.id, a.name) for a in db.session.scalars(select(Area).order_by(Area.name))
    ]
    form.theme_group.choices = [("", "—")] + [
        (g.id, g.name)
        for g in db.session.scalars(
            select(ThemeGroup).where(ThemeGroup.active.is_(True)).order_by(ThemeGroup.name)
        )
    ]


def _render_detail(
    person: Person,
    *,
    role_form: RoleForm | None = None,
    end_form: EndRoleForm | None = None,
    end_role_id: int | None = None,
    status: int = 200,
):
    admin = current_user.role == Role.ADMIN
    if admin and role_form is None:
        role_form = RoleForm(formdata=None, started_on=today())
    if role_form is not None:
        _prepare_role_form(role_form)
    groups = db.session.scalars(
        select(ThemeGroup)
        .join(theme_group_people, theme_group_people.c.theme_group_id == ThemeGroup.id)
        .where(theme_group_people.c.person_id == person.id)
        .order_by(ThemeGroup.name)
    ).all()
    current = [r for r in person.roles if r.current]
    past = sorted(
        (r for r in person.roles if not r.current), key=lambda r: r.ended_on, reverse=True
    )
    may_edit = registry_access.may_edit_person(db.session, current_user, person)
    return render_template(
        "people/detail.html",
        person=person,
        current_roles=current,
        past_roles=past,
        groups=groups,
        admin=admin,
        staff=current_user.role in Role.STAFF,
        may_edit=may_edit,
        may_archive=may_edit and person.active and person.user_id != current_user.id,
        role_form=role_form,
        end_form=end_form,
        end_role_id=end_role_id,
        fresh_end=EndRoleForm(formdata=None, ended_on=today()),
    ), status


@bp.route("/<int:person_id>")
@roles_required(*READERS)
def detail(person_id: int):
    return _render_detail(_visible(person_id))


# --- contact details -----------------------------------------------------------------------


def _prepare_person_form(form: PersonForm, person: Person | None) -> Organisation | None:
    """Admins choose from the organisations that have not left (and keep a person's own);
    an organisation contact's organisation is fixed: returned, and the field is dropped."""
    if current_user.role != Role.ADMIN:
        own = registry_access.own_organisation_id(db.session, current_user)
        if own is None:
            abort(403)
        del form.organisation
        return person.organisation if person is not None else db.session.get(Organisation, own)
    still_in = Organisation.status != "left"
    if person is not None and person.organisation_id is not None:
        still_in = or_(still_in, Organisation.id == person.organisation_id)
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(still_in).order_by(Organisation.name)
    ).all()
    form.organisation.choices = [("", _("— no organisation —"))] + [(i, n) for i, n in rows]
    return None


def _person_input(form: PersonForm, fixed: Organisation | None) -> people.PersonInput:
    if "organisation" in form:
        organisation = (
            db.session.get(Organisation, form.organisation.data) if form.organisation.data else None
        )
    else:
        organisation = fixed
    return people.PersonInput(
        name=form.name.data or "",
        function=form.function.data or "",
        organisation=organisation,
        email=form.email.data or "",
        phone=form.phone.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = PersonForm()
    fixed = _prepare_person_form(form, None)
    if form.validate_on_submit():
        try:
            person = people.save_person(db.session, None, _person_input(form, fixed))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s added.", name=person.name), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    status = 422 if form.is_submitted() else 200
    return render_template("people/form.html", form=form, person=None, fixed=fixed), status


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(person_id: int):
    person = _visible(person_id)
    if not registry_access.may_edit_person(db.session, current_user, person):
        abort(403)
    # A post is read as posted: a field left out is empty, not the stored value.
    if request.method == "POST":
        form = PersonForm()
    else:
        form = PersonForm(
            name=person.name,
            function=person.function,
            organisation=person.organisation_id,
            email=person.email,
            phone=person.phone,
        )
    fixed = _prepare_person_form(form, person)
    if form.validate_on_submit():
        try:
            people.save_person(db.session, person, _person_input(form, fixed))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    status = 422 if form.is_submitted() else 200
    return render_template("people/form.html", form=form, person=person, fixed=fixed), status


@bp.route("/<int:person_id>/archive", methods=["POST"])
@roles_required(*EDITORS)
def archive(person_id: int):
    """Pact support staff archive anyone; an organisation contact its own organisation's
    people (``registry_access.may_edit_person``), not itself."""
    person = _visible(person_id)
    if not registry_access.may_edit_person(db.session, current_user, person):
        abort(403)
    back = url_for("people.detail", person_id=person.id)
    try:
        people.check_archive(person, by=current_user)
    except RuleViolation as error:
        show_violation(None, error)
        return redirect(back)
    if not confirmed():
        return confirmation_page(
            _("Archive %(name)s?", name=person.name),
            _(
                "Their roles in the pact end today and their account, if they have one, is"
                " blocked. Meetings, actions and theme groups keep their name."
            ),
            _("Yes, archive"),
            back,
        )
    try:
        people.archive_person(db.session, person, by=current_user, today=today())
    except RuleViolation as error:
        show_violation(None, error)
    else:
        db.session.commit()
        flash(_("%(name)s is archived.", name=person.name), "success")
    return redirect(back)


# --- roles in the pact ---------------------------------------------------------------------


@bp.route("/<int:person_id>/roles", methods=["POST"])
@roles_required(Role.ADMIN)
def add_role(person_id: int):
    person = _visible(person_id)
    form = RoleForm()
    _prepare_role_form(form)
    if form.validate_on_submit():
        data = people.RoleInput(
            role=form.role.data,
            started_on=form.started_on.data,
            area=db.session.get(Area, form.area.data) if form.area.data else None,
            theme_group=(
                db.session.get(ThemeGroup, form.theme_group.data) if form.theme_group.data else None
            ),
        )
        try:
            people.give_role(db.session, person, data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(
                _("%(name)s is now %(role)s.", name=person.name, role=_role_text(data)),
                "success",
            )
            return redirect(url_for("people.detail", person_id=person.id))
    return _render_detail(_visible(person_id), role_form=form, status=422)


def _role_text(data: people.RoleInput) -> str:
    text = label("person_role", data.role)
    if data.role == PersonRole.LINKING_PIN and data.area is not None:
        return f"{text} ({data.area.name})"
    if data.role == PersonRole.THEME_GROUP_LEAD and data.theme_group is not None:
        return f"{text} ({data.theme_group.name})"
    return text


@bp.route("/roles/<int:role_id>/end", methods=["POST"])
@roles_required(Role.ADMIN)
def end_role(role_id: int):
    held = or_404(db.session.get(PersonRole, role_id))
    person_id = held.person_id
    form = EndRoleForm()
    if form.validate_on_submit():
        try:
            people.end_role(held, on=form.ended_on.data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("The role has ended."), "success")
            return redirect(url_for("people.detail", person_id=person_id))
    return _render_detail(_visible(person_id), end_form=form, end_role_id=role_id, status=422)


# --- the account ---------------------------------------------------------------------------


def _link(token: str) -> str:
    return url_for("auth.password_link", token=token, _external=True)


@bp.route("/<int:person_id>/account", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def account(person_id: int):
    person = _visible(person_id)
    form = AccountForm()
    roles = Role.ALL if current_user.role == Role.ADMIN else NOT_STAFF
    form.role.choices = [("", _("Choose a role…"))] + choices("role", roles)
    form.area.choices = [("", "—")] + [
        (a.id, a.name) for a in db.session.scalars(select(Area).order_by(Area.name))
    ]
    held = people.current_linking_pin_areas(person)
    asks_confirmation = form.is_submitted() and form.role.data in Role.STAFF
    if person.user is not None:
        if form.is_submitted():
            form.form_errors.append(_("This person has an account already."))
    elif form.validate_on_submit():
        if asks_confirmation and not form.confirm_staff.data:
            form.confirm_staff.errors = [
                _(
                    "This account (%(role)s) sees every resident. Tick the box to confirm, or"
                    " choose another role.",
                    role=label("role", form.role.data),
                )
            ]
        else:
            try:
                user, token = people.create_account(
                    db.session,
                    person,
                    role=form.role.data,
                    area=db.session.get(Area, form.area.data) if form.area.data else None,
                    by=current_user,
                    now=now_utc().replace(tzinfo=None),
                    link_hours=current_app.config["PASSWORD_LINK_HOURS"],
                )
            except RuleViolation as error:
                show_violation(form, error)
                person = _visible(person_id)
            else:
                db.session.commit()
                return render_template("users/link.html", user=user, link=_link(token))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "people/account.html",
        person=person,
        form=form,
        held=held,
        confirm=asks_confirmation,
    ), status


# --- the Linking Pins per area -------------------------------------------------------------


@bp.route("/linking-pins")
@roles_required(*Role.STAFF)
def linking_pins():
    rows = people.linking_pins_by_area(db.session)
    return render_template(
        "people/linking_pins.html",
        rows=rows,
        unreached=[row for row in rows if not row.reached],
    )
