"""Who may manage which account; blocking closes every way in."""

import pytest

from maatjes.domain import accounts
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.models import Role
from tests.builders import make_area, make_user, make_volunteer


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        (Role.ADMIN, Role.ADMIN, True),
        (Role.ADMIN, Role.LEAD, True),
        (Role.ADMIN, Role.VOLUNTEER, True),
        (Role.LEAD, Role.ADMIN, False),
        (Role.LEAD, Role.LEAD, False),
        (Role.LEAD, Role.VOLUNTEER, True),
        (Role.LEAD, Role.BUURTTEAM, True),
        (Role.LEAD, Role.LINKING_PIN, True),
        (Role.VOLUNTEER, Role.VOLUNTEER, False),
        (Role.BUURTTEAM, Role.VOLUNTEER, False),
    ],
)
def test_staff_accounts_are_managed_only_by_admins(actor, target, allowed):
    area = make_area()
    one = make_user(actor, area=area if actor in Role.AREA_BOUND else None)
    other = make_user(target, area=area if target in Role.AREA_BOUND else None)
    db.session.flush()
    assert accounts.may_manage(one, other) is allowed


def test_nobody_manages_their_own_account():
    admin = make_user(Role.ADMIN)
    db.session.flush()
    assert not accounts.may_manage(admin, admin)
    with pytest.raises(RuleViolation):
        accounts.set_active(db.session, admin, admin, False)
    assert admin.active


def test_blocking_ends_the_password_link_and_the_calendar_feed():
    lead = make_user(Role.LEAD)
    volunteer = make_volunteer(("nl",))
    db.session.flush()
    user = volunteer.user
    user.password_token_hash = "a" * 64
    volunteer.calendar_token_hash = "b" * 64
    accounts.set_active(db.session, lead, user, False)
    assert not user.active
    assert user.password_token_hash is None and volunteer.calendar_token_hash is None
    accounts.set_active(db.session, lead, user, True)
    assert user.active


def test_a_lead_cannot_block_another_lead():
    lead, other = make_user(Role.LEAD), make_user(Role.LEAD)
    db.session.flush()
    with pytest.raises(RuleViolation):
        accounts.set_active(db.session, lead, other, False)
    assert other.active
