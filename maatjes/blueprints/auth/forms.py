from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from maatjes.blueprints.forms import Form


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class SetPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=128)],  # the minimum is a domain rule
        description=_l(
            "At least 8 characters; a sentence you remember works well. "
            "Common passwords are refused."
        ),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])


class CodeForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The 6 digits in your authenticator app, or one of your recovery codes."),
    )
    submit = SubmitField(_l("Confirm"))


class ConfirmPasswordForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=128)])


class LocaleForm(Form):
    locale = SelectField(choices=[("nl", "Nederlands"), ("en", "English")])
    next = HiddenField()
