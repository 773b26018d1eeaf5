"""One phone rule for every phone field (issue 9, item 7)."""

import pytest

from maatjes.domain import phones
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice
from maatjes.domain.volunteers import VolunteerInput, save_volunteer
from maatjes.extensions import db
from tests.builders import TODAY, make_org, make_resident


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("06 1234 5678", "+31612345678", "06 12345678"),
        ("06-12345678", "+31612345678", "06 12345678"),
        ("+31 6 1234 5678", "+31612345678", "06 12345678"),
        ("0031612345678", "+31612345678", "06 12345678"),
        ("020 123 4567", "+31201234567", "020 123 4567"),
        ("+597 812 3456", "+5978123456", "+597 812-3456"),  # Suriname
        ("00233 24 123 4567", "+233241234567", "+233 24 123 4567"),  # Ghana
        ("+5999 461 2345", "+59994612345", "+599 9 461 2345"),  # Curaçao
    ],
)
def test_numbers_are_stored_in_e164_and_shown_nationally_when_dutch(typed, stored, shown):
    assert phones.normalise(typed) == stored
    assert phones.display(stored) == shown
    assert phones.tel_uri(stored).startswith("tel:" + stored[:3])


@pytest.mark.parametrize("typed", ["abc", "0612", "06 1234 56789 0", "+1", "12345678901234567"])
def test_what_is_no_phone_number_is_refused_with_how_to_write_it(typed):
    with pytest.raises(RuleViolation, match="06 1234 5678") as error:
        phones.normalise(typed, field="receiver_phone")
    assert error.value.field == "receiver_phone"


def test_a_volunteer_cannot_be_saved_with_the_phone_abc():
    data = VolunteerInput(
        name="Kofi",
        organisation=make_org(),
        phone="abc",
        email="",
        languages=[LanguageChoice("tw")],
    )
    with pytest.raises(RuleViolation) as error:
        save_volunteer(db.session, None, data, today=TODAY)
    assert error.value.field == "phone"
    data.phone = "06 8765 4321"
    assert save_volunteer(db.session, None, data, today=TODAY).phone == "+31687654321"


def test_a_resident_is_stored_in_e164_and_found_as_a_duplicate_however_written():
    resident = make_resident(phone="06-8765 4321", first_name="Ama", last_name="Owusu")
    assert resident.phone == "+31687654321"
    from maatjes.domain.residents import ResidentInput, find_duplicate

    again = ResidentInput(
        first_name="ama",
        last_name="owusu",
        phone="+31 6 87654321",
        area=resident.area,
        neighbourhood="",
        languages=[LanguageChoice("nl")],
    )
    assert find_duplicate(db.session, again) == resident
