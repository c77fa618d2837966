"""The audit trail of one object, for the "history" panel of detail pages, with every changed
value shown as a user would write it in the form (issue 15 §2: no "None → 2026年12月7日",
no "True", no "Deleted 'Member' (3)")."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re

from auditlog.models import LogEntry
from dateutil import parser
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

EMPTY = "—"
_NULLS = (None, "", "None", "null", "[]", "{}")


def history_for(obj, limit: int = 50):
    """Return the newest ``limit`` audit entries of ``obj`` (who, when, what changed)."""
    return (
        LogEntry.objects.get_for_object(obj)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )


def _parse_date(value: str, kind: str):
    parsed = parser.parse(value)
    if kind == "DateField":
        return parsed.date().isoformat()
    if kind == "TimeField":
        return parsed.strftime("%H:%M")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.timezone.utc)
    return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M")


#: A mainland mobile number (a username made from the roster's phone, issue 12 §2): shown
#: masked in histories, as the roster pages show phones (138****5678).
_MOBILE = re.compile(r"1[3-9]\d{9}")


def masked(text: str) -> str:
    """``text`` with every mainland mobile number in it masked to 138****5678."""
    return _MOBILE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


def _related(field, value: str) -> str:
    model = field.related_model
    try:
        pk = model._meta.pk.to_python(value)
        return masked(str(model._base_manager.get(pk=pk)))
    except (ValidationError, ObjectDoesNotExist, ValueError):
        return _("已删除的%(name)s") % {"name": model._meta.verbose_name}


def _sequence(value: str) -> list | None:
    for load in (json.loads, ast.literal_eval):
        try:
            loaded = load(value)
        except (ValueError, SyntaxError, TypeError):
            continue
        if isinstance(loaded, (list, tuple)):
            return list(loaded)
    return None


def shown_value(field, value) -> str:
    """One stored audit value of ``field`` (a model field, or None when the field is gone)
    as the user writes it: empty as "—", a choice by its label, a boolean as 是/否, a date as
    2023-10-09, a time as 14:30, a moment as 2023-10-09 14:30 (local time), a related object
    by its name (a deleted one as 已删除的…), a list joined with 、."""
    if value in _NULLS:
        return EMPTY
    text = str(value)
    if field is None:
        return text
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else None
    if choices:
        items = _sequence(text) if text.startswith("[") else None
        keys = items if items is not None else [text]
        return "、".join(str(choices.get(k, choices.get(_coerce(field, k), k))) for k in keys) or EMPTY
    kind = field.get_internal_type() if hasattr(field, "get_internal_type") else ""
    if kind in ("BooleanField", "NullBooleanField"):
        return _("是") if text in ("True", "true", "1") else _("否")
    if kind in ("DateField", "DateTimeField", "TimeField"):
        try:
            return _parse_date(text, kind)
        except (ValueError, OverflowError):
            return text
    if isinstance(field, (models.ForeignKey, models.OneToOneField)):
        return _related(field, text)
    if kind == "JSONField" or text.startswith("["):
        items = _sequence(text)
        if items is not None:
            return "、".join(str(i) for i in items) or EMPTY
    return text


def _coerce(field, key):
    try:
        return field.to_python(key)
    except (ValidationError, TypeError, ValueError):
        return key


def changes_of(entry) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field an audit ``entry`` changed, values as
    :func:`shown_value` writes them; a many-to-many change (auditlog's ``{"type": "m2m",
    "operation": "add"|"delete", "objects": [...]}``) is "—" → "＋ a、b" (or "－ a、b")."""
    model = entry.content_type.model_class()
    rows = []
    for name, change in (entry.changes_dict or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = str(getattr(field, "verbose_name", name))
        if isinstance(change, dict):
            names = "、".join(str(o) for o in change.get("objects") or []) or EMPTY
            sign = "－" if change.get("operation") == "delete" else "＋"
            rows.append((label, EMPTY, f"{sign} {names}"))
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            rows.append((label, shown_value(field, change[0]), shown_value(field, change[1])))
        else:
            rows.append((label, EMPTY, shown_value(field, change)))
    return rows
