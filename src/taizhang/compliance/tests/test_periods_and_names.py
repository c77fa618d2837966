"""Findings belong to the period asked for, the period selector reaches every year with
records, groups are named with their branch, sources read as a user would read them, and a
branch with only a secretary is not asked for 支委会 (a new user's report)."""

import datetime as dt
import io

import pytest
from django.template import Context as TemplateContext, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from taizhang.compliance import periods as P
from taizhang.compliance.engine import evaluate
from taizhang.compliance.rules import RULES
from taizhang.compliance.services import branch_calendar
from taizhang.orgs.tests.factories import GroupFactory, PositionFactory, UserFactory, grant
from taizhang.records.models import MeetingKind

from .helpers import branch, meeting

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)
RECTIFICATION = ("C24", "C25", "C26")


def found(report, *rule_ids):
    return [v for v in report.violations if v.rule.id in rule_ids]


def _at(day: dt.date):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0), P.SHANGHAI)


@pytest.fixture
def ledger():
    """A branch with problems and measures of 2022 and 2026 (see the dates below)."""
    from taizhang.rectification.models import Problem, ProblemSource, Rectification

    org, _ = branch(members=3)
    source = ProblemSource.objects.create(name="调研")
    bare = Problem.objects.create(org=org, source=source, description="2026年发现、尚无措施",
                                  found_on=dt.date(2026, 11, 20))
    old = Problem.objects.create(org=org, source=source, description="2022年发现", found_on=dt.date(2022, 11, 5))
    vague = Rectification.objects.create(org=org, problem=old, measure="措施不明确")
    Rectification.objects.filter(pk=vague.pk).update(created_at=_at(dt.date(2022, 11, 8)))
    Problem.objects.filter(pk=old.pk).update(created_at=_at(dt.date(2022, 11, 5)))
    current = Problem.objects.create(org=org, source=source, description="2026年的问题", found_on=dt.date(2026, 9, 1))
    late = Rectification.objects.create(org=org, problem=current, measure="已超期", leader_name="王",
                                        department="办公室", person="李", deadline=dt.date(2026, 9, 15))
    closed = Rectification.objects.create(org=org, problem=current, measure="已销号", leader_name="王",
                                          department="办公室", person="李", deadline=dt.date(2026, 10, 20),
                                          status="closed", closed_on=dt.date(2026, 10, 28))
    return {"org": org, "bare": bare, "vague": vague, "late": late, "closed": closed}


def test_rectification_findings_only_in_their_own_period_and_labelled_with_their_month(ledger):
    org = ledger["org"]
    for key in ("2023-Q4", "2020", "2022-Q3", "2025", "2027"):
        assert found(evaluate(org, P.parse(key), today=TODAY), *RECTIFICATION) == [], key
    year = evaluate(org, P.parse("2026"), today=TODAY)
    shown = {(v.rule.id, v.record_url, v.period.label) for v in found(year, *RECTIFICATION)}
    assert ("C24", ledger["bare"].get_absolute_url(), "2026年11月") in shown
    assert ("C25", ledger["late"].get_absolute_url(), "2026年9月") in shown
    assert {v.period.label for v in found(year, "C26")} == {"2026年10月"}
    assert ledger["vague"].get_absolute_url() not in {url for _r, url, _l in shown}
    november = evaluate(org, P.parse("2026-11"), today=TODAY)
    assert [(v.rule.id, v.record_url) for v in found(november, *RECTIFICATION)] == [
        ("C24", ledger["bare"].get_absolute_url())]
    old = evaluate(org, P.parse("2022-Q4"), today=TODAY)
    assert [(v.rule.id, v.record_url, v.period.label) for v in found(old, *RECTIFICATION)] == [
        ("C24", ledger["vague"].get_absolute_url(), "2022年11月")]


def test_a_past_measure_closed_late_was_overdue_in_its_month():
    from taizhang.rectification.models import Problem, ProblemSource, Rectification

    org, _ = branch(members=3)
    problem = Problem.objects.create(org=org, source=ProblemSource.objects.create(name="调研"),
                                     description="问题", found_on=dt.date(2026, 3, 1))
    late = Rectification.objects.create(org=org, problem=problem, measure="晚销号", leader_name="王",
                                        department="办公室", person="李", deadline=dt.date(2026, 4, 15),
                                        status="closed", closed_on=dt.date(2026, 6, 10),
                                        completion_note="完成", evidence="照片")
    april = found(evaluate(org, P.parse("2026-04"), today=TODAY), "C25")
    assert [(v.record_url, v.severity, v.period.label) for v in april] == [
        (late.get_absolute_url(), "error", "2026年4月")]
    assert found(evaluate(org, P.parse("2026-Q3"), today=TODAY), "C25") == []


def test_structure_rules_are_not_stamped_with_todays_month_in_another_year():
    org, _ = branch(members=7, posts=4, committee_elected_on=dt.date(2021, 3, 10))
    future = evaluate(org, P.parse("2027"), today=TODAY)
    assert found(future, "C01a", "C01b", "C02", "C03", "C04", "C04c", "C20") == []
    _rows, report = branch_calendar(org, 2027, TODAY)
    assert all(v.period is None or v.period.start.year == 2027 for v in report.violations)
    past = found(evaluate(org, P.parse("2023-Q4"), today=TODAY), "C04")
    assert [(v.period.label, v.severity, v.message) for v in past] == [
        ("2023年12月", "warning", f"{org.name}本届委员会将于 2024-03-10 任期届满（还有 70 天），请准备换届")]
    now = found(evaluate(org, P.parse("2026"), today=TODAY), "C04")
    assert [v.period.label for v in now] == ["2026年11月"]


def test_every_finding_of_the_sample_lies_in_the_period_asked_for(sample):
    from taizhang.rectification.sample import load_sample_problems

    load_sample_problems(sample["committee"])
    for key in ("2020", "2022-Q4", "2023-Q4", "2023-12", "2024", "2027"):
        period = P.parse(key)
        for v in evaluate(sample["committee"], period).violations:
            assert v.period is not None and period.start <= v.period.start <= v.period.end <= period.end, (
                key, v.rule.id, v.period, v.message)


def test_period_selector_offers_every_year_from_the_first_record_to_next_year(client, sample):
    user = UserFactory(username="office")
    grant(user, sample["committee"], "committee_staff")
    client.force_login(user)
    response = client.get(reverse("compliance:overview"))
    keys = [p.key for p in response.context["periods"]]
    this_year = P.today().year
    for key in ("2023", "2023-Q4", "2023-11", "2024-01", str(this_year), f"{this_year + 1}",
                f"{this_year + 1}-Q4", f"{this_year + 1}-12"):
        assert key in keys, key
    assert min(int(k[:4]) for k in keys) == 2023 and max(int(k[:4]) for k in keys) == this_year + 1
    assert len(keys) == len(set(keys))
    html = response.content.decode()
    assert '<option value="2023-Q4"' in html
    # A period picked from the URL outside that range is still offered (and selected).
    keys = [p.key for p in client.get(reverse("compliance:overview"), {"period": "2019-03"}).context["periods"]]
    assert "2019-03" in keys and "2023-Q4" in keys


@pytest.fixture
def grouped():
    org, people = branch(members=4, name="办公室党支部", code="ZBX")
    group = GroupFactory(parent=org, name="第一党小组")
    for p in people:
        p.group = group
        p.save()
    return org, group, people


def test_month_needs_panel_names_the_branch_of_a_group(rf, grouped, time_machine):
    org, group, people = grouped
    time_machine.move_to(dt.datetime(2024, 3, 12, 9, 0, tzinfo=P.SHANGHAI), tick=False)
    user = UserFactory(username="sec")
    grant(user, org, "branch_secretary")  # the panel lists the user's own branches (issue 14)
    request = rf.get("/")
    request.user = user
    html = Template("{% load compliance %}{% compliance_month_needs %}").render(TemplateContext({"request": request}))
    assert "办公室党支部 第一党小组 · " in html
    assert "· 第一党小组" not in html and ">第一党小组 · " not in html


def test_reminder_about_a_group_names_its_branch(grouped):
    from taizhang.notify.models import Reminder
    from taizhang.notify.services import send_reminders

    org, group, _people = grouped
    user = UserFactory(username="secx", email="secx@example.org")
    grant(user, org, "branch_secretary")
    send_reminders(today=dt.date(2024, 3, 27), kinds=["compliance_missing"])
    subjects = set(Reminder.objects.filter(kind="compliance_missing", channel="notice")
                   .values_list("subject", flat=True))
    assert "办公室党支部 第一党小组2024年3月尚未召开党小组会" in subjects
    assert not any(s.startswith("第一党小组") for s in subjects)


def test_export_and_calendar_name_the_branch_of_a_group(client, grouped):
    org, group, _people = grouped
    user = UserFactory(username="secy")
    grant(user, org, "branch_secretary")
    client.force_login(user)
    rows, _report = branch_calendar(org, 2024, dt.date(2024, 4, 10))
    assert {r.org_name for r in rows if r.rule.id == "C06"} == {"办公室党支部 第一党小组"}
    response = client.get(reverse("compliance:export"), {"org": org.pk, "period": "2024-Q1"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    specific = {r[2] for r in list(book.active.iter_rows(values_only=True))[1:] if r[4] == "C06"}
    assert specific == {"办公室党支部 第一党小组"}


def test_sources_read_as_a_user_reads_them():
    for rule in RULES:
        assert "domain-rules" not in rule.source and "§" not in rule.source, rule.id
    org, people = branch(members=5)
    m = meeting(org, MeetingKind.THEME_PARTY_DAY, dt.date(2024, 1, 20), present=people[:3], complete=False)
    html = Template("{% load compliance %}{% record_violations obj %}").render(TemplateContext({"obj": m}))
    assert "（C19 · 实务台账格式）" in html and "domain-rules" not in html


def test_retired_cadres_branch_with_only_a_secretary_needs_no_committee_meeting(client, sample):
    zb06 = sample["branches"]["ZB06"]
    for key in ("2023", "2023-11", "2026", "2027"):
        report = evaluate(sample["committee"], P.parse(key))
        assert not [c for c in report.cells if c.rule.id == "C05" and c.org_id == zb06.pk], key
        assert not [v for v in found(report, "C05") if v.row_id == zb06.pk], key
    user = UserFactory(username="sec6")
    grant(user, zb06, "branch_secretary")
    client.force_login(user)
    for year in (2023, P.today().year, P.today().year + 1):
        response = client.get(reverse("compliance:calendar", args=[zb06.pk]), {"year": year})
        assert "C05" not in {row.rule.id for row in response.context["rows"]}
        assert 'data-rule="C05"' not in response.content.decode()


def test_posts_of_members_no_longer_on_the_roll_do_not_make_a_committee():
    org, people = branch(members=6, posts=3)
    for p in people[1:3]:  # 组织委员, 宣传委员 left; their posts were never ended
        p.is_active = False
        p.save()
    report = evaluate(org, P.parse("2024-Q1"), today=dt.date(2024, 4, 10))
    assert found(report, "C05") == [] and not [c for c in report.cells if c.rule.id == "C05"]
    deputy, people = branch(members=6, posts=1)
    PositionFactory(member=people[1], org=deputy, role="deputy_secretary")
    assert found(evaluate(deputy, P.parse("2024-Q1"), today=dt.date(2024, 4, 10)), "C05") == []
