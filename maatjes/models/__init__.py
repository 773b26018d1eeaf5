"""All models, imported here so that Alembic and the app see one metadata."""

from maatjes.models.audit import AuditEvent
from maatjes.models.base import Base, utcnow
from maatjes.models.consent import PROCESSING, SHARE_BUURTTEAM, ConsentRecord
from maatjes.models.handover import TO_BUURTTEAM, TO_MAATJES, Handover, HandoverEvent
from maatjes.models.match import CONTACT_KINDS, OUTCOMES, Contact, ContactWeek, Match
from maatjes.models.notification import JobRun, Notification
from maatjes.models.pact import (
    Action,
    AgendaItem,
    BudgetLine,
    Decision,
    Meeting,
    Project,
    Signal,
    SubsidyApplication,
    SubsidyParticipant,
)
from maatjes.models.registry import (
    Area,
    Assessment,
    Language,
    Neighbourhood,
    Organisation,
    Person,
    PersonRole,
    Priority,
    ThemeGroup,
)
from maatjes.models.resident import NEEDS, SOURCES, Resident, ResidentLanguage
from maatjes.models.rollup import register as _register_rollup
from maatjes.models.social_map import (
    Activity,
    ActivitySchedule,
    ActivityTargetGroup,
    activity_languages,
)
from maatjes.models.user import RecoveryCode, Role, User
from maatjes.models.volunteer import Training, TrainingAttendance, TrainingSession, Volunteer

__all__ = [
    "Action",
    "Activity",
    "ActivitySchedule",
    "ActivityTargetGroup",
    "activity_languages",
    "AgendaItem",
    "Assessment",
    "BudgetLine",
    "Decision",
    "Meeting",
    "Neighbourhood",
    "Person",
    "PersonRole",
    "Priority",
    "Project",
    "Signal",
    "SubsidyApplication",
    "SubsidyParticipant",
    "ThemeGroup",
    "CONTACT_KINDS",
    "NEEDS",
    "OUTCOMES",
    "PROCESSING",
    "SHARE_BUURTTEAM",
    "SOURCES",
    "TO_BUURTTEAM",
    "TO_MAATJES",
    "Area",
    "AuditEvent",
    "Base",
    "ConsentRecord",
    "Contact",
    "ContactWeek",
    "Handover",
    "HandoverEvent",
    "Language",
    "JobRun",
    "Match",
    "Notification",
    "Organisation",
    "RecoveryCode",
    "Resident",
    "ResidentLanguage",
    "Role",
    "Training",
    "TrainingAttendance",
    "TrainingSession",
    "User",
    "Volunteer",
    "utcnow",
]

_register_rollup(Contact.__table__)
