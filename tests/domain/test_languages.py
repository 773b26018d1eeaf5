"""Languages typed by name (Dutch or English), by code or as the picker offers them; unknown
ones refused with close matches; the picker's options with the languages in use first."""

import pytest

from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import (
    format_labelled_list,
    parse_language_list,
    picker_options,
    resolve_language,
)
from maatjes.extensions import db
from maatjes.models import Language
from tests.builders import make_resident, make_volunteer

CUSTOM = {"hns": "Sarnami Hindustani"}


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("turks", "tr"),
        ("Turkish", "tr"),
        ("tr", "tr"),
        ("TR", "tr"),
        ("Turks (tr)", "tr"),
        ("  turks  ", "tr"),
        ("TURKS", "tr"),
        ("Papiaments", "pap"),
        ("papiamento", "pap"),
        ("Sranantongo", "srn"),
        ("Sranan Tongo", "srn"),
        ("Frans", "fr"),
        ("Français (fr)", "fr"),  # the label before the code does not matter
        ("sarnami hindustani", "hns"),  # a custom name from the languages table
        ("Sarnámi Híndustani", "hns"),  # accents ignored
        ("Caribbean Hindustani", "hns"),  # ISO 639's English name
        ("Nederlands", "nl"),
        ("dutch", "nl"),
        ("Twi", "tw"),
        ("Fanti", "fat"),
    ],
)
def test_a_language_is_found_by_name_code_or_label(typed, code):
    assert resolve_language(typed, CUSTOM, "nl").code == code


def test_accents_are_ignored_both_ways():
    assert resolve_language("Portugees", CUSTOM).code == "pt"
    assert resolve_language("portugées", CUSTOM).code == "pt"
    # A name typed with an accent that CLDR writes without: Papiamento.
    assert resolve_language("Papiaménto", CUSTOM).code == "pap"


def test_a_three_letter_code_with_a_two_letter_one_is_that_one():
    assert resolve_language("twi", CUSTOM).code == "tw"
    assert resolve_language("Twi (twi)", CUSTOM).code == "tw"
    assert resolve_language("nld", CUSTOM).code == "nl"


def test_a_code_that_is_also_another_languages_name_asks_which():
    with pytest.raises(RuleViolation) as error:
        resolve_language("ga", CUSTOM, "en")
    message = str(error.value.message)
    assert "Irish (ga)" in message and "Ga (gaa)" in message
    assert resolve_language("Ga (gaa)", CUSTOM).code == "gaa"
    assert resolve_language("Irish", CUSTOM).code == "ga"


def test_order_is_kept_and_repeats_dropped():
    choices = parse_language_list("Turks, nl, Sarnami Hindustani (hns), turkish", CUSTOM)
    assert [c.code for c in choices] == ["tr", "nl", "hns"]


def test_a_label_names_a_code_without_a_name_once():
    # On a fresh database hns has no custom name and CLDR none: "Name (code)" gives it one.
    assert resolve_language("Sarnami Hindustani (hns)", {}).custom_name == "Sarnami Hindustani"
    # A known name is only a label: it does not rename the language.
    assert resolve_language("Turkish (tr)", {}).custom_name is None
    assert resolve_language("Caribbean Hindustani (hns)", {}).custom_name is None
    # An unknown code with a name, as code=Name does.
    assert resolve_language("Testtaal (qqa)", {}) == resolve_language("qqa=Testtaal", {})


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("turksh", "Turkish (tr)"),
        ("Papiamentoo", "Papiamento (pap)"),
        ("sarnami", "Sarnami Hindustani (hns)"),
    ],
)
def test_an_unknown_name_suggests_close_matches(typed, suggestion):
    with pytest.raises(RuleViolation) as error:
        resolve_language(typed, CUSTOM, "en")
    message = str(error.value.message)
    assert f"“{typed}” is not a language we know" in message
    assert f"Did you mean {suggestion}" in message


def test_suggestions_are_named_in_the_users_language():
    with pytest.raises(RuleViolation) as error:
        resolve_language("turksh", CUSTOM, "nl")
    assert "Turks (tr)" in str(error.value.message)


def test_nothing_close_explains_what_to_type():
    with pytest.raises(RuleViolation) as error:
        resolve_language("qwertyuiop", CUSTOM, "en")
    message = str(error.value.message)
    assert "Did you mean" not in message
    assert "name in Dutch or English" in message and "hns=Sarnami Hindustani" in message


def test_a_code_shaped_unknown_keeps_the_code_hint():
    with pytest.raises(RuleViolation) as error:
        resolve_language("xq", CUSTOM, "en")
    assert "Unknown language code “xq”" in str(error.value.message)
    assert "xq=Name" in str(error.value.message)


def test_labels_read_back_to_the_same_codes():
    codes = ["tr", "nl", "hns", "pap", "srn"]
    for locale in ("nl", "en"):
        text = format_labelled_list(codes, locale, CUSTOM)
        assert [c.code for c in parse_language_list(text, CUSTOM, locale)] == codes
    assert (
        format_labelled_list(["tr", "hns"], "nl", CUSTOM) == "Turks (tr), Sarnami Hindustani (hns)"
    )


def test_the_picker_offers_languages_in_use_first():
    make_resident(languages=("tw", "hns"))
    make_resident(languages=("tw",))
    make_volunteer(languages=("hns", "tw"))
    db.session.get(Language, "hns").custom_name = "Sarnami Hindustani"
    db.session.flush()
    options = picker_options(db.session, "nl")
    values = [o.value for o in options]
    assert values[:2] == ["Twi (tw)", "Sarnami Hindustani (hns)"]  # 3 uses, then 2
    assert all(o.in_use for o in options[:2]) and not options[2].in_use
    assert values[2] == "Nederlands (nl)"  # then the common languages of Zuidoost
    assert "Turks (tr)" in values and "Zweeds (sv)" in values  # and the rest, by name
    assert len(values) == len(set(values))
    hns = next(o for o in options if o.code == "hns")
    assert "sarnami hindustani" in hns.terms and "caribbean hindustani" in hns.terms
    turkish = next(o for o in options if o.code == "tr")
    assert turkish.terms.split(" | ") == ["turks", "turkish", "tr"]
