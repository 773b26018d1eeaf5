"""Cross-cutting web behaviour: language, health, CSRF, redirects, limits, errors."""

import html
from datetime import date

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale

from maatjes import create_app
from maatjes.blueprints.auth.views import safe_next
from maatjes.extensions import db
from maatjes.formatting import long_date
from maatjes.models import Role
from tests.builders import login, make_user

CATALOG = "maatjes/translations/nl/LC_MESSAGES/messages"


def test_a_clean_install_speaks_dutch(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Inloggen" in page


def test_the_user_can_switch_to_english_and_back(client):
    response = client.post("/locale", data={"locale": "en", "next": "/login"})
    assert response.headers["Location"].endswith("/login")
    assert "Log in" in client.get("/login").get_data(as_text=True)
    client.post("/locale", data={"locale": "nl"})
    assert "Inloggen" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("nl", "maandag 3 januari 2022"), ("en", "Monday 3 January 2022")],
)
def test_dates_in_the_users_language(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert long_date(date(2022, 3 - 2, 3)) == expected


@pytest.mark.parametrize(
    ("locale", "day", "moment"),
    [("nl", "3 jan 2022", "3 jan 2022 15:05"), ("en", "3 Jan 2022", "3 Jan 2022, 15:05")],
)
def test_short_dates_put_the_day_first_and_times_have_no_seconds(app, locale, day, moment):
    from datetime import datetime

    from maatjes.formatting import date_time, short_date

    with app.test_request_context(), force_locale(locale):
        assert short_date(date(2022, 1, 3)) == day
        assert date_time(datetime(2022, 1, 3, 14, 5, 42)) == moment  # stored UTC, shown local


def test_dutch_catalog_is_complete_and_compiled():
    with open(f"{CATALOG}.po", "rb") as po_file:
        catalog = read_po(po_file)
    missing = [m.id for m in catalog if m.id and not _translated(m)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []
    with open(f"{CATALOG}.mo", "rb") as mo_file:
        compiled = read_mo(mo_file)
    assert {_key(m.id): _key(m.string) for m in compiled if m.id} == {
        _key(m.id): _key(m.string) for m in catalog if m.id
    }, "run `make translations-compile`"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _translated(message) -> bool:
    """Every form filled in, plural forms included."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable():
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none", "TESTING": True}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
    with app.app_context():
        db.engine.dispose()


def test_csrf_is_enforced(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    client = app.test_client()
    response = client.post("/login", data={"email": "a@b.nl", "password": "x"})
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True) or "expired" in response.get_data(
        as_text=True
    )
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("/residents/", "/residents/"),
        ("/me?x=1", "/me?x=1"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_open_redirects_are_refused(target, allowed):
    assert safe_next(target) == allowed


def test_login_ignores_an_outside_next(app, client):
    from maatjes.domain.accounts import set_password

    with app.app_context():
        user = make_user(Role.LEAD)
        user.email = "lead@example.org"
        set_password(user, "correct horse battery")
        db.session.commit()
    response = client.post(
        "/login",
        data={
            "email": "lead@example.org",
            "password": "correct horse battery",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_oversized_requests_are_refused_politely(app, client):
    with app.app_context():
        user = make_user(Role.LEAD)
        db.session.commit()
        user_id = user.id
    login(client, user_id)
    response = client.post("/residents/new", data={"first_name": "x" * 400_000})
    assert response.status_code == 413
    assert "te groot" in html.unescape(response.get_data(as_text=True))


def test_overlong_fields_are_errors_not_crashes(app, client):
    with app.app_context():
        user = make_user(Role.LEAD)
        db.session.commit()
        user_id = user.id
    login(client, user_id)
    with client.session_transaction() as session:
        session["locale"] = "en"
    response = client.post("/residents/new", data={"first_name": "x" * 500, "consent": "y"})
    assert response.status_code == 200
    assert "Field cannot be longer than 80 characters" in response.get_data(as_text=True)


def test_unknown_pages_answer_404_in_dutch(client):
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert "bestaat niet" in response.get_data(as_text=True)


def test_every_string_in_code_and_templates_is_in_the_dutch_catalog():
    """A new _("…") without a Dutch translation fails here (run `make translations-update`)."""
    from babel.messages.extract import extract_from_dir

    method_map = [("maatjes/**.py", "python"), ("maatjes/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ".", method_map=method_map, keywords=keywords
        )
    }
    with open(f"{CATALOG}.po", "rb") as po_file:
        catalog = read_po(po_file)
    translated = {
        m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id and _translated(m)
    }
    assert sorted(found - translated) == []
