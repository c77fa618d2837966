"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A single ``<select>`` rendered in Python instead of one template per option.

    For choice lists of hundreds or thousands of entries (every organization of a city in a
    list page's filter: 1,500 options took 60 % of the page through Django's per-option
    templates; issue 14). Same HTML as ``forms.Select`` apart from whitespace; option
    groups are rendered as ``<optgroup>``. The value(s) selected come from ``format_value``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = set(self.format_value(value))
        parts = [f"<select{flatatt(final)}>"]

        def option(option_value, label):
            text = "" if option_value is None else str(option_value)
            mark = " selected" if text in selected else ""
            parts.append(f'<option value="{escape(text)}"{mark}>{escape(label)}</option>')

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                for sub_value, sub_label in label:
                    option(sub_value, sub_label)
                parts.append("</optgroup>")
            else:
                option(option_value, label)
        parts.append("</select>")
        return mark_safe("".join(parts))
