from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from maatjes.blueprints.forms import Form


class UserForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message=_l("Give a valid e-mail address."), check_deliverability=False),
        ],
        description=_l("Used to log in. No e-mail is sent."),
    )
    # No role is preselected: one missed tap must not make a volunteer a project lead.
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role."))])
    area = SelectField(
        _l("Area"),
        coerce=int,
        description=_l(
            "Only for buurtteam staff and Linking Pins. A Linking Pin's area is recorded in the"
            " registry, on their person."
        ),
    )
    organisation = SelectField(
        _l("Organisation"),
        coerce=int,
        default=0,
        description=_l("Only for organisation contacts."),
    )
    confirm_staff = BooleanField(
        _l("Yes: this person may see every resident, volunteer and contact")
    )
    submit = SubmitField(_l("Create account"))
