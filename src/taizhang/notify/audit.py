"""Register this app's configuration with the audit trail (django-auditlog).

A robot's address carries its key and the DingTalk secret signs messages: neither is ever
stored in the history (auditlog's masking keeps the address's end, which is the key)."""

from auditlog.registry import auditlog

from .models import Announcement, OrgWebhook, Urging

auditlog.register(OrgWebhook, exclude_fields=["secret", "url"])
auditlog.register(Urging)
auditlog.register(Announcement, m2m_fields={"recipients"})
