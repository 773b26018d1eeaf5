from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from maatjes.blueprints import (
    audit_view,
    confirmation_page,
    confirmed,
    or_404,
    roles_required,
    show_violation,
    today,
)
from maatjes.blueprints.handovers.forms import ActionForm, HandoverForm, ReferralForm
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.domain import access, consent, handovers, people, residents, search
from maatjes.domain import meetings as meeting_rules
from maatjes.domain.clock import on_local_days
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.formatting import label
from maatjes.labels import choices
from maatjes.models import TO_BUURTTEAM, TO_MAATJES, Area, Handover, Resident, Role

bp = Blueprint("handovers", __name__)

ALL_ROLES = Role.CASEWORK  # an organisation contact sees nothing of residents


def _input(form: HandoverForm) -> handovers.HandoverInput:
    return handovers.HandoverInput(
        reason=form.reason.data or "",
        needs=form.needs.data or "",
        urgency=form.urgency.data,
        consent=form.consent.data,
        consent_on=form.consent_on.data,
    )


SORTS = [
    ("waiting", _l("Open first, longest waiting first")),
    ("newest", _l("Newest first")),
]


@bp.route("/handovers")
@roles_required(*ALL_ROLES)
def index():
    every = ("", _("All"))
    statuses = [(s, label("handover_status", s)) for s in handovers.TRANSITIONS_STATUSES]
    filters = [
        Filter(
            "state", _l("Open or closed"), [every, ("open", _("open")), ("closed", _("closed"))]
        ),
        Filter("status", _l("Status"), [every] + statuses),
        Filter(
            "direction",
            _l("Direction"),
            [every] + [(d, label("handover_direction", d)) for d in (TO_BUURTTEAM, TO_MAATJES)],
        ),
    ]
    if current_user.role in Role.STAFF:
        areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
        filters.append(Filter("area", _l("Area"), [every] + [(str(i), n) for i, n in areas]))
    args = ListArgs.from_request(filters, SORTS)
    query = access.handovers_query(current_user).options(
        joinedload(Handover.resident), joinedload(Handover.area)
    )
    if args.q:
        found = search.matches(Resident.search_text, args.q)
        if found is not None:
            query = query.join(Resident, Resident.id == Handover.resident_id).where(found)
    if args.get("state") == "open":
        query = query.where(Handover.status.in_(handovers.OPEN))
    elif args.get("state") == "closed":
        query = query.where(Handover.status.not_in(handovers.OPEN))
    if args.get("status"):
        query = query.where(Handover.status == args.get("status"))
    if args.get("direction"):
        query = query.where(Handover.direction == args.get("direction"))
    if args.get("area"):
        query = query.where(Handover.area_id == int(args.get("area")))
    sent = _sent_between()
    if sent:
        query = query.where(on_local_days(Handover.created_at, *sent))
    if args.sort == "newest":
        order = (Handover.created_at.desc(), Handover.id.desc())
    else:
        open_first = case((Handover.status.in_(handovers.OPEN), 0), else_=1)
        order = (open_first, Handover.status_changed_at, Handover.id)
    page = paginate(db.session, query.order_by(*order), args.page)
    open_ids = [h.resident_id for h in page if h.status in handovers.OPEN]
    return render_template(
        "handovers/index.html",
        handovers=page,
        due_actions=meeting_rules.due_actions(db.session, current_user, today())
        if current_user.role in Role.AREA_BOUND
        else [],
        page=page,
        args=args,
        filters=filters,
        sorts=SORTS,
        today=today(),
        withdrawn=consent.withdrawn_sharing_among(db.session, open_ids),
        sent=sent,
        keep={name: request.args[name] for name in ("sent_from", "sent_to")} if sent else {},
    )


def _sent_between() -> tuple[date, date] | None:
    """The period of the dashboard a handover count links from (``sent_from``, ``sent_to``:
    Amsterdam days, both included). Like every list filter, a value that is not a period is
    ignored rather than an error page."""
    try:
        first = date.fromisoformat(request.args.get("sent_from", ""))
        last = date.fromisoformat(request.args.get("sent_to", ""))
    except ValueError:
        return None
    return (first, last) if first <= last else None


@bp.route("/residents/<int:resident_id>/handover", methods=["GET", "POST"])
@roles_required(*Role.STAFF, Role.VOLUNTEER)
def new(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    form = HandoverForm()
    form.urgency.choices = choices("urgency")
    if not form.is_submitted():
        form.consent_on.data = today()
    if form.validate_on_submit():
        try:
            handover = handovers.start_handover(
                db.session, resident, _input(form), by=current_user, today=today()
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(
                _("The handover was sent to the buurtteam of %(area)s.", area=resident.area.name),
                "success",
            )
            return redirect(url_for("handovers.detail", handover_id=handover.id))
    return render_template("handovers/new.html", form=form, resident=resident)


@bp.route("/handovers/refer", methods=["GET", "POST"])
@roles_required(*Role.AREA_BOUND)
def refer():
    """The buurtteam refers a resident who needs a maatje (minimum data and consent)."""
    form = ReferralForm()
    form.urgency.choices = choices("urgency")
    form.need_topics.choices = choices("need")
    areas = db.session.scalars(
        select(Area)
        .where(Area.id.in_(people.area_ids(db.session, current_user)))
        .order_by(Area.name)
    ).all()
    form.area.choices = [(a.id, a.name) for a in areas]
    if not areas:
        flash(
            _(
                "You are not recorded as the Linking Pin of an area yet: the pact's support"
                " staff record it in the registry."
            ),
            "warning",
        )
        return redirect(url_for("handovers.index"))
    if not form.is_submitted():
        form.consent_on.data = today()
    area = next((a for a in areas if a.id == form.area.data), areas[0])
    if form.validate_on_submit():
        data = residents.ResidentInput(
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            phone=form.phone.data,
            area=area,
            neighbourhood=form.neighbourhood.data or "",
            languages=form.languages.parsed,
            needs=list(form.need_topics.data or []),
            source="buurtteam",
            consent=form.consent.data,
            consent_on=form.consent_on.data,
        )
        try:
            resident = residents.register_resident(
                db.session,
                data,
                by=current_user,
                today=today(),
                allow_duplicate=form.allow_duplicate.data,
            )
            handover = handovers.refer_to_maatjes(
                db.session, resident, _input(form), by=current_user, today=today()
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is referred to Money Maatjes.", name=resident.name), "success")
            return redirect(url_for("handovers.detail", handover_id=handover.id))
    return render_template("handovers/refer.html", form=form)


@bp.route("/handovers/<int:handover_id>")
@roles_required(*ALL_ROLES)
def detail(handover_id: int):
    handover = or_404(access.handover(db.session, current_user, handover_id))
    audit_view("handover", handover.id, handover.resident_id)
    return _render_detail(handover, ActionForm())


def _render_detail(handover: Handover, form: ActionForm, status: int = 200):
    return render_template(
        "handovers/detail.html",
        sharing_withdrawn=consent.sharing_withdrawn_on(db.session, handover.resident_id),
        handover=handover,
        form=form,
        actions=handovers.actions_for(current_user, handover),
        waiting=handovers.waiting(handover, today()),
        sent_on=handovers.sent_on(handover),
        maatje=handovers.maatje_for_receiver(db.session, current_user, handover),
    ), status


@bp.route("/handovers/<int:handover_id>/<action>", methods=["POST"])
@roles_required(*ALL_ROLES)
def act(handover_id: int, action: str):
    handover = or_404(access.handover(db.session, current_user, handover_id, lock=True))
    if action not in handovers.TRANSITIONS:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            handovers.transition(
                db.session,
                handover,
                action,
                by=current_user,
                today=today(),
                receiver_name=form.receiver_name.data or "",
                receiver_phone=form.receiver_phone.data or "",
                receiver_email=form.receiver_email.data or "",
                note=form.note.data or "",
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            if action == "decline" and not confirmed():
                return confirmation_page(
                    _("Decline the handover of %(name)s?", name=handover.resident.first_name),
                    _(
                        "%(sender)s is told that you declined it, with your reason.",
                        sender=handover.sender.name,
                    ),
                    _("Yes, decline"),
                    url_for("handovers.detail", handover_id=handover.id),
                )
            db.session.commit()
            flash(_done_message(handover), "success")
            return redirect(url_for("handovers.detail", handover_id=handover.id))
    handover = or_404(access.handover(db.session, current_user, handover_id))
    return _render_detail(handover, form, 422)


def _done_message(handover: Handover) -> str:
    """Say what happened, and who hears of it."""
    name = handover.resident.first_name
    messages = {
        handovers.ACCEPTED: _(
            "You accepted the handover of %(name)s; %(sender)s sees %(contact)s as the contact"
            " person.",
            name=name,
            sender=handover.sender.name,
            contact=handover.receiver_name,
        ),
        handovers.DECLINED: _(
            "You declined the handover of %(name)s; %(sender)s is told why.",
            name=name,
            sender=handover.sender.name,
        ),
        handovers.FIRST_CONTACT: _(
            "First contact with %(name)s is recorded; the handover no longer waits.", name=name
        ),
        handovers.COMPLETED: _("The handover of %(name)s is completed.", name=name),
        handovers.RETURNED: _(
            "You returned the handover of %(name)s; %(sender)s is told why.",
            name=name,
            sender=handover.sender.name,
        ),
    }
    return messages[handover.status]
