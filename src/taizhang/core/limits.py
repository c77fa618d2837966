"""Sane ranges for the counts users type on records (观看人数, 听课人数, 学时, votes).

A count below 0 or far beyond any real meeting is a typing error (an extra digit, a pasted
phone number), refused at model level so that forms, the API and imports refuse it alike
(``Model.full_clean`` runs field validators; DRF builds ``min_value``/``max_value`` from
them). The walk in ``core/tests/test_count_ranges.py`` finds every count of every record
kind (``core.sources``) and checks it carries these validators.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

#: People at one meeting, lecture, film viewing, or votes on one motion: a whole
#: organization of a large unit; more is a typing error.
MAX_PEOPLE = 100_000

#: Hours of study or service one person gives in one record (one day's work at most).
MAX_HOURS = Decimal("24")

PEOPLE_MAX = MaxValueValidator(MAX_PEOPLE, message=_("人数不能超过 %(limit_value)s，请核对是否多输了数字。"))
VOTES_MAX = MaxValueValidator(MAX_PEOPLE, message=_("票数不能超过 %(limit_value)s，请核对是否多输了数字。"))
HOURS_MAX = MaxValueValidator(MAX_HOURS, message=_("时长不能超过 %(limit_value)s 小时（一条记录最多一天）。"))
NOT_NEGATIVE = MinValueValidator(0, message=_("不能为负数。"))


def _shown(value) -> str:
    """A date as 2023-09-15, a time as 09:30, anything else as str()."""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(value)


def order_error(start, end, start_label: str, end_label: str) -> str | None:
    """The message refusing an end before its start — "结束时间（09:00）不能早于开始时间（10:30）。"
    naming both labels and values — or None when either is empty or the order is right (an end
    on the start itself is allowed). ``start``/``end``: dates, times or datetimes of one kind."""
    if start is None or end is None or end >= start:
        return None
    return _("%(end_label)s（%(end)s）不能早于%(start_label)s（%(start)s）。") % {
        "end_label": end_label, "end": _shown(end), "start_label": start_label, "start": _shown(start)}


class DateOrderMixin:
    """Model mixin: ``date_order`` lists (start field, end field) pairs; :meth:`clean` refuses
    an end before its start on the end field, naming both fields and values
    (:func:`order_error`), so the model's forms, services (``full_clean``) and the API refuse
    it alike."""

    date_order: tuple[tuple[str, str], ...] = ()

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        errors = {}
        for start, end in self.date_order:
            message = order_error(getattr(self, start), getattr(self, end),
                                  str(self._meta.get_field(start).verbose_name),
                                  str(self._meta.get_field(end).verbose_name))
            if message:
                errors.setdefault(end, []).append(message)
        if errors:
            raise ValidationError(errors)


def member_bound(members: int, guest_allowance: int | None = None) -> tuple[int, int]:
    """(guests, limit) for a count of people at an activity of an organization with
    ``members`` active members: guests (列席: 入党积极分子, 群众) up to
    ``TAIZHANG_GUEST_ALLOWANCE`` or as many as the members, whichever is more; the limit is
    members + guests. Rule: 应到 are the members, 实到 cannot exceed them, 列席 come on top
    (domain-rules §4 record fields, §5 check 19); the guest figure is [U], a setting."""
    from django.conf import settings

    allowance = settings.TAIZHANG_GUEST_ALLOWANCE if guest_allowance is None else guest_allowance
    guests = max(members, allowance)
    return guests, members + guests


def member_count_error(label: str, value: int | None, org, members: int) -> str | None:
    """The message refusing a count ``value`` of people at an activity of ``org`` above
    :func:`member_bound` — "观看人数（99999）超过 第1党支部 的党员数（9）与列席人员上限（20）之和（29），
    请核对。" — or None."""
    if value is None:
        return None
    guests, limit = member_bound(members)
    if value <= limit:
        return None
    return _("%(label)s（%(value)s）超过 %(org)s 的党员数（%(members)s）与列席人员上限（%(guests)s）之和"
             "（%(limit)s），请核对。") % {"label": label, "value": value, "org": org.name,
                                          "members": members, "guests": guests, "limit": limit}
