"""django-tables2 columns shared by every app's tables, and the renderer of a table's rows
(:func:`render_rows`, used by the project's table template ``core/includes/table.html``)."""

from __future__ import annotations

import inspect
from functools import partialmethod

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.utils import dateformat
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.hashable import make_hashable
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class DateColumn(tables.Column):
    """A date (or datetime) cell formatted in Python with a Django date ``format`` (default
    "Y-m-d"). django-tables2's own ``DateColumn`` is a ``TemplateColumn`` that compiles a
    template for every cell: a third of a 50-row list page (issue 14). Accepts the other
    ``Column`` options (``verbose_name``, ``linkify``, ``order_by`` …)."""

    def __init__(self, *args, format: str = "Y-m-d", short: bool = True, **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value):
        return dateformat.format(value, self.format)

    def value(self, value):
        return dateformat.format(value, self.format) if value else value


class _CellPlan:
    """What rendering one column's cells needs, worked out once per table render instead of
    once per cell (issue 14: the per-cell work was two thirds of a 50-row list page): the
    render callable and the keyword arguments it takes (django-tables2 inspects the signature
    of ``render``/``render_FOO`` for every cell), the labels of a field with choices (Django's
    ``get_FOO_display`` translates and hashes every label of the field for every cell), and
    the ``<td>`` attributes when they hold no callable (then the same for every row), and a
    linked object's URL (reversed once per object, not per linked cell). The
    cell's value, link, default and escaping follow ``django_tables2.rows.BoundRow``
    (``_get_and_render_with``, ``_call_render``) and its bootstrap5 template exactly;
    ``tests/test_table_rows.py`` compares the two on every registered list."""

    def __init__(self, bound_column, table):
        from django_tables2.columns.base import LinkTransform
        from django_tables2.columns.manytomanycolumn import ManyToManyColumn
        from django_tables2.utils import A, signature

        self.bound_column = bound_column
        self.accessor = A(bound_column.accessor)
        self.render = bound_column.render
        args, catch_all = signature(self.render)
        self.wants = None if catch_all else args
        self.link = bound_column.link
        link = self.link
        # linkify=True: the object's get_absolute_url, reversed once per object and render
        # (a row's date and title link to the same page), not once per cell
        self.plain_link = (type(link) is LinkTransform and link.url is None and not link.reverse_args
                           and not link.attrs)
        self.link_accessor = A(link.accessor if link.accessor is not None else bound_column.name) if link else None
        self.urls: dict = table.__dict__.setdefault("_taizhang_urls", {})
        self.localize = bound_column.localize
        self.many = isinstance(bound_column.column, ManyToManyColumn)
        self.displays: dict = {}
        raw = {**dict(table.attrs), **dict(bound_column.column.attrs)}
        td = raw.get("td", raw.get("cell", {}))
        self.td_html = None if any(callable(v) for v in td.values()) else bound_column.attrs["td"].as_html()

    def display(self, record, owner, name):
        """A function giving ``owner``'s display value of its field ``name`` (Django's
        ``get_FOO_display`` with the labels translated once), or None when the accessor does
        not end on a field with choices; cached per model."""
        key = (type(record), type(owner))
        if key in self.displays:
            return self.displays[key]
        method = f"get_{name}_display"
        found = None
        try:
            field = self.accessor.get_field(record)
            if getattr(field, "choices", ()) and getattr(owner, method, None):
                declared = inspect.getattr_static(type(owner), method, None)
                if (isinstance(declared, partialmethod) and declared.func is models.Model._get_FIELD_display
                        and declared.keywords.get("field") is field):
                    labels = {make_hashable(k): force_str(v, strings_only=True) for k, v in field.flatchoices}
                    attname = field.attname

                    def found(obj):
                        value = getattr(obj, attname)
                        return labels.get(make_hashable(value), force_str(value, strings_only=True))
                else:
                    def found(obj):
                        return getattr(obj, method)()
        except FieldDoesNotExist:
            pass
        self.displays[key] = found
        return found

    def content(self, row):
        """The cell of ``row`` before escaping (``BoundRow._get_and_render_with``)."""
        from django_tables2.columns.linkcolumn import BaseLinkColumn

        record, bound_column = row.record, self.bound_column
        column = bound_column.column
        value = None
        owner, remainder = self.accessor.penultimate(record)
        if isinstance(owner, models.Model):
            display = self.display(record, owner, remainder)
            if display is not None:
                value, remainder = display(owner), None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:  # noqa: BLE001 — as django-tables2: a column without a field
                if isinstance(column, BaseLinkColumn) and column.text is not None:
                    return self.call(row, bound_column)
        if value in column.empty_values or (self.many and not value.exists()):
            return bound_column.default
        return self.call(row, bound_column, value)

    def call(self, row, bound_column, value=None):
        """``BoundRow._call_render`` without the per-cell signature inspection."""
        kwargs = {"value": value, "record": row.record, "column": bound_column.column,
                  "bound_column": bound_column, "bound_row": row, "table": row.table}
        if self.wants is None:
            content = self.render(**kwargs)
        elif all(name in kwargs for name in self.wants):
            content = self.render(**{name: kwargs[name] for name in self.wants})
        else:
            content = None
        if not self.link:
            return content
        if not self.plain_link:
            return self.link(content, **kwargs)
        return self.linked(content, row.record)

    def linked(self, content, record):
        """``LinkTransform.__call__`` of a plain ``linkify=True``: ``content`` in an ``<a>``
        to the column's object's (else the record's) ``get_absolute_url``."""
        target = self.link_accessor.resolve(record)
        if not hasattr(target, "get_absolute_url"):
            if not hasattr(record, "get_absolute_url"):
                raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
            target = record
        key = id(target)
        if key not in self.urls:
            self.urls[key] = (target, target.get_absolute_url())  # the object is kept: its id stays its own
        href = self.urls[key][1]
        return content if href is None else format_html('<a href="{}">{}</a>', href, content)

    def td(self, row, context) -> str:
        """One ``<td>`` of ``row``, as django-tables2's bootstrap5 template renders it."""
        cell = self.content(row)
        if self.localize is not None:
            cell = str(localize(cell, use_l10n=self.localize))
        if self.td_html is None:
            bound_column = self.bound_column
            bound_column.current_value, bound_column.current_record = cell, row.record
            attrs = bound_column.attrs["td"].as_html()
        else:
            attrs = self.td_html
        return f"<td {attrs}>{render_value_in_context(cell, context)}</td>"


def render_rows(table, context) -> str:
    """The ``<tr>`` rows of the table's current page as HTML (safe): the same cells, links,
    attributes and localisation as django-tables2's own template loop
    (``{% for column, cell in row.items %}``), whose per-cell template work, signature
    inspection and label translation were most of a 50-row list page (issue 14).
    ``context`` is the template context (its localisation and time zone apply to each
    cell)."""
    plans = [_CellPlan(column, table) for column in table.columns]
    out = []
    for row in table.paginated_rows:
        out.append(f"<tr {row.attrs.as_html()}>")
        out.extend(plan.td(row, context) for plan in plans)
        out.append("</tr>")
    if not out and table.empty_text:
        out.append(f'<tr><td colspan="{len(plans)}">{escape(table.empty_text)}</td></tr>')
    return mark_safe("".join(out))
