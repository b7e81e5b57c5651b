"""All ORM tables of the platform; importing this module registers them on ``Base.metadata``."""

from jingjinji.store.models.accounts import (
    ApiToken,
    AuthSession,
    LoginFailure,
    Organization,
    PasswordReset,
    User,
)
from jingjinji.store.models.audit import AuditEntry
from jingjinji.store.models.chains import Enterprise, EnterpriseSegment, PlaceGroup
from jingjinji.store.models.evaluations import Evaluation, IndicatorSystemRecord
from jingjinji.store.models.loop import GapListing
from jingjinji.store.models.market import (
    ChallengeApplication,
    ChallengeEvent,
    ConfidentialityAcceptance,
    DealMilestone,
    Follow,
    InboxItem,
    Listing,
    ListingSegment,
    Match,
    MatchEvent,
    Milestone,
)
from jingjinji.store.models.patents import Patent, PatentSegment
from jingjinji.store.models.policies import Policy
from jingjinji.store.models.projects import Project, ProjectEvent

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuthSession",
    "ChallengeApplication",
    "ChallengeEvent",
    "ConfidentialityAcceptance",
    "DealMilestone",
    "Enterprise",
    "EnterpriseSegment",
    "Evaluation",
    "Follow",
    "GapListing",
    "InboxItem",
    "IndicatorSystemRecord",
    "Listing",
    "ListingSegment",
    "LoginFailure",
    "Match",
    "MatchEvent",
    "Milestone",
    "Organization",
    "PasswordReset",
    "Patent",
    "PatentSegment",
    "PlaceGroup",
    "Policy",
    "Project",
    "ProjectEvent",
    "User",
]
