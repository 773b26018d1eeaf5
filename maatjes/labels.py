"""Translatable labels for the stored codes (needs, kinds, statuses, roles…)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "role": {
        "admin": _l("Pact support staff"),
        "lead": _l("Project lead"),
        "volunteer": _l("Volunteer (maatje)"),
        "buurtteam": _l("Buurtteam staff"),
        "linking_pin": _l("Linking Pin"),
        "organisation_contact": _l("Organisation contact"),
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
    "organisation_status": {
        "candidate": _l("Candidate"),
        "member": _l("Member"),
        "partner": _l("Partner"),
        "left": _l("Left the pact"),
    },
    "criterion": {
        "three_years_active": _l("Active for at least three years in the social domain"),
        "culturally_sensitive": _l("Works demonstrably in a culturally sensitive way"),
        "commits_four_years": _l("Commits to the pact's mission for four years"),
        "wants_to_cooperate": _l("Wants to cooperate"),
        "reliable_partner": _l("Is seen as a reliable partner"),
        "no_profit_motive": _l("Has no profit motive"),
    },
    "admission_decision": {"admitted": _l("Admitted"), "refused": _l("Not admitted")},
    "person_role": {
        "core_group": _l("Core group member"),
        "linking_pin": _l("Linking Pin"),
        "theme_group_lead": _l("Theme group lead"),
        "trainer": _l("Trainer"),
    },
    "meeting_kind": {
        "general": _l("General meeting"),
        "core_group": _l("Core group meeting"),
        "theme_group": _l("Theme group meeting"),
    },
    "action_status": {"open": _l("Open"), "done": _l("Done"), "dropped": _l("Dropped")},
    "subsidy_decision": {
        "pending": _l("Awaiting decision"),
        "granted": _l("Granted"),
        "partly": _l("Partly granted"),
        "rejected": _l("Rejected"),
    },
    "training_provider": {
        "central": _l("Central training (with the Burgeracademie)"),
        "member": _l("Offered by a member"),
        "project": _l("Money Maatjes training"),
    },
    # The social map.
    "activity_place": {
        "address": _l("At an address"),
        "online": _l("Online"),
        "at_home": _l("At home"),
    },
    "activity_cost": {
        "free": _l("Free"),
        "paid": _l("Costs money"),
        "on_request": _l("Cost on request"),
    },
    "activity_access": {
        "walk_in": _l("Walk in"),
        "sign_up": _l("Sign up first"),
        "referral": _l("By referral"),
    },
    "target_group": {
        "children": _l("Children"),
        "young_people": _l("Young people"),
        "adults": _l("Adults"),
        "older_people": _l("Older people"),
        "women": _l("Women"),
        "men": _l("Men"),
        "families": _l("Families"),
        "newcomers": _l("Newcomers"),
        "people_with_a_disability": _l("People with a disability"),
    },
    "weekday": {
        "0": _l("Monday"),
        "1": _l("Tuesday"),
        "2": _l("Wednesday"),
        "3": _l("Thursday"),
        "4": _l("Friday"),
        "5": _l("Saturday"),
        "6": _l("Sunday"),
    },
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
