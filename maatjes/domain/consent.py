"""The resident's consent: for storing their data at intake, and for sharing it in a handover."""

from datetime import date

from flask_babel import lazy_gettext as _l

from maatjes.domain.clock import check_past_date
from maatjes.domain.errors import RuleViolation


def check_consent(consent: bool, consent_on: date | None, *, today: date, refused: str) -> date:
    """Consent given, on a real day that is not ahead; ``refused`` says what happens without."""
    if not consent:
        raise RuleViolation(refused, field="consent")
    if consent_on is None:
        raise RuleViolation(_l("Give the date the resident gave consent."), field="consent_on")
    check_past_date(
        consent_on,
        today=today,
        field="consent_on",
        future_message=_l("The consent date cannot be in the future."),
    )
    return consent_on
