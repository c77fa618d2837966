"""Template helpers shared by all apps: history and attachments panels, field display."""

from pathlib import PurePosixPath

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from taizhang.core.history import changes_of, history_for
from taizhang.core.models import Attachment
from taizhang.core.status import events_for

register = template.Library()


@register.inclusion_tag("core/includes/history.html")
def history_panel(obj):
    """Render the audit trail of ``obj`` (django-auditlog entries, newest first) and its
    domain events (status moves with their reasons)."""
    return {"entries": history_for(obj), "events": events_for(obj) if hasattr(obj, "scope_org_field") else []}


# django-auditlog's action names ship without a Chinese translation.
AUDIT_ACTIONS = {0: _("新建"), 1: _("修改"), 2: _("删除"), 3: _("查看")}


@register.filter
def audit_action(action: int) -> str:
    """The Chinese name of an audit entry's ``action`` (0 create … 3 access)."""
    return AUDIT_ACTIONS.get(action, str(action))


def _shown(value) -> str:
    """An audited value as a reader sees it: empty, "None" and null are "—"."""
    return "—" if value in (None, "", "None", "null") else str(value)


@register.filter
def audit_changes(entry) -> list[tuple[str, str, str]]:
    """(field label, before, after) of an audit entry, values as a user writes them
    (``core.history.changes_of``)."""
    return changes_of(entry)


@register.filter
def audit_change(change) -> tuple[str, str]:
    """(before, after) of one field of an audit entry's ``changes_display_dict``: a plain
    change is its two values; a many-to-many change (auditlog's ``{"type": "m2m",
    "operation": "add"|"delete", "objects": [...]}``) is "—" → "＋ a、b" (or "－ a、b"), never
    the dict's keys; empty values are "—"."""
    if isinstance(change, dict):
        names = "、".join(str(o) for o in change.get("objects") or []) or "—"
        sign = "－" if change.get("operation") == "delete" else "＋"
        return "—", f"{sign} {names}"
    if isinstance(change, (list, tuple)) and len(change) == 2:
        return _shown(change[0]), _shown(change[1])
    return "—", _shown(change)


@register.inclusion_tag("core/includes/attachments.html")
def attachments_panel(obj, can_change=False):
    """List ``obj``'s attachments with download links, and an upload form if allowed."""
    from taizhang.core.views_attachments import attachments_locked

    content_type = ContentType.objects.get_for_model(obj)
    can_change = can_change and not attachments_locked(obj)
    return {
        "attachments": Attachment.objects.filter(content_type=content_type, object_id=obj.pk),
        "content_type_id": content_type.pk,
        "object_id": obj.pk,
        "can_change": can_change,
    }


def _file_display(obj, field) -> str:
    """A stored file as its name (never the storage path), linked to the object's
    ``get_<field>_url()`` when it has one."""
    stored = getattr(obj, field.name)
    if not stored:
        return ""
    name = PurePosixPath(stored.name).name
    url_of = getattr(obj, f"get_{field.name}_url", None)
    url = url_of() if url_of else None
    return format_html('<a href="{}">{}</a>', url, name) if url else name


@register.filter
def display_fields(obj):
    """(label, display value) pairs of ``obj``'s concrete editable fields, for detail pages:
    choices by their label, booleans as 是/否, files by their name (a link where the model
    says where)."""
    pairs = []
    for field in obj._meta.get_fields():
        if not getattr(field, "concrete", False) or field.auto_created or not field.editable:
            continue
        if field.name in {"created_at", "updated_at"}:
            continue
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, models.BooleanField):
            value = _("是") if getattr(obj, field.name) else _("否")
        elif isinstance(field, models.FileField):
            value = _file_display(obj, field)
        elif field.many_to_many:
            value = "、".join(str(v) for v in getattr(obj, field.name).all())
        else:
            value = getattr(obj, field.name)
        pairs.append((field.verbose_name, value))
    return pairs


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}``: a dict lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """The rows of a django-tables2 table's current page (``core.tables.render_rows``), used
    by ``core/includes/table.html`` (the project's ``DJANGO_TABLES2_TEMPLATE``)."""
    from taizhang.core.tables import render_rows

    return render_rows(table, context)
