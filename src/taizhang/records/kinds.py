"""Default parts of a plain record kind, built from its field list.

A record kind whose pages need nothing special (a date, an organization, a few fields) is
declared in :mod:`.sources` by :func:`plain_source` with its model and field names only; the
entry form (:class:`.forms.RecordForm`), list table, filters, API serializer and Excel ledger
are made here from the model's own field labels. Kinds with richer pages (attendance,
motions) name their own classes instead.
"""

from __future__ import annotations

import django_tables2 as tables
from django.db import models
from django.forms import DateInput, Textarea, modelform_factory
from django.utils.translation import gettext_lazy as _

from taizhang.core.excel import DATE_FORMAT, Column, Ledger
from taizhang.core.sources import Evidence, Source
from taizhang.core.tables import DateColumn

from . import filtersets, forms
from .api.serializers import RecordSerializer
from .tables import ATTRS

CHUNK = 2000


def _fields(model, names):
    return [model._meta.get_field(name) for name in names]


def build_form(model, fields, person_fields=()):
    """A :class:`.forms.RecordForm` for ``fields`` (dates as date inputs, text as areas)."""
    widgets = {f.name: DateInput() for f in _fields(model, fields) if isinstance(f, models.DateField)}
    widgets.update({f.name: Textarea() for f in _fields(model, fields) if isinstance(f, models.TextField)})
    return modelform_factory(model, form=forms.RecordForm, fields=list(fields), widgets=widgets)


def _person_form(model, fields, person_fields):
    form = build_form(model, fields)
    return type(f"{model.__name__}Form", (form,), {"person_fields": tuple(person_fields)})


def build_table(model, fields):
    """A list table of ``fields``; the first date and the first text column link the record."""
    attrs = {}
    linked = False
    for f in _fields(model, fields):
        if isinstance(f, models.DateField):
            attrs[f.name] = DateColumn(format="Y-m-d", verbose_name=f.verbose_name, linkify=True)
        elif isinstance(f, models.CharField) and not f.choices and not linked:
            attrs[f.name] = tables.Column(verbose_name=f.verbose_name, linkify=True)
            linked = True
        elif f.name == "org":
            attrs[f.name] = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    meta = type("Meta", (), {"model": model, "fields": tuple(fields), "attrs": ATTRS,
                             "empty_text": _("暂无记录")})
    return type(f"{model.__name__}Table", (tables.Table,), {**attrs, "Meta": meta})


def build_filterset(model, search_fields):
    """A :class:`.filtersets.RecordFilterSet` (org subtree, date range, text search)."""
    meta = type("Meta", (), {"model": model, "fields": ["org", "date"]})
    return type(f"{model.__name__}FilterSet", (filtersets.RecordFilterSet,),
                {"search_fields": tuple(search_fields), "Meta": meta})


def build_serializer(model, fields):
    """A :class:`.api.serializers.RecordSerializer` (writes through the records service)."""
    meta = type("Meta", (), {"model": model, "fields": ["id", *fields]})
    return type(f"{model.__name__}Serializer", (RecordSerializer,), {"Meta": meta})


def _cell(obj, f):
    if f.choices:
        return getattr(obj, f"get_{f.name}_display")()
    value = getattr(obj, f.name)
    if isinstance(f, models.ForeignKey):
        return getattr(value, "name", None) or (str(value) if value is not None else "")
    return value


def build_ledger(title, model, fields):
    """An Excel ledger: 序号 and one column per field, dates as real dates, ordered by date."""
    fs = _fields(model, fields)
    columns = [Column("序号", 6)] + [
        Column(str(f.verbose_name), 12 if isinstance(f, models.DateField) else 24 if isinstance(f, models.TextField) else 16,
               DATE_FORMAT if isinstance(f, models.DateField) else None) for f in fs]
    related = [f.name for f in fs if isinstance(f, models.ForeignKey)]

    def rows(queryset):
        items = queryset.select_related(*related).order_by("date", "pk")
        for index, obj in enumerate(items.iterator(chunk_size=CHUNK), start=1):
            yield [index, *(_cell(obj, f) for f in fs)]

    return Ledger(title, columns, rows)


def plain_source(code, model, label, slug, *, fields, ledger_title, menu=None, person_fields=(),
                 search_fields=(), evidence=(), api_prefix, **extra) -> Source:
    """A :class:`~taizhang.core.sources.Source` whose form, table, filters, serializer and
    ledger are built from ``fields`` (names of ``model``, which must have ``org`` and
    ``date``). ``evidence`` defaults to one code equal to ``code``, labelled ``label``."""
    return Source(
        code=code, model=model._meta.label, label=label, slug=slug, menu=menu,
        person_fields=tuple(person_fields),
        form=_person_form(model, fields, person_fields),
        table=build_table(model, [f for f in fields if not _fields(model, [f])[0].is_relation or f == "org"]),
        filterset=build_filterset(model, search_fields),
        serializer=build_serializer(model, fields),
        ledger=build_ledger(ledger_title, model, fields),
        api_prefix=api_prefix,
        evidence=tuple(evidence) or (Evidence(code, label),),
        **extra,
    )
