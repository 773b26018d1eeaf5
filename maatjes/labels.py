"""Translatable labels for the stored codes (needs, kinds, statuses, roles…)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "role": {
        "admin": _l("Pact support staff"),
        "lead": _l("Project lead"),
        "volunteer": _l("Volunteer (maatje)"),
        "buurtteam": _l("Buurtteam staff"),
        "linking_pin": _l("Linking Pin"),
    },
    "need": {
        "paperwork": _l("Post and paperwork"),
        "tax_office": _l("Belastingdienst (tax office)"),
        "allowances": _l("Allowances (toeslagen)"),
        "budgeting": _l("Budgeting"),
        "debts": _l("Debts / debt assistance"),
        "buurtteam": _l("Contact with the buurtteam"),
        "other": _l("Other"),
    },
    "source": {
        "buurtteam": _l("Referred by the buurtteam"),
        "member_organisation": _l("Member organisation"),
        "ijssie": _l("Ijssie in de Wijk"),
        "self": _l("Came in themselves"),
    },
    "contact_kind": {
        "phone": _l("Phone call"),
        "visit": _l("Visit"),
        "video": _l("Video call"),
        "message": _l("Message"),
        "appointment": _l("Went along to an appointment"),
    },
    "outcome": {
        "goals_reached": _l("Goals reached"),
        "buurtteam": _l("Continued at the buurtteam"),
        "resident_stopped": _l("Resident stopped"),
        "moved": _l("Resident moved"),
        "transferred": _l("Transferred to another maatje"),
        "other": _l("Other"),
    },
    "training_kind": {
        "basic": _l("Basic volunteer training"),
        "money_maatje": _l("Money Maatje training"),
        "other": _l("Other training"),
    },
    "handover_status": {
        "sent": _l("Sent"),
        "accepted": _l("Accepted"),
        "first_contact": _l("First contact made"),
        "completed": _l("Completed"),
        "declined": _l("Declined"),
        "returned": _l("Returned"),
    },
    "handover_direction": {
        "to_buurtteam": _l("To the buurtteam"),
        "to_maatjes": _l("To Money Maatjes"),
    },
    "urgency": {"normal": _l("Normal"), "urgent": _l("Urgent")},
    "week": {
        "done": _l("done"),
        "due": _l("due"),
        "missed": _l("missed"),
        "upcoming": _l("upcoming"),
    },
    "organisation_kind": {"member": _l("Member"), "partner": _l("Partner")},
    "consent_scope": {
        "processing": _l("Storing their data for support (intake)"),
        "share_buurtteam": _l("Sharing with the buurtteam in a handover"),
    },
    "audit_action": {
        "view": _l("viewed"),
        "export": _l("exported"),
        "create": _l("created"),
        "update": _l("changed"),
        "delete": _l("deleted"),
        "anonymise": _l("anonymised"),
    },
}


def choices(group: str, values=None) -> list[tuple[str, object]]:
    labels = LABELS[group]
    return [(value, labels[value]) for value in (values or labels)]
