"""The social map in Open Referral HSDS 3.0: read-only JSON shaped like the HSDS API.

Public (no login), GET only: ``/hsds/`` (what this API is), ``/hsds/services`` and
``/hsds/organizations`` (paged: ``page`` from 1, ``per_page`` up to 100, with the spec's paging
fields), ``/hsds/services/<id>`` and ``/hsds/organizations/<id>`` (the UUID of the export or the
number). Only activities that are not archived, of organisations that have not left; nothing
about people, residents or volunteers.
"""

import re
from datetime import UTC, datetime

from flask import Blueprint, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from maatjes.blueprints import today
from maatjes.domain import hsds
from maatjes.extensions import db

bp = Blueprint("hsds", __name__, url_prefix="/hsds")

_NUMBER = re.compile(r"^[0-9]{1,30}$")
_TRUE = ("true", "1", "yes")


class BadArgument(Exception):
    def __init__(self, message: str):
        self.message = message


@bp.errorhandler(BadArgument)
def bad_argument(error: BadArgument):
    return _error(400, error.message)


def _error(status: int, message: str):
    return {"error": {"status": status, "message": message}}, status


def _positive(name: str, default: int) -> int:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not _NUMBER.match(text) or int(text) < 1:
        raise BadArgument(_("%(name)s must be a whole number from 1.", name=name))
    return int(text)


def _paging() -> tuple[int, int]:
    """``page`` (from 1; past the end: an empty page) and ``per_page`` (at most 100)."""
    page = _positive("page", 1)
    per_page = min(_positive("per_page", hsds.PER_PAGE), hsds.MAX_PER_PAGE)
    return page, per_page


def _flag(name: str) -> bool:
    return request.args.get(name, "").strip().lower() in _TRUE


def _locale() -> str:
    return str(get_locale() or "nl")


def _modified_after() -> datetime | None:
    text = request.args.get("modified_after", "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text[:40].replace("Z", "+00:00"))
        if moment.tzinfo is not None:  # the year 1 or 9999 with an offset overflows here
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise BadArgument(
            _("modified_after must be a date and time like 2024-05-01T10:00:00Z.")
        ) from None
    return moment


def _search() -> str:
    return request.args.get("search", "")[:200]


@bp.route("/")
def index():
    return {
        "version": hsds.VERSION,
        "openapi_url": hsds.OPENAPI_URL,
        "services": url_for("hsds.services", _external=True),
        "organizations": url_for("hsds.organizations", _external=True),
    }


@bp.route("/services")
def services():
    page, per_page = _paging()
    full = _flag("full")
    organisation_id = None
    key = request.args.get("organization_id", "").strip()
    if key:
        organisation = hsds.find_organisation(db.session, key[:64])
        if organisation is None:
            return hsds.Paging(0, page, per_page).fields([])
        organisation_id = organisation.id
    query = hsds.filter_activities(
        hsds.public_activities(full=full),
        words=_search(),
        organisation_id=organisation_id,
        modified_after=_modified_after(),
    )
    paging, activities = hsds.page_of(db.session, query, page, per_page)
    if full:
        locale, day = _locale(), today()
        contents = [hsds.service(a, locale=locale, today=day) for a in activities]
    else:
        contents = [hsds.service_summary(activity) for activity in activities]
    return paging.fields(contents)


@bp.route("/services/<key>")
def service(key: str):
    activity = hsds.find_activity(db.session, key[:64])
    if activity is None:
        return _error(404, _("There is no such service."))
    return hsds.service(activity, locale=_locale(), today=today())


@bp.route("/organizations")
def organizations():
    page, per_page = _paging()
    query = hsds.filter_organisations(hsds.public_organisations(), words=_search())
    paging, rows = hsds.page_of(db.session, query, page, per_page)
    return paging.fields([hsds.organization_summary(row) for row in rows])


@bp.route("/organizations/<key>")
def organization(key: str):
    organisation = hsds.find_organisation(db.session, key[:64])
    if organisation is None:
        return _error(404, _("There is no such organization."))
    full = _flag("full_service")
    activities = hsds.organisation_activities(db.session, organisation, full=full)
    return hsds.organization(
        organisation, activities, full_services=full, locale=_locale(), today=today()
    )
