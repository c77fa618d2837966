"""Form widgets shared by every app."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

CHOOSER_RESULTS = 20  # matches a chooser endpoint answers at most


def render_options(choices, selected: set[str]) -> str:
    """``<option>`` (and ``<optgroup>``) HTML for ``choices`` ([(value, label)], a label may
    be a list of pairs for a group), marking the values in ``selected`` (strings)."""
    parts = []

    def option(option_value, label):
        text = "" if option_value is None else str(option_value)
        mark = " selected" if text in selected else ""
        parts.append(f'<option value="{escape(text)}"{mark}>{escape(label)}</option>')

    for option_value, label in choices:
        if isinstance(label, (list, tuple)):
            parts.append(f'<optgroup label="{escape(option_value)}">')
            for sub_value, sub_label in label:
                option(sub_value, sub_label)
            parts.append("</optgroup>")
        else:
            option(option_value, label)
    return "".join(parts)


class QuickSelect(forms.Select):
    """A single ``<select>`` rendered in Python instead of one template per option.

    For choice lists of hundreds or thousands of entries (every organization of a city in a
    list page's filter: 1,500 options took 60 % of the page through Django's per-option
    templates; issue 14). Same HTML as ``forms.Select`` apart from whitespace; option
    groups are rendered as ``<optgroup>``. The value(s) selected come from ``format_value``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        return self.render_select(name, value, attrs, self.choices)

    def render_select(self, name, value, attrs, choices) -> str:
        """The ``<select>`` of ``choices`` with ``value`` selected."""
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = render_options(choices, set(self.format_value(value)))
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")


class ChooserSelect(QuickSelect):
    """The select of a ``ModelChoiceField`` that turns into a search box at scale (issue 14).

    Up to ``threshold`` choices (default ``settings.TAIZHANG_CHOOSER_THRESHOLD``, 200) it is a
    :class:`QuickSelect` of them all. Above it, the page carries only the empty and the
    selected option, and a search box above the select asks ``source_url`` (a URL name,
    reversed at render, with ``params`` added) for up to :data:`CHOOSER_RESULTS` matches of
    ``?q=`` through htmx; the endpoint answers ``<option>`` elements to an htmx request (they
    replace the select's options: no script of our own) and JSON otherwise. The endpoint must
    scope its answer like the field's queryset. One query decides (``threshold + 1`` rows at
    most); the selected object is the one the field cleaned (:attr:`selected`), else fetched.
    Without JavaScript the select still submits the selected value.
    """

    def __init__(self, attrs=None, choices=(), *, source_url: str, params: dict | None = None,
                 threshold: int | None = None, placeholder: str | None = None):
        super().__init__(attrs, choices)
        self.source_url = source_url
        self.params = params or {}
        self.placeholder = placeholder  # the search box's hint (default: by name or code)
        self.threshold = threshold
        self.selected = None  # the model instance the field cleaned, if any

    def get_threshold(self) -> int:
        if self.threshold is not None:
            return self.threshold
        return getattr(settings, "TAIZHANG_CHOOSER_THRESHOLD", 200)

    def render(self, name, value, attrs=None, renderer=None):
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        field = getattr(iterator, "field", None)
        if queryset is None or field is None:
            return super().render(name, value, attrs, renderer)
        limit = self.get_threshold()
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        label_fields = getattr(field, "label_fields", None)
        if label_fields and getattr(field, "to_field_name", None) is None:
            queryset = queryset.only("pk", *label_fields)
        rows = list(queryset[: limit + 1])
        if len(rows) <= limit:
            choices = empty + [(field.prepare_value(o), field.label_from_instance(o)) for o in rows]
            return self.render_select(name, value, attrs, choices)
        chosen = self._chosen(field, queryset, value, rows)
        choices = empty + [(field.prepare_value(o), field.label_from_instance(o)) for o in chosen]
        select = self.render_select(name, value, attrs, choices)
        # the endpoint answers the chosen value(s), sent along from the select, first and still
        # selected: a search never drops what was chosen (new-user pass)
        params = {**self.params, "keep": name}
        if self.allow_multiple_selected:
            params["multiple"] = 1  # no empty choice among the options
        url = reverse(self.source_url) + "?" + urlencode(params, doseq=True)
        select_id = (attrs or {}).get("id") or self.attrs.get("id") or name
        placeholder = self.placeholder or _("输入名称或编码查找")
        search = format_html(
            '<input type="search" name="q" form="{}-none" class="form-control form-control-sm mb-1" '
            'placeholder="{}" aria-label="{}" autocomplete="off" hx-get="{}" hx-include="#{}" '
            'hx-trigger="input changed delay:300ms, search" hx-target="next select" hx-swap="innerHTML">',
            select_id, placeholder, placeholder, url, select_id)
        return format_html('<div class="chooser">{}{}</div>', search, select)

    def _chosen(self, field, queryset, value, fetched=()) -> list:
        """The chosen rows (at most one unless ``allow_multiple_selected``), in the value's
        order: the cleaned one (:attr:`selected`) or those among ``fetched`` (the rows read
        to decide) cost no query; the others are fetched in one."""
        values = [v for v in self.format_value(value) if v]
        if not values:
            return []
        if not self.allow_multiple_selected:
            values = values[:1]
        known = {str(field.prepare_value(o)): o for o in fetched}
        if self.selected is not None:
            known[str(field.prepare_value(self.selected))] = self.selected
        missing = [v for v in values if v not in known]
        if missing:
            try:
                known.update({str(field.prepare_value(o)): o for o in queryset.filter(pk__in=missing)})
            except (ValueError, TypeError, ValidationError, OverflowError):
                pass
        return [known[v] for v in values if v in known]


class ChooserSelectMultiple(ChooserSelect):
    """:class:`ChooserSelect` for a ``ModelMultipleChoiceField``: above the threshold the
    page carries the chosen rows only; the search box sends the select's chosen values
    along (``hx-include``, named by ``?keep=``; ``&multiple=1``: no empty choice) so the
    endpoint answers them, still selected, before the matches."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an unselected multi-select is absent from the POST
