"""Sane ranges for the counts users type on records (观看人数, 听课人数, 学时, votes).

A count below 0 or far beyond any real meeting is a typing error (an extra digit, a pasted
phone number), refused at model level so that forms, the API and imports refuse it alike
(``Model.full_clean`` runs field validators; DRF builds ``min_value``/``max_value`` from
them). The walk in ``core/tests/test_count_ranges.py`` finds every count of every record
kind (``core.sources``) and checks it carries these validators.
"""

from __future__ import annotations

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
