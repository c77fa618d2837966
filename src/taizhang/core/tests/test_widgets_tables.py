"""core.widgets.QuickSelect and core.tables.DateColumn (issue 14: list pages at city scale)."""

import datetime as dt

from django import forms

from taizhang.core.tables import DateColumn
from taizhang.core.widgets import ChooserSelect, QuickSelect


def test_quick_select_renders_like_a_select_with_escaping_and_selection():
    widget = QuickSelect(attrs={"class": "form-select"},
                         choices=[("", "---------"), (1, "甲<支部>"), (2, "乙&丙"), ("组", [(3, "第一党小组")])])
    html = widget.render("org", "2", attrs={"id": "id_org"})
    assert html.startswith('<select class="form-select" id="id_org" name="org">')
    assert '<option value="1">甲&lt;支部&gt;</option>' in html
    assert '<option value="2" selected>乙&amp;丙</option>' in html
    assert '<optgroup label="组"><option value="3">第一党小组</option></optgroup>' in html
    assert html.count(" selected") == 1 and html.endswith("</select>")
    field = forms.ChoiceField(choices=[("a", "A")], widget=QuickSelect, required=False)
    assert '<option value="a">A</option>' in field.widget.render("x", None)


def test_date_column_formats_in_python():
    column = DateColumn(verbose_name="日期")
    assert column.render(dt.date(2023, 10, 1)) == "2023-10-01"
    assert DateColumn(format="Y年n月j日").render(dt.date(2023, 10, 1)) == "2023年10月1日"
    assert column.value(None) is None


def test_chooser_select_without_a_queryset_is_a_quick_select():
    # a ModelChoiceField's choices carry the queryset; plain choices render every option
    # (the model case, with the search box above the threshold: orgs.tests.test_chooser)
    widget = ChooserSelect(choices=[("", "---"), (1, "甲")], source_url="orgs:choose", threshold=0)
    assert widget.render("org", "1") == (
        '<select name="org"><option value="">---</option><option value="1" selected>甲</option></select>')
