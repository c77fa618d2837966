"""Helpers shared by the report builders: scoping, dates in words, the period of a report."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from docxtpl import Listing


def scoped(queryset, user):
    """``queryset`` limited to what ``user`` may see; everything when ``user`` is None (the
    ``taizhang report`` command, run by the server's operator)."""
    return queryset if user is None else queryset.visible_to(user)


def in_org(queryset, org, field: str = "org"):
    """Rows of ``queryset`` whose organization lies in ``org``'s subtree (no filter when
    ``org`` is None)."""
    return queryset if org is None else queryset.filter(**{f"{field}__path__startswith": org.path})


def cn_date(value: dt.date | None) -> str:
    """A date as Chinese text ("2023年10月12日"), or "" for None."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def text(value) -> Listing:
    """Multi-line user text for a template: line breaks kept, XML-escaped (docxtpl)."""
    return Listing(value or "")


def for_html(value):
    """A report context for the HTML preview: every :func:`text` listing (XML-escaped for the
    .docx) turned back into the plain text, so that the page's autoescape escapes it once;
    dicts, lists and tuples are walked, anything else is returned as is."""
    if isinstance(value, Listing):
        return html.unescape(value.xml)
    if isinstance(value, dict):
        return {k: for_html(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*(for_html(v) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(for_html(v) for v in value)
    return value


def percent(part: int, whole: int) -> str:
    """``part`` / ``whole`` in percent with one decimal ("87.5%"), "—" when ``whole`` is 0."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


@dataclass
class Params:
    """What a report is about, resolved and checked (see ``reports.params``): the
    campaign, organization, meeting (or 民主生活会), year, picked records, and the period they define."""

    campaign: object = None
    org: object = None
    meeting: object = None
    life_meeting: object = None
    year: int | None = None
    records: list = field(default_factory=list)
    user: object = None

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """(first, last) day the report covers: the year when given, else the campaign's
        dates, else open."""
        if self.year:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.campaign is not None:
            return self.campaign.start, self.campaign.end
        return None, None


def in_period(queryset, params: Params, field: str = "date"):
    """Rows of ``queryset`` whose ``field`` lies in the report's period."""
    start, end = params.period
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset
