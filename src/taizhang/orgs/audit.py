"""Register this app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import LeadershipMember, LeadershipTeam, Member, Organization, Position, RoleAssignment

auditlog.register(Organization, exclude_fields=["path", "depth", "numchild"])
auditlog.register(Member)
auditlog.register(Position)
auditlog.register(LeadershipTeam)
auditlog.register(LeadershipMember, m2m_fields={"contact_branches"})
auditlog.register(RoleAssignment)
