"""Guards against bad input and double submits (issue 13 §4).

* Out-of-range numbers: an id or number beyond the database's 64-bit integer range makes
  SQLite raise ``OverflowError`` in ``__in`` lookups (``in_bulk``, multiple choices), a 500.
  :func:`out_of_range_fields` finds them in an API payload, field by field, so the API
  answers 400 naming the field; :func:`guard_form` makes a form's multiple-choice fields
  refuse them as an invalid choice.
* One-time form tokens: an add form carries a hidden ``form_token`` issued when the page is
  rendered; the first successful POST consumes it (a row of ``UsedFormToken``, unique) and
  remembers the object it created, so a second POST of the same page (double click,
  browser resubmit) is sent to that object instead of creating a second one.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework import serializers

#: The largest magnitude any integer column of SQLite or PostgreSQL (bigint) holds.
DB_INT_MAX = 2**63 - 1

FORM_TOKEN_FIELD = "form_token"


def is_out_of_range(value) -> bool:
    """True when ``value`` is an integer (or a string of digits, optionally signed) whose
    magnitude exceeds :data:`DB_INT_MAX`; anything else is left to the field's own checks."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > DB_INT_MAX
    if isinstance(value, str):
        text = value.strip().lstrip("+-")
        return text.isdigit() and len(text) >= 19 and int(text) > DB_INT_MAX
    return False


def _numeric(field) -> bool:
    return isinstance(field, (serializers.RelatedField, serializers.ManyRelatedField,
                              serializers.IntegerField))


def out_of_range_fields(serializer, data, prefix: str = "") -> list[str]:
    """The dotted paths (``attendance.0.member``) of the values in ``data`` (a request's
    parsed payload) that are out of the database's integer range, looking only at the
    ``serializer``'s id and integer fields (nested serializers and lists included), so a
    long digit string in a text field is never refused. Empty when all fit."""
    if isinstance(serializer, serializers.ListSerializer):
        if not isinstance(data, list):
            return []
        found = []
        for i, row in enumerate(data):
            found += out_of_range_fields(serializer.child, row, f"{prefix}{i}.")
        return found
    if not isinstance(serializer, serializers.Serializer) or not hasattr(data, "get"):
        return []
    found = []
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        value = data.get(name)
        if isinstance(field, (serializers.Serializer, serializers.ListSerializer)):
            found += out_of_range_fields(field, value, f"{prefix}{name}.")
        elif _numeric(field) or isinstance(field, serializers.ListField):
            values = value if isinstance(value, (list, tuple)) else [value]
            if hasattr(data, "getlist"):
                values = data.getlist(name)
            if any(is_out_of_range(v) for v in values):
                found.append(f"{prefix}{name}")
    return found


def out_of_range_error(paths: list[str]) -> serializers.ValidationError:
    """The 400 naming each field whose value is out of range."""
    return serializers.ValidationError(
        {path: ["数值超出范围（最大 %d）。" % DB_INT_MAX] for path in paths})


class _RangeCheckedMultipleChoice:
    """Mixed into a form's ``ModelMultipleChoiceField`` by :func:`guard_form`: an
    out-of-range id is an invalid choice (``ValidationError``), never an ``OverflowError``."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else [value]:
            if is_out_of_range(pk):
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


_guarded: dict[type, type] = {}


def guard_form(form):
    """Make every multiple-choice field of ``form`` (a bound or unbound Django form) refuse
    out-of-range ids as invalid choices; returns ``form``. Single choices need nothing:
    Django answers "not a valid choice" for them already."""
    for field in form.fields.values():
        cls = type(field)
        if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(
                field, _RangeCheckedMultipleChoice):
            if cls not in _guarded:
                _guarded[cls] = type(f"RangeChecked{cls.__name__}", (_RangeCheckedMultipleChoice, cls), {})
            field.__class__ = _guarded[cls]
    return form


# ---- one-time form tokens ------------------------------------------------------------------

def issue_form_token() -> str:
    """A new random token for an add page (hidden field :data:`FORM_TOKEN_FIELD`)."""
    return secrets.token_urlsafe(16)


def used_form_token(token: str | None) -> str | None:
    """The URL of the object created with ``token`` when it was used already, else None
    (also for no token)."""
    if not token:
        return None
    from .models import UsedFormToken

    return UsedFormToken.objects.filter(token=token[:64]).values_list("url", flat=True).first()


def consume_form_token(token: str | None, url: str) -> bool:
    """Record that ``token`` created the object at ``url``; call inside the save's
    transaction. Returns False when the token was consumed already (a concurrent double
    submit): the caller then rolls its save back and shows the first one. The unique index
    makes this atomic across workers. No token: always True (nothing remembered)."""
    if not token:
        return True
    from .models import UsedFormToken

    try:
        with transaction.atomic():
            UsedFormToken.objects.create(token=token[:64], url=url)
    except IntegrityError:
        return False
    return True


#: How long a used token is remembered. A resubmit comes seconds after the first POST; a page
#: left open longer than this and posted again creates anew, like any fresh add page.
FORM_TOKEN_KEEP = timedelta(days=2)


def prune_form_tokens(*, now=None) -> int:
    """Delete used form tokens older than :data:`FORM_TOKEN_KEEP` (run daily by the worker,
    ``core.prune_form_tokens``); returns how many rows were removed. ``now``: an aware
    datetime, default the current time."""
    from django.utils import timezone

    from .models import UsedFormToken

    cutoff = (now or timezone.now()) - FORM_TOKEN_KEEP
    deleted, _ = UsedFormToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted
