class RuleViolation(Exception):
    """A domain rule refused an operation; ``message`` is shown to the user as is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class DuplicateResident(RuleViolation):
    """A resident with the same name and phone exists; the user may confirm and go on."""


class DuplicateVolunteer(RuleViolation):
    """A volunteer with the same name and phone, or the same e-mail, exists; the user may go on."""
