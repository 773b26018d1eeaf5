from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from maatjes.blueprints.forms import Form
from maatjes.domain import areas


class AreaForm(Form):
    name = StringField(
        _l("Name of the area"),
        validators=[DataRequired(_l("Give a name.")), Length(max=areas.AREA_NAME_MAX)],
    )
    submit = SubmitField(_l("Save"))


class NeighbourhoodForm(Form):
    name = StringField(
        _l("Neighbourhood"),
        validators=[DataRequired(_l("Give a name.")), Length(max=areas.NEIGHBOURHOOD_NAME_MAX)],
        description=_l("For example: Holendrecht, the K-buurt, Reigersbos."),
    )
    submit = SubmitField(_l("Add"))


class PriorityForm(Form):
    name = StringField(
        _l("Priority"),
        validators=[DataRequired(_l("Give a name.")), Length(max=areas.PRIORITY_NAME_MAX)],
        description=_l("As the municipality's area plan names it."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=areas.PRIORITY_DESCRIPTION_MAX)]
    )
    submit = SubmitField(_l("Save"))
