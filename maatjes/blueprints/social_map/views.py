"""The public social map: activities searched and filtered, one page each, a CSV download.
No login; nothing about residents.

The pages keep the app's ``Cache-Control: no-store`` (set for every page in ``security_headers``)
also for anonymous visitors: the footer's language switch carries the session's CSRF token and
a flashed message may show, so a shared cache must not keep them.
"""

import csv
import io

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from maatjes import exports, formatting
from maatjes.blueprints import or_404, today
from maatjes.blueprints.listing import paginate
from maatjes.domain import phones
from maatjes.domain import social_map as rules
from maatjes.extensions import db
from maatjes.labels import choices
from maatjes.models.social_map import Activity

bp = Blueprint("social_map", __name__, url_prefix="/sociale-kaart")

DESCRIPTION_LENGTH = 160
CSV_LIMIT = 10_000


def _filters() -> tuple[rules.MapFilters, rules.MapChoices]:
    found = rules.filter_choices(db.session)
    return rules.MapFilters.parse(request.args).within(found), found


def _page_number() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= 100_000 else 1


def _cost(activity: Activity) -> str:
    if activity.cost == Activity.PAID and activity.cost_amount is not None:
        return formatting.money(activity.cost_amount)
    return formatting.label("activity_cost", activity.cost)


def _where(activity: Activity) -> str:
    """The neighbourhood and area, or "Online" / "At home"."""
    if activity.place != Activity.AT_ADDRESS:
        place = formatting.label("activity_place", activity.place)
        return f"{place} · {activity.area.name}" if activity.area else place
    parts = [p.name for p in (activity.neighbourhood, activity.area) if p is not None]
    return ", ".join(parts) or activity.city


def _description(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _json_ld(activity: Activity, url: str) -> dict:
    """schema.org: the activity as a Service provided by the organisation."""
    contact = rules.contact(activity)
    provider = {"@type": "Organization", "name": activity.organisation.name}
    organisation_site = rules.web_url(activity.organisation.website)
    if organisation_site:
        provider["url"] = organisation_site
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": activity.name,
        "provider": provider,
        "availableLanguage": [lang.code for lang in activity.languages],
    }
    if activity.description:
        data["description"] = activity.description
    if activity.theme_group:
        data["serviceType"] = activity.theme_group.name
    area = activity.neighbourhood or activity.area
    if area is not None:
        data["areaServed"] = {"@type": "Place", "name": area.name}
    channel: dict = {"@type": "ServiceChannel"}
    if contact.phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": contact.phone}
    if contact.website:
        channel["serviceUrl"] = contact.website
    if activity.place == Activity.AT_ADDRESS and activity.address:
        channel["serviceLocation"] = {
            "@type": "Place",
            "name": activity.location_name or activity.address,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": activity.address,
                "postalCode": activity.postal_code,
                "addressLocality": activity.city,
                "addressCountry": "NL",
            },
        }
    if len(channel) > 1:
        data["availableChannel"] = channel
    if activity.cost == Activity.FREE:
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}
    elif activity.cost == Activity.PAID and activity.cost_amount is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": str(activity.cost_amount),
            "priceCurrency": "EUR",
        }
    days = (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    )
    hours = []
    for schedule in rules.upcoming_schedules(activity, today()):
        spec: dict = {"@type": "OpeningHoursSpecification"}
        if schedule.weekday is not None:
            spec["dayOfWeek"] = f"https://schema.org/{days[schedule.weekday]}"
        else:
            spec["validFrom"] = spec["validThrough"] = schedule.on_date.isoformat()
        if schedule.opens_at:
            spec["opens"] = schedule.opens_at.strftime("%H:%M")
        if schedule.closes_at:
            spec["closes"] = schedule.closes_at.strftime("%H:%M")
        hours.append(spec)
    if hours:
        data["hoursAvailable"] = hours
    return data


def _helpers() -> dict:
    return {
        "when": lambda activity: rules.when(activity, today()),
        "is_stale": lambda activity: rules.is_stale(activity, today()),
        "map_url": rules.map_url,
        "address_line": rules.address_line,
        "contact": rules.contact,
        "cost_text": _cost,
        "where": _where,
    }


@bp.route("/")
def index():
    filters, found = _filters()
    page = paginate(db.session, rules.search(db.session, filters), _page_number())
    # A language asked for that nothing is offered in (a resident's, from a handover) is kept
    # as a choice, so the form shows what was searched for.
    languages = list(found.languages)
    if filters.language and filters.language not in languages:
        languages.append(filters.language)
    canonical_args = filters.args()
    if page.page > 1:
        canonical_args["page"] = str(page.page)
    canonical = url_for("social_map.index", _external=True, **canonical_args)
    listing = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": _("Social map of Amsterdam Zuidoost"),
        "url": canonical,
        "numberOfItems": page.total,
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": page.first + number,
                "name": activity.name,
                "url": url_for("social_map.detail", activity_id=activity.id, _external=True),
            }
            for number, activity in enumerate(page)
        ],
    }
    return render_template(
        "social_map/index.html",
        page=page,
        filters=filters,
        choices=found,
        languages=[(code, formatting.language_name(code)) for code in languages],
        weekdays=choices("weekday"),
        costs=choices("activity_cost"),
        targets=choices("target_group"),
        canonical=canonical,
        json_ld=listing,
        csv_url=url_for("social_map.download", **filters.args()),
        **_helpers(),
    )


@bp.route("/<int:activity_id>")
def detail(activity_id: int):
    activity = or_404(rules.public_activity(db.session, activity_id))
    canonical = url_for("social_map.detail", activity_id=activity.id, _external=True)
    description = _description(activity.description) or _(
        "%(name)s by %(organisation)s in Amsterdam Zuidoost.",
        name=activity.name,
        organisation=activity.organisation.name,
    )
    back = request.referrer or ""
    list_path = url_for("social_map.index")
    back = back if back.startswith(request.host_url.rstrip("/") + list_path) else list_path
    return render_template(
        "social_map/detail.html",
        activity=activity,
        canonical=canonical,
        meta_description=description,
        json_ld=_json_ld(activity, canonical),
        back=back,
        **_helpers(),
    )


@bp.route("/activiteiten.csv")
def download():
    filters, _found = _filters()
    activities = db.session.scalars(rules.search(db.session, filters).limit(CSV_LIMIT)).all()
    day = today()
    delimiter, _decimal = exports.csv_conventions(str(get_locale() or "nl"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(
        [
            exports.neutralise(str(heading))
            for heading in (
                _("Name"),
                _("Organisation"),
                _("Area"),
                _("Neighbourhood"),
                _("Address"),
                _("When"),
                _("Languages"),
                _("Cost"),
                _("How to take part"),
                _("Phone"),
                _("E-mail"),
                _("Website"),
                _("Last checked"),
            )
        ]
    )
    for activity in activities:
        contact = rules.contact(activity)
        place = rules.address_line(activity) or formatting.label("activity_place", activity.place)
        if activity.place == Activity.AT_ADDRESS and activity.location_name:
            place = f"{activity.location_name}, {place}" if place else activity.location_name
        row = [
            activity.name,
            activity.organisation.name,
            activity.area.name if activity.area else "",
            activity.neighbourhood.name if activity.neighbourhood else "",
            place,
            "; ".join(rules.when(activity, day)),
            ", ".join(formatting.language_name(lang.code) for lang in activity.languages),
            _cost(activity),
            formatting.label("activity_access", activity.access),
            phones.display(contact.phone),
            contact.email,
            contact.website,
            activity.checked_on.isoformat(),
        ]
        writer.writerow([exports.neutralise(str(value)) for value in row])
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="activiteiten.csv"'},
    )
