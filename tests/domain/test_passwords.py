"""Passwords per OWASP ASVS 2.1: length 8 to 128, no composition rules, no common passwords."""

import pytest

from maatjes.domain.accounts import check_password_rules
from maatjes.domain.errors import RuleViolation
from maatjes.models import User


@pytest.mark.parametrize(
    "password",
    ["acht tek", "correct horse battery staple", "x" * 2 + "y" * 6 + "z", "ümé ümé ü"],
)
def test_accepted(password):
    check_password_rules(password[:128])


@pytest.mark.parametrize(
    "password, message",
    [
        ("zeven77", "at least 8"),
        ("x" * 129, "at most 128"),
        ("password1", "too common"),
        ("Qwertyuiop", "too common"),
        ("iloveyou", "too common"),
        ("aaaaaaaaaaaa", "too common"),
    ],
)
def test_refused(password, message):
    with pytest.raises(RuleViolation) as refused:
        check_password_rules(password)
    assert message in str(refused.value.message)


def test_not_your_own_name_or_address():
    user = User(email="akosua.boateng@example.org", name="Akosua Boateng")
    for password in ("akosua.boateng@example.org", "Akosua Boateng", "akosua.boateng"):
        with pytest.raises(RuleViolation):
            check_password_rules(password, user)


def test_long_passphrases_are_welcome_up_to_128_characters():
    sentence = "mijn oma kookte elke zondag pom voor de hele straat in de K-buurt "
    for length in (64, 100, 128):
        check_password_rules((sentence * 2)[:length])
