from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from maatjes.blueprints.forms import Form
from maatjes.blueprints.meetings.forms import Checkboxes


class ThemeGroupForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    results = TextAreaField(
        _l("Results"),
        validators=[Length(max=20_000)],
        description=_l("What came out of the group, e.g. a project such as Money Maatjes."),
    )
    active = BooleanField(
        _l("Active"), default=True, description=_l("Untick to archive the group; it is kept.")
    )
    submit = SubmitField(_l("Save"))


class MembersForm(Form):
    organisations = Checkboxes(_l("Member organisations"), coerce=int)
    people = Checkboxes(_l("Member people"), coerce=int)
    submit = SubmitField(_l("Save members"))
