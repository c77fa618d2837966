"""Records per month are grouped by the database itself (issue 14 §6): ``TruncMonth`` on
SQLite called back into Python once per row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.compliance import periods as P
from taizhang.compliance.engine import Context, _as_date

pytestmark = pytest.mark.django_db


def test_month_counts_need_no_python_date_function(sample):
    ctx = Context(sample["committee"], P.parse("2023-Q4"))
    with CaptureQueriesContext(connection) as log:
        counts = ctx.meeting_counts
        ctx.lecture_counts
    sqls = " ".join(q["sql"] for q in log.captured_queries).lower()
    assert "django_date_trunc" not in sqls and "date_trunc" not in sqls
    months = {month for (_org, _kind, month) in counts}
    assert months == {dt.date(2023, 10, 1), dt.date(2023, 11, 1), dt.date(2023, 12, 1)}
    zb03 = sample["branches"]["ZB03"].pk
    # ZB03 held no 支委会 in November 2023 (the sample's gap), one in October
    assert (zb03, "branch_committee_meeting", dt.date(2023, 11, 1)) not in counts
    assert counts[(zb03, "branch_committee_meeting", dt.date(2023, 10, 1))][0] >= 1


def test_as_date_reads_month_keys_and_dates():
    assert _as_date("2023-10") == dt.date(2023, 10, 1)
    assert _as_date(dt.date(2023, 10, 1)) == dt.date(2023, 10, 1)
    assert _as_date(dt.datetime(2023, 10, 1, 8)) == dt.date(2023, 10, 1)
