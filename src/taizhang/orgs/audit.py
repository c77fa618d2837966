"""Register this app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import (
    AccountState,
    LeadershipMember,
    LeadershipTeam,
    Member,
    Organization,
    Position,
    RoleAssignment,
)

auditlog.register(Organization, exclude_fields=["path", "depth", "numchild"])
# Phone numbers are masked in the stored history too (DESIGN.md: personal data is minimal).
auditlog.register(Member, mask_fields=["phone"])
auditlog.register(Position)
auditlog.register(LeadershipTeam)
auditlog.register(LeadershipMember, m2m_fields={"contact_branches"})
auditlog.register(RoleAssignment)
auditlog.register(AccountState)
