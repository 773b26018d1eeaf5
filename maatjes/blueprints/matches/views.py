from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
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
from maatjes.blueprints.listing import ListArgs, Page
from maatjes.blueprints.matches.forms import ContactForm, EndMatchForm, TransferForm
from maatjes.domain import access, contacts, matching, weeks
from maatjes.domain.errors import RuleViolation
from maatjes.domain.matching import end_match
from maatjes.extensions import db
from maatjes.formatting import label, long_date
from maatjes.labels import choices
from maatjes.models import Contact, Role
from maatjes.models.match import ENDING_OUTCOMES

bp = Blueprint("matches", __name__, url_prefix="/matches")

MATCH_ROLES = (*Role.STAFF, Role.VOLUNTEER)


CONTACTS_PER_PAGE = 20


def _contact_days(match) -> list:
    """The days of every contact of the match (the week strip needs them all; one column)."""
    return db.session.scalars(select(Contact.contact_on).where(Contact.match_id == match.id)).all()


def _strip(match, days):
    return weeks.match_weeks(
        match.started_on, match.ended_on, today(), days, upcoming_to_minimum=True
    )


def _contacts_page(match, total: int) -> Page:
    """The newest contacts first, a page at a time: a match of two years has a hundred."""
    page = ListArgs.from_request([]).page
    pages = max(1, -(-total // CONTACTS_PER_PAGE))
    page = min(page, pages)
    shown = db.session.scalars(
        select(Contact)
        .where(Contact.match_id == match.id)
        .options(joinedload(Contact.updated_by))
        .order_by(Contact.contact_on.desc(), Contact.id.desc())
        .limit(CONTACTS_PER_PAGE)
        .offset((page - 1) * CONTACTS_PER_PAGE)
    ).all()
    return Page(list(shown), total, page, CONTACTS_PER_PAGE)


def _end_form() -> EndMatchForm:
    form = EndMatchForm()
    # No outcome is preselected: the lead chooses one on purpose.
    form.outcome.choices = [("", _("Choose an outcome…"))] + choices("outcome", ENDING_OUTCOMES)
    if not form.is_submitted():
        form.ended_on.data = today()
    return form


def _render_detail(match, end_form: EndMatchForm | None, status: int = 200):
    days = _contact_days(match)
    strip = _strip(match, days)
    show_contacts = access.may_see_contacts(current_user, match)
    contacts_page = _contacts_page(match, len(days)) if show_contacts else None
    page = render_template(
        "matches/detail.html",
        match=match,
        strip=strip,
        summary=weeks.summarize(strip, match.started_on, min(match.ended_on or today(), today())),
        minimum=weeks.MINIMUM_WEEKS,
        end_form=end_form if match.is_active and current_user.is_staff else None,
        not_started=match.started_on > today(),
        show_contacts=show_contacts,
        contacts_page=contacts_page,
        correctable={c.id for c in contacts_page.items if contacts.may_correct(current_user, c)}
        if contacts_page
        else set(),
    )
    return page, status


@bp.route("/<int:match_id>")
@roles_required(*MATCH_ROLES)
def detail(match_id: int):
    match = or_404(access.match(db.session, current_user, match_id))
    audit_view("match", match.id, match.resident_id)
    return _render_detail(match, _end_form())


def wants_json(*, json_first: bool = False) -> bool:
    """The phone's queue asks for JSON (``Accept: application/json``); a browser's plain post
    asks for a page. ``json_first``: a JSON-only address, where ``*/*`` means JSON too."""
    offered = ["application/json", "text/html"] if json_first else ["text/html", "application/json"]
    return request.accept_mimetypes.best_match(offered) == "application/json"


def login_needed_json():
    """Not logged in (or the session ended): the queue is told where to log in, not redirected;
    after login the volunteer lands on their home, where the queue is sent."""
    return {"ok": False, "login": url_for("auth.login", next=url_for("main.home"))}, 401


@bp.before_request
def queue_needs_login():
    if request.method == "POST" and not current_user.is_authenticated and wants_json():
        return login_needed_json()
    return None


def _json_refusal(form: ContactForm, status: int = 422):
    if "csrf_token" in form.errors:
        return {"ok": False, "csrf": True}, 400
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    errors |= {"": [str(m) for m in form.form_errors]} if form.form_errors else {}
    first = next((m for messages in errors.values() for m in messages), "")
    return {"ok": False, "reason": first or _("Check the form."), "errors": errors}, status


@bp.route("/<int:match_id>/contacts/new", methods=["GET", "POST"])
@roles_required(*MATCH_ROLES)
def log_contact(match_id: int):
    """The contact form. Posted by the phone's queue (``Accept: application/json``) it answers
    JSON: 201 stored, 200 stored before under the same ``client_uuid``, 409 the match ended (or
    the UUID belongs to another match), 422 refused by the rules or the form, 404 not a match of
    this user. A plain post (scripts off) gets the page and redirects as always."""
    posted = request.method == "POST"
    as_json = posted and wants_json()
    match = access.match(db.session, current_user, match_id, lock=posted)
    if match is None and as_json:
        return {"ok": False, "reason": _("This page does not exist.")}, 404
    match = or_404(match)
    form = ContactForm()
    form.kind.choices = choices("contact_kind")
    form.topics.choices = choices("need")
    uuid = (form.client_uuid.data or "").strip().lower() if posted else ""
    if as_json and uuid and form.validate_on_submit():
        # Stored before (the answer was lost): a success, even if the match ended since.
        try:
            earlier = contacts.stored_for_uuid(db.session, match, uuid, current_user)
        except contacts.ClientUuidTaken as error:
            return {"ok": False, "reason": str(error.message), "errors": {}}, 409
        if earlier is not None:
            return {"ok": True, "contact_id": earlier.id, "duplicate": True}, 200
    if not match.is_active:
        ended = _("This match has ended; no contacts can be added.")
        if as_json:
            return {"ok": False, "reason": ended, "errors": {}}, 409
        flash(ended, "warning")
        return redirect(url_for("matches.detail", match_id=match.id))
    if not form.is_submitted():
        form.contact_on.data = today()
        # Two taps from home: "log contact", "save". The kind the volunteer used last is chosen.
        form.kind.data = contacts.usual_kind(db.session, current_user)
    if form.validate_on_submit():
        try:
            contact, duplicate = contacts.log_contact_once(
                db.session, match, _contact_input(form), by=current_user, today=today()
            )
        except contacts.ClientUuidTaken as error:
            show_violation(form, error)
            if as_json:
                return {"ok": False, "reason": str(error.message), "errors": {}}, 409
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            if as_json:
                answer = {"ok": True, "contact_id": contact.id, "duplicate": duplicate}
                return answer, 200 if duplicate else 201
            flash(_("Contact saved."), "success")
            if current_user.role == Role.VOLUNTEER:
                return redirect(url_for("main.home"))
            return redirect(url_for("matches.detail", match_id=match.id))
    if as_json:
        return _json_refusal(form)
    if not posted:
        audit_view("contact_form", match.id, match.resident_id)
    return render_template("matches/contact.html", match=match, form=form)


@bp.route("/<int:match_id>/end", methods=["POST"])
@roles_required(*Role.STAFF)
def end(match_id: int):
    match = or_404(access.match(db.session, current_user, match_id, lock=True))
    form = _end_form()
    if form.validate_on_submit():
        try:
            end_match(
                db.session,
                match,
                ended_on=form.ended_on.data,
                outcome=form.outcome.data,
                reason=form.reason.data or "",
                needs_new_maatje=form.needs_new_maatje.data,
                today=today(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            if not confirmed():
                return confirmation_page(
                    _(
                        "End the match of %(volunteer)s and %(name)s?",
                        volunteer=match.volunteer.name,
                        name=match.resident.first_name,
                    ),
                    _(
                        "Outcome: %(outcome)s. No contacts can be logged after this.",
                        outcome=label("outcome", match.outcome),
                    ),
                    _("Yes, end the match"),
                    url_for("matches.detail", match_id=match.id),
                )
            db.session.commit()
            flash(_("The match has ended."), "success")
            return redirect(url_for("matches.detail", match_id=match.id))
    match = or_404(access.match(db.session, current_user, match_id))
    return _render_detail(match, form, 422)


def _contact_input(form: ContactForm) -> contacts.ContactInput:
    return contacts.ContactInput(
        contact_on=form.contact_on.data,
        kind=form.kind.data,
        duration_minutes=form.duration_minutes.data,
        topics=list(form.topics.data or []),
        stress_score=form.stress_score.data,
        note=form.note.data or "",
        needs_attention=form.needs_attention.data,
        evaluation=bool(form.evaluation.data),
        client_uuid=(form.client_uuid.data or "").strip().lower() or None,
    )


def _correctable_contact(contact_id: int, *, lock: bool) -> Contact:
    """A contact the user may correct: on a match they may see, within the rules; else 404."""
    match_id = db.session.scalar(select(Contact.match_id).where(Contact.id == contact_id))
    match = or_404(
        access.match(db.session, current_user, match_id, lock=lock) if match_id else None
    )
    contact = or_404(db.session.get(Contact, contact_id))
    if not contacts.may_correct(current_user, contact):
        abort(404)
    return contact if contact.match_id == match.id else abort(404)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@roles_required(*MATCH_ROLES)
def edit_contact(contact_id: int):
    """Correct a contact: a volunteer their own within 7 days, a lead any."""
    posted = request.method == "POST"
    contact = _correctable_contact(contact_id, lock=posted)
    form = ContactForm(obj=contact)
    form.kind.choices = choices("contact_kind")
    form.topics.choices = choices("need")
    if form.validate_on_submit():
        try:
            contacts.correct_contact(
                db.session, contact, _contact_input(form), by=current_user, today=today()
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("The contact is corrected."), "success")
            return redirect(url_for("matches.detail", match_id=contact.match_id))
        contact = _correctable_contact(contact_id, lock=False)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "matches/contact.html", match=contact.match, form=form, contact=contact
    ), status


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@roles_required(*MATCH_ROLES)
def delete_contact(contact_id: int):
    contact = _correctable_contact(contact_id, lock=True)
    match_id = contact.match_id
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    if not confirmed():
        return confirmation_page(
            _(
                "Delete the contact of %(day)s with %(name)s?",
                day=long_date(contact.contact_on),
                name=contact.match.resident.first_name,
            ),
            _("Only for a contact logged by mistake. This cannot be undone."),
            _("Yes, delete the contact"),
            url_for("matches.edit_contact", contact_id=contact.id),
        )
    contacts.delete_contact(db.session, contact, by=current_user)
    db.session.commit()
    flash(_("The contact is deleted."), "success")
    return redirect(url_for("matches.detail", match_id=match_id))


@bp.route("/<int:match_id>/transfer", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def transfer(match_id: int):
    """The resident goes on with another maatje (e.g. their volunteer stops)."""
    posted = request.method == "POST"
    match = or_404(access.match(db.session, current_user, match_id, lock=posted))
    if not match.is_active:
        flash(_("This match has already ended."), "warning")
        return redirect(url_for("matches.detail", match_id=match.id))
    suggestions = matching.suggestions(
        db.session, match.resident, exclude_volunteer_id=match.volunteer_id
    )
    form = TransferForm()
    if not form.is_submitted():
        form.started_on.data = today()
    if form.validate_on_submit():
        try:
            new_match = matching.transfer_match(
                db.session,
                match,
                volunteer_id=form.volunteer.data,
                started_on=form.started_on.data,
                reason=form.reason.data or "",
                by=current_user,
                today=today(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(resident)s goes on with %(volunteer)s; the match with %(old)s has ended.",
                    resident=new_match.resident.first_name,
                    volunteer=new_match.volunteer.name,
                    old=match.volunteer.name,
                ),
                "success",
            )
            return redirect(url_for("matches.detail", match_id=new_match.id))
        match = or_404(access.match(db.session, current_user, match_id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "matches/transfer.html",
        match=match,
        suggestions=suggestions,
        form=form,
        max_residents=matching.MAX_ACTIVE_RESIDENTS,
    ), status


@bp.route("/contacts/<int:contact_id>/handled", methods=["POST"])
@roles_required(*Role.STAFF)
def attention_handled(contact_id: int):
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    contact = or_404(db.session.scalar(select(Contact).where(Contact.id == contact_id)))
    contacts.mark_attention_handled(db.session, contact)
    db.session.commit()
    flash(_("Marked as handled."), "success")
    return redirect(url_for("lead.overview"))
