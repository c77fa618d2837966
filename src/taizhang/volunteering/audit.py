"""Register this app's business models with the audit trail (django-auditlog); an
activity's participants are audited as a many-to-many change."""

from auditlog.registry import auditlog

from .models import CommunityRegistration, ModelPost, VolunteerActivity

auditlog.register(ModelPost)
auditlog.register(VolunteerActivity, m2m_fields={"participants"})
auditlog.register(CommunityRegistration)
