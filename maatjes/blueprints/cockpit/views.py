"""The lead's cockpit: the programme dashboard and the funder report (page, XLSX, CSV).

Both are computed for one ``Scope`` read from the query string; the report's page and its two
files take their figures from the same ``report.report`` call, so they cannot disagree. Only
counts are shown (no names but the longest waits on the dashboard, which the lead's lists show
as well), so an export is not a read of personal data.
"""

from flask import Blueprint, Response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from maatjes import charts, exports
from maatjes.blueprints import roles_required, today
from maatjes.blueprints.cockpit.forms import ScopeForm
from maatjes.domain import dashboard as dashboard_rules
from maatjes.domain import periods
from maatjes.domain import report as report_rules
from maatjes.domain.tables import Table, plain
from maatjes.extensions import db
from maatjes.formatting import long_date, short_date
from maatjes.models import Area, Organisation, Role

bp = Blueprint("cockpit", __name__, url_prefix="/lead")


def _scope_form() -> tuple[ScopeForm, periods.Scope | None]:
    form = ScopeForm(request.args)
    every = ("", _("All"))
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    form.area.choices = [every] + [(str(i), name) for i, name in areas]
    form.organisation.choices = [every] + [(str(i), name) for i, name in organisations]
    return form, form.scope(today())


def heading(form: ScopeForm, scope: periods.Scope) -> list[str]:
    """The report's period and filters, in words: the printed page's and the files' heading."""
    lines = [
        _("Money Maatjes: report"),
        _("Period: %(start)s to %(end)s", start=long_date(scope.start), end=long_date(scope.end)),
    ]
    names = dict(form.area.choices)
    lines.append(_("Area: %(name)s", name=names.get(form.area.data or "", _("All"))))
    names = dict(form.organisation.choices)
    lines.append(
        _("Organisation: %(name)s", name=names.get(form.organisation.data or "", _("All")))
    )
    return lines


def dashboard_charts(tables: dict[str, Table]) -> dict:
    """The charts, drawn from the very tables shown beside them, so that a chart and its table
    cannot disagree."""
    stages = tables["capacity"]
    funnel = tables["funnel"].rows[:4]  # the flow; cancellations are apart
    weeks = [row for row in tables["rhythm_weeks"].rows if not isinstance(row[0], str)]
    outcomes = tables["outcomes"].rows[:-2]  # the outcomes; not "cancelled" nor the share
    stress = tables["stress"].rows[1:4]  # less, the same, more
    return {
        "stages": charts.funnel(
            stages.title, [str(row[0]) for row in stages.rows], [plain(r[1]) for r in stages.rows]
        ),
        "funnel": charts.funnel(
            tables["funnel"].title + " · " + tables["funnel"].columns[1],
            [str(row[0]) for row in funnel],
            [row[1] for row in funnel],
        ),
        "rhythm": charts.line(
            _("Share of match-weeks with a contact"),
            [short_date(row[0]) for row in weeks],
            {_("Share (%)"): [row[3] for row in weeks]},
            percent=True,
        ),
        "outcomes": charts.bars(
            tables["outcomes"].title,
            [str(row[0]) for row in outcomes],
            {
                tables["outcomes"].columns[1]: [row[1] for row in outcomes],
                tables["outcomes"].columns[2]: [row[2] for row in outcomes],
            },
            horizontal=True,
        ),
        "stress": charts.bars(
            tables["stress"].title,
            [str(row[0]) for row in stress],
            {_("Matches"): [row[1] for row in stress]},
        ),
    }


@bp.route("/dashboard")
@roles_required(*Role.STAFF)
def dashboard():
    form, scope = _scope_form()
    if scope is None:
        return render_template(
            "cockpit/dashboard.html", form=form, scope=None, d=None, tables={}, charts={}
        ), 422
    data = dashboard_rules.dashboard(db.session, scope, today())
    tables = {t.key: t for t in dashboard_rules.tables(data)}
    tables["funnel"] = report_rules.funnel_table(report_rules.funnel(db.session, scope, today()))
    return render_template(
        "cockpit/dashboard.html",
        form=form,
        scope=scope,
        d=data,
        tables=tables,
        charts=dashboard_charts(tables),
    )


@bp.route("/report")
@roles_required(*Role.STAFF)
def report():
    form, scope = _scope_form()
    if scope is None:
        return render_template("cockpit/report.html", form=form, scope=None, tables=[]), 422
    tables = report_rules.tables(report_rules.report(db.session, scope, today()))
    return render_template(
        "cockpit/report.html", form=form, scope=scope, tables=tables, heading=heading(form, scope)
    )


def _file_name(scope: periods.Scope, extension: str) -> str:
    return f"money-maatjes-{scope.start.isoformat()}-{scope.end.isoformat()}.{extension}"


@bp.route("/report.xlsx")
@roles_required(*Role.STAFF)
def report_xlsx():
    form, scope = _scope_form()
    if scope is None:
        return render_template("cockpit/report.html", form=form, scope=None, tables=[]), 422
    tables = report_rules.tables(report_rules.report(db.session, scope, today()))
    return Response(
        exports.xlsx(tables, heading(form, scope)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(scope, "xlsx")}"'},
    )


@bp.route("/report.csv")
@roles_required(*Role.STAFF)
def report_csv():
    form, scope = _scope_form()
    if scope is None:
        return render_template("cockpit/report.html", form=form, scope=None, tables=[]), 422
    tables = report_rules.tables(report_rules.report(db.session, scope, today()))
    locale = str(get_locale() or "nl")
    return Response(
        exports.csv_bytes(tables, heading(form, scope), locale),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(scope, "csv")}"'},
    )
