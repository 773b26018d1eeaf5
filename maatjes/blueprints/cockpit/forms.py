"""The period and filters of the dashboard and the report, read from the query string (a GET
form: the back button and a shared link show the same figures)."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from maatjes.blueprints.forms import Form
from maatjes.domain import periods
from maatjes.domain.clock import EARLIEST_RECORD


class ScopeForm(Form):
    class Meta:
        csrf = False  # a GET form that changes nothing

    period = SelectField(
        _l("Period"),
        choices=[
            (periods.MONTH, _l("This month")),
            (periods.QUARTER, _l("This quarter")),
            (periods.YEAR, _l("This year")),
            (periods.CUSTOM, _l("From … to …")),
        ],
        default=periods.QUARTER,
    )
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    area = SelectField(_l("Area"), coerce=str, default="")
    organisation = SelectField(_l("Organisation"), coerce=str, default="")

    def scope(self, today: date) -> periods.Scope | None:
        """The scope chosen, or None with the reasons on the fields."""
        if not self.validate():
            return None
        if self.period.data == periods.CUSTOM:
            if self.start.data is None:
                self.start.errors = [_l("Enter the first day of the period.")]
            if self.end.data is None:
                self.end.errors = [_l("Enter the last day of the period.")]
            if self.start.errors or self.end.errors:
                return None
            start, end = self.start.data, self.end.data
            if end < start:
                self.end.errors = [_l("The last day comes on or after the first day.")]
                return None
            if (end - start).days > periods.MAX_DAYS:
                self.end.errors = [_l("A period can be at most five years.")]
                return None
            if start < EARLIEST_RECORD:
                self.start.errors = [_l("Give a date from 1 January 2000 onwards.")]
                return None
            if end > today + timedelta(days=periods.MAX_DAYS):
                self.end.errors = [_l("Give a date at most five years ahead.")]
                return None
        else:
            start, end = periods.bounds(self.period.data, today)
            self.start.data, self.end.data = start, end
        return periods.Scope(
            start,
            end,
            area_id=int(self.area.data) if self.area.data else None,
            organisation_id=int(self.organisation.data) if self.organisation.data else None,
        )
