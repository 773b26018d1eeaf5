import json
from datetime import timedelta

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import audit_view, or_404, roles_required, show_violation, today
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.residents.forms import (
    ExportForm,
    MatchForm,
    ResidentForm,
    SharingConsentForm,
    WithdrawConsentForm,
)
from maatjes.domain import (
    access,
    accounts,
    audit,
    consent,
    matching,
    residents,
    search,
    subject_access,
    weeks,
)
from maatjes.domain.clock import check_past_date
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import format_language_list
from maatjes.extensions import db
from maatjes.formatting import custom_language_names, language_name
from maatjes.labels import choices
from maatjes.models import (
    SHARE_BUURTTEAM,
    Area,
    ConsentRecord,
    Handover,
    Match,
    Resident,
    ResidentLanguage,
    Role,
    utcnow,
)

bp = Blueprint("residents", __name__, url_prefix="/residents")


STATUSES = {
    "waiting": _l("waiting"),
    "matched": _l("matched"),
    "closed": _l("closed"),
    "anonymised": _l("erased"),
}
CONTACT_STATES = {"due": _l("contact due this week"), "missed": _l("missed last week")}
SORTS = [("name", _l("Name")), ("newest", _l("Newest first")), ("oldest", _l("Oldest first"))]


def _status_clause(status: str):
    active = exists().where(Match.resident_id == Resident.id, Match.ended_on.is_(None))
    if status == "waiting":
        return matching.waiting_clause()
    if status == "matched":
        return active
    if status == "closed":
        return and_(Resident.closed_on.is_not(None), Resident.anonymised_at.is_(None), ~active)
    if status == "anonymised":
        return Resident.anonymised_at.is_not(None)
    return Resident.anonymised_at.is_(None)


def _contact_clause(state: str):
    monday = weeks.week_start(today())
    if state == "missed":
        monday -= timedelta(days=7)
    return exists().where(
        Match.resident_id == Resident.id,
        weeks.active_without_contact_in_week(monday, today=today()),
    )


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
    codes = db.session.scalars(
        select(ResidentLanguage.language_code).distinct().order_by(ResidentLanguage.language_code)
    ).all()
    filters = [
        Filter("status", _l("Status"), [("", _("All"))] + list(STATUSES.items())),
        Filter("area", _l("Area"), [("", _("All"))] + [(str(i), n) for i, n in areas]),
        Filter(
            "language", _l("Language"), [("", _("All"))] + [(c, language_name(c)) for c in codes]
        ),
        Filter("contact", _l("Contact"), [("", _("All"))] + list(CONTACT_STATES.items())),
    ]
    args = ListArgs.from_request(filters, SORTS)
    query = access.residents_query(current_user).where(_status_clause(args.get("status")))
    found = search.matches(Resident.search_text, args.q)
    if found is not None:
        query = query.where(found)
    if args.get("area"):
        query = query.where(Resident.area_id == int(args.get("area")))
    if args.get("language"):
        query = query.where(
            exists().where(
                ResidentLanguage.resident_id == Resident.id,
                ResidentLanguage.language_code == args.get("language"),
            )
        )
    if args.get("contact"):
        query = query.where(_contact_clause(args.get("contact")))
    order = {
        "name": (Resident.last_name, Resident.first_name, Resident.id),
        "newest": (Resident.created_at.desc(), Resident.id.desc()),
        "oldest": (Resident.created_at, Resident.id),
    }[args.sort]
    page = paginate(
        db.session,
        query.options(selectinload(Resident.language_links), joinedload(Resident.area)).order_by(
            *order
        ),
        args.page,
    )
    ids = [r.id for r in page]
    active = (
        dict(
            db.session.execute(
                select(Match.resident_id, Match.id).where(
                    Match.ended_on.is_(None), Match.resident_id.in_(ids)
                )
            ).all()
        )
        if ids
        else {}
    )
    return render_template(
        "residents/index.html",
        residents=page,
        page=page,
        args=args,
        filters=filters,
        sorts=SORTS,
        active=active,
    )


def _prepare(form: ResidentForm) -> None:
    form.area.choices = [
        (a.id, a.name) for a in db.session.scalars(select(Area).order_by(Area.name))
    ]
    form.needs.choices = choices("need")
    form.source.choices = choices("source")


def resident_input(form) -> residents.ResidentInput:
    return residents.ResidentInput(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        phone=form.phone.data,
        area=or_404(db.session.get(Area, form.area.data)),
        neighbourhood=form.neighbourhood.data or "",
        languages=form.languages.parsed,
        needs=list(form.needs.data or []),
        needs_other=form.needs_other.data or "",
        source=form.source.data if "source" in form else "buurtteam",
        consent=bool(form.consent.data) if "consent" in form else False,
        consent_on=form.consent_on.data if "consent_on" in form else None,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def new():
    form = ResidentForm()
    _prepare(form)
    if not form.is_submitted():
        form.consent_on.data = today()
    if form.validate_on_submit():
        try:
            resident = residents.register_resident(
                db.session,
                resident_input(form),
                by=current_user,
                today=today(),
                allow_duplicate=form.allow_duplicate.data,
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is on the waiting list.", name=resident.name), "success")
            return redirect(url_for("residents.detail", resident_id=resident.id))
    return render_template("residents/form.html", form=form, resident=None)


@bp.route("/<int:resident_id>/edit", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def edit(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    form = ResidentForm(obj=resident)
    del form.consent, form.consent_on, form.allow_duplicate
    _prepare(form)
    if not form.is_submitted():
        form.area.data = resident.area_id
        form.languages.data = format_language_list(resident.language_codes, custom_language_names())
    if form.validate_on_submit():
        try:
            residents.update_resident(db.session, resident, resident_input(form), today=today())
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("residents.detail", resident_id=resident.id))
    return render_template("residents/form.html", form=form, resident=resident)


@bp.route("/<int:resident_id>")
@roles_required(*Role.STAFF, Role.VOLUNTEER)
def detail(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    matches = db.session.scalars(
        access.matches_query(current_user)
        .where(Match.resident_id == resident.id)
        .options(joinedload(Match.volunteer))
        .order_by(Match.started_on.desc())
    ).all()
    handovers = db.session.scalars(
        access.handovers_query(current_user)
        .where(Handover.resident_id == resident.id)
        .order_by(Handover.created_at.desc())
    ).all()
    waiting = (
        not any(m.is_active for m in matches)
        and resident.closed_on is None
        and not resident.anonymised
    )
    consents = []
    if current_user.is_staff:
        consents = db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.resident_id == resident.id)
            .options(joinedload(ConsentRecord.recorded_by), joinedload(ConsentRecord.withdrawn_by))
            .order_by(ConsentRecord.given_on.desc(), ConsentRecord.id.desc())
        ).all()
    sharing_form = SharingConsentForm()
    if not sharing_form.is_submitted():
        sharing_form.given_on.data = today()
    audit_view("resident", resident.id, resident.id)
    return render_template(
        "residents/detail.html",
        resident=resident,
        matches=matches,
        handovers=handovers,
        waiting=waiting,
        consents=consents,
        sharing_withdrawn=consent.sharing_withdrawn_on(db.session, resident.id),
        has_sharing=any(c.scope == SHARE_BUURTTEAM and c.active for c in consents),
        sharing_form=sharing_form,
        withdraw_form=WithdrawConsentForm(),
    )


@bp.route("/<int:resident_id>/match", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def match(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    suggestions = matching.suggestions(db.session, resident)
    form = MatchForm()
    form.volunteer.choices = [(s.volunteer.id, s.volunteer.name) for s in suggestions]
    if not form.is_submitted():
        form.started_on.data = today()
        if suggestions:
            form.volunteer.data = suggestions[0].volunteer.id
    if form.validate_on_submit():
        try:
            new_match = matching.assign_resident(
                db.session,
                volunteer_id=form.volunteer.data,
                resident=resident,
                started_on=form.started_on.data,
                by=current_user,
                today=today(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(resident)s is matched with %(volunteer)s.",
                    resident=resident.name,
                    volunteer=new_match.volunteer.name,
                ),
                "success",
            )
            return redirect(url_for("matches.detail", match_id=new_match.id))
    active = db.session.scalar(
        select(Match).where(Match.resident_id == resident.id, Match.ended_on.is_(None))
    )
    return render_template(
        "residents/match.html",
        resident=resident,
        suggestions=suggestions,
        form=form,
        active=active,
        max_residents=matching.MAX_ACTIVE_RESIDENTS,
    )


def _staff_resident(resident_id: int) -> Resident:
    return or_404(access.resident(db.session, current_user, resident_id))


@bp.route("/<int:resident_id>/consent", methods=["POST"])
@roles_required(*Role.STAFF)
def record_sharing_consent(resident_id: int):
    resident = _staff_resident(resident_id)
    form = SharingConsentForm()
    if resident.anonymised:
        flash(_("This resident's data was erased."), "warning")
    elif form.validate_on_submit():
        try:
            check_past_date(
                form.given_on.data,
                today=today(),
                field="given_on",
                future_message=_l("The consent date cannot be in the future."),
            )
            if consent.active_consent(db.session, resident.id, SHARE_BUURTTEAM):
                raise RuleViolation(_l("Consent to share with the buurtteam is already recorded."))
            consent.record_consent(
                db.session,
                resident,
                SHARE_BUURTTEAM,
                given_on=form.given_on.data,
                by=current_user,
                note=form.note.data or "",
            )
        except RuleViolation as error:
            show_violation(None, error)
        else:
            db.session.commit()
            flash(_("Consent to share with the buurtteam is recorded."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "danger")
    return redirect(url_for("residents.detail", resident_id=resident.id, _anchor="consent"))


@bp.route("/<int:resident_id>/consent/<int:record_id>/withdraw", methods=["POST"])
@roles_required(*Role.STAFF)
def withdraw_consent(resident_id: int, record_id: int):
    resident = _staff_resident(resident_id)
    record = or_404(
        db.session.scalar(
            select(ConsentRecord).where(
                ConsentRecord.id == record_id, ConsentRecord.resident_id == resident.id
            )
        )
    )
    form = WithdrawConsentForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that the resident withdrew this consent."), "danger")
    else:
        try:
            consent.withdraw(db.session, record, by=current_user, today=today(), now=utcnow())
        except RuleViolation as error:
            show_violation(None, error)
        else:
            db.session.commit()
            flash(_("The consent is withdrawn."), "success")
    return redirect(url_for("residents.detail", resident_id=resident.id, _anchor="consent"))


@bp.route("/<int:resident_id>/export", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def export(resident_id: int):
    """Everything held about the resident, after the staff member types their password again."""
    resident = _staff_resident(resident_id)
    form = ExportForm()
    if form.validate_on_submit():
        if not accounts.verify_password(current_user, form.password.data):
            accounts.register_failure(db.session, current_user, now=utcnow())
            db.session.commit()
            form.password.errors = [_("This is not your password.")]
        else:
            data = subject_access.export(db.session, resident)
            audit.record(
                db.session,
                action="export",
                object_type="resident",
                object_id=resident.id,
                resident_id=resident.id,
                detail=form.format.data,
            )
            db.session.commit()
            if form.format.data == "json":
                body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
                return Response(
                    body,
                    mimetype="application/json",
                    headers={
                        "Content-Disposition": f'attachment; filename="resident-{resident.id}.json"'
                    },
                )
            return render_template(
                "residents/export.html", resident=resident, data=data, now_local=utcnow()
            )
    return render_template("residents/export_form.html", resident=resident, form=form)
