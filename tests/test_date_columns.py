"""Every date column of the apps' list tables is ``core.tables.DateColumn`` (formatted in
Python, not one compiled template per cell: issue 14) and renders the same text as
django-tables2's ``DateColumn`` it replaced."""

import datetime as dt
import importlib

import django_tables2 as tables
import pytest
from django.db import models

from taizhang.core.tables import DateColumn

APPS = ("evaluation", "institutions", "orgs", "rectification", "records", "rolemodels", "surveys",
        "volunteering")


def _tables():
    found = []
    for app in APPS:
        module = importlib.import_module(f"taizhang.{app}.tables")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, tables.Table) and value.__module__ == module.__name__:
                found.append(value)
    return found


def _date_columns():
    """(table class, column name, bound column) for every column over a date field."""
    out = []
    for table_class in _tables():
        model = table_class._meta.model
        if model is None:
            continue
        table = table_class([])
        for bound in table.columns:
            try:
                field = model._meta.get_field(bound.accessor)
            except Exception:
                continue
            if isinstance(field, models.DateField):
                out.append((table_class, bound.name, bound))
    return out


DATE_COLUMNS = _date_columns()


def test_the_tables_have_date_columns():
    names = {f"{t.__name__}.{name}" for t, name, _ in DATE_COLUMNS}
    # one per app at least, and the ones named in issue 14's leftovers
    for expected in ("AppraisalTable.rated_on", "InstitutionTable.date", "TypicalCaseTable.date",
                     "MemberTable.joined_on", "ProblemTable.found_on", "RoleModelTable.nominated_on",
                     "RoleModelTable.publicity_end", "SurveyTable.start", "SurveyTable.end",
                     "ModelPostTable.start", "VolunteerActivityTable.date",
                     "CommunityRegistrationTable.registered_on", "MeetingTable.date"):
        assert expected in names


@pytest.mark.django_db
@pytest.mark.parametrize("table_class,name,bound", DATE_COLUMNS,
                         ids=[f"{t.__name__}.{n}" for t, n, _ in DATE_COLUMNS])
def test_date_column_is_cores_and_renders_like_django_tables2(table_class, name, bound):
    column = bound.column
    assert isinstance(column, DateColumn), f"{table_class.__name__}.{name} is {type(column).__name__}"
    row = table_class._meta.model(pk=1, **{bound.accessor: dt.date(2023, 10, 1)})
    cell = str(table_class([row]).rows[0].get_cell(name))
    # the same cell through the django-tables2 column it replaced (same format and link)
    old = tables.DateColumn(format="Y-m-d", linkify=getattr(column, "link", None) is not None)
    old_cell = str(table_class([row], extra_columns=[(name, old)]).rows[0].get_cell(name))
    assert "2023-10-01" in cell
    assert cell == old_cell.strip()
    empty = table_class._meta.model(pk=1, **{bound.accessor: None})
    assert str(table_class([empty]).rows[0].get_cell(name)) == "—"
    assert column.value(dt.date(2023, 10, 1)) == "2023-10-01" and column.value(None) is None
