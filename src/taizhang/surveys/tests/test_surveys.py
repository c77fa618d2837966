"""The surveys app: one-time anonymous links (single use, unknown, closed, flood),
anonymity, results arithmetic, opinions to problems, office pages' scoping, Excel, API and
the plan evidence ``survey`` (seed 四.2)."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from taizhang.orgs.tests.factories import UserFactory, build_tree, grant
from taizhang.plans import evidence as plan_evidence
from taizhang.plans.models import Assignment, Campaign, EvidenceRule, ItemKind, Plan, PlanItem, Responsible
from taizhang.surveys import services, views_public
from taizhang.surveys.models import SurveyResponse, SurveyToken

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree():
    t = build_tree(branches=2, groups=1)
    a, b = t["branches"]
    secretary, office = UserFactory(username="sec_sv"), UserFactory(username="office_sv")
    grant(secretary, a, "branch_secretary")
    grant(office, t["committee"], "committee_staff")
    return {"committee": t["committee"], "a": a, "b": b, "secretary": secretary, "office": office}


def make(org, start=None, end=None, items=("作风", "效率"), title="满意度测评"):
    today = timezone.localdate()
    return services.create_survey({"org": org, "title": title, "start": start or today - dt.timedelta(days=1),
                                   "end": end or today + dt.timedelta(days=5), "items": list(items)})


def answer_all(survey, rating="satisfied", opinion="", **kw):
    token = services.issue_tokens(survey, 1)[0].token
    return services.submit(token, {i.pk: rating for i in survey.items.all()}, opinion, **kw)


def test_token_answers_once_then_410_and_unknown_is_404(client, tree):
    survey = make(tree["a"])
    token = services.issue_tokens(survey, 2)[0].token
    url = reverse("surveys:answer", args=[token])
    page = client.get(url)  # no login
    assert page.status_code == 200 and "作风" in page.content.decode()
    items = list(survey.items.all())
    data = {f"item-{items[0].pk}": "satisfied", f"item-{items[1].pk}": "dissatisfied", "opinion": "多走访"}
    # An item left unrated: 400, the token stays usable.
    assert client.post(url, {f"item-{items[0].pk}": "satisfied"}).status_code == 400
    assert SurveyToken.objects.get(token=token).used_on is None
    done = client.post(url, data)
    assert done.status_code == 200 and "提交成功" in done.content.decode()
    again = client.get(url)
    assert again.status_code == 410 and "已经使用过" in again.content.decode()
    assert client.post(url, data).status_code == 410
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    survey.refresh_from_db()
    assert survey.response_count == 1
    unknown = client.get(reverse("surveys:answer", args=["nope-not-a-token"]))
    assert unknown.status_code == 404 and "链接无效" in unknown.content.decode()
    with pytest.raises(services.TokenUsed):
        services.submit(token, {i.pk: "satisfied" for i in items})


def test_closed_survey_is_refused(client, tree):
    today = timezone.localdate()
    past = make(tree["a"], start=today - dt.timedelta(days=10), end=today - dt.timedelta(days=1))
    future = make(tree["a"], start=today + dt.timedelta(days=1), end=today + dt.timedelta(days=3))
    for survey in (past, future):
        token = services.issue_tokens(survey, 1)[0].token
        page = client.get(reverse("surveys:answer", args=[token]))
        assert page.status_code == 403 and "不在开放时间内" in page.content.decode()
        with pytest.raises(services.SurveyClosed):
            services.submit(token, {i.pk: "satisfied" for i in survey.items.all()})
        assert SurveyToken.objects.get(token=token).used_on is None


def test_flood_is_refused_with_429(client, tree, monkeypatch):
    monkeypatch.setattr(views_public, "RATE_LIMIT", 3)
    url = reverse("surveys:answer", args=["unknown"])
    assert [client.get(url).status_code for _ in range(4)] == [404, 404, 404, 429]
    assert "请求过于频繁" in client.get(url).content.decode()


def test_anonymity_nothing_about_the_client_is_stored(client, tree):
    names = {f.name for model in (SurveyResponse, SurveyToken) for f in model._meta.get_fields()}
    assert not names & {"ip", "ip_address", "remote_addr", "user_agent", "user", "name", "token_ref"}
    assert "token" not in {f.name for f in SurveyResponse._meta.get_fields()}
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {"id", "survey", "submitted_on", "opinion",
                                                                      "problem"}
    # No time of day either: the token keeps the day it was used, the response the day.
    assert SurveyToken._meta.get_field("used_on").get_internal_type() == "DateField"
    assert SurveyResponse._meta.get_field("submitted_on").get_internal_type() == "DateField"
    from auditlog.models import LogEntry

    survey = make(tree["a"])
    token = services.issue_tokens(survey, 1)[0].token
    before = LogEntry.objects.count()
    items = list(survey.items.all())
    client.post(reverse("surveys:answer", args=[token]), {f"item-{i.pk}": "satisfied" for i in items},
                REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="PhoneBrowser/1.0")
    assert SurveyResponse.objects.count() == 1
    assert LogEntry.objects.count() == before  # the answer is not audited (the audit keeps addresses)
    assert not LogEntry.objects.filter(remote_addr="203.0.113.7").exists()


def test_results_arithmetic(tree):
    survey = make(tree["a"], items=("甲", "乙"))
    a, b = survey.items.all()
    plan = [("satisfied", "satisfied"), ("satisfied", "basically_satisfied"), ("basically_satisfied", "dissatisfied"),
            ("dissatisfied", "dissatisfied"), ("satisfied", "satisfied"), ("satisfied", "basically_satisfied")]
    for ra, rb in plan:
        token = services.issue_tokens(survey, 1)[0].token
        services.submit(token, {a.pk: ra, b.pk: rb})
    rows, overall = services.results(survey)
    assert [(r.item.text, r.satisfied, r.basically_satisfied, r.dissatisfied, r.total, r.rate) for r in rows] == [
        ("甲", 4, 1, 1, 6, 83.3), ("乙", 2, 2, 2, 6, 66.7)]
    assert (overall.satisfied, overall.basically_satisfied, overall.dissatisfied, overall.total, overall.rate) == (
        6, 3, 3, 12, 75.0)
    empty_rows, empty = services.results(make(tree["a"]))
    assert empty.rate is None and [r.total for r in empty_rows] == [0, 0]


def test_opinion_becomes_a_problem(tree):
    survey = make(tree["a"])
    response = answer_all(survey, opinion="窗口午间无人")
    problem = services.opinion_to_problem(response, actor=tree["secretary"])
    assert (problem.org, problem.source.name, problem.description) == (tree["a"], "群众满意度测评", "窗口午间无人")
    assert problem.source_record == response
    response.refresh_from_db()
    assert response.problem == problem
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.opinion_to_problem(response, actor=tree["secretary"])
    other = answer_all(make(tree["b"]), opinion="x")
    with pytest.raises(PermissionDenied):
        services.opinion_to_problem(other, actor=tree["secretary"])


def test_office_pages_are_scoped_and_list_queries_constant(client, tree):
    mine, theirs = make(tree["a"], title="甲支部测评"), make(tree["b"], title="乙支部测评")
    answer_all(theirs, opinion="乙的意见")
    client.force_login(tree["secretary"])
    url = reverse("surveys:survey_list")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    response = client.get(url)
    assert [s.title for s in response.context["table"].data] == ["甲支部测评"]
    small = count()
    for n in range(4):
        make(tree["a"], title=f"测评{n}")
    assert count() == small
    for name in ("surveys:survey_detail", "surveys:survey_tokens", "surveys:survey_results_export"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("surveys:survey_tokens_issue", args=[theirs.pk]), {"count": 3}).status_code == 404
    assert theirs.tokens.count() == 1
    assert client.get(reverse("surveys:survey_detail", args=[mine.pk])).status_code == 200
    client.post(reverse("surveys:survey_tokens_issue", args=[mine.pk]), {"count": 3})
    page = client.get(reverse("surveys:survey_tokens", args=[mine.pk]))
    assert len(page.context["cards"]) == 3 and page.content.decode().count('class="segno"') == 3


def test_excel_exports_and_api(client, tree):
    survey = make(tree["a"], items=("甲",))
    item = survey.items.get()
    for rating in ("satisfied", "basically_satisfied", "dissatisfied", "satisfied"):
        services.submit(services.issue_tokens(survey, 1)[0].token, {item.pk: rating})
    client.force_login(tree["office"])
    book = load_workbook(io.BytesIO(b"".join(client.get(reverse("surveys:survey_results_export",
                                                                 args=[survey.pk])).streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True) if r[1] in ("甲", "合计")]
    assert rows == [[1, "甲", 2, 1, 1, 4, 75.0], ["", "合计", 2, 1, 1, 4, 75.0]] or \
        [r[1:] for r in rows] == [["甲", 2, 1, 1, 4, 75.0], ["合计", 2, 1, 1, 4, 75.0]]
    ledger = load_workbook(io.BytesIO(b"".join(client.get(reverse("surveys:survey_export")).streaming_content)))
    data = [r for r in ledger.active.iter_rows(values_only=True) if r[2] == "满意度测评"]
    assert [r[5:] for r in data] == [(4, 2, 1, 1, 75.0)]
    created = client.post("/api/surveys/", {"org": tree["b"].pk, "title": "接口测评", "start": "2023-12-01",
                                            "end": "2023-12-31", "items": ["一", "二"]},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["items"] == ["一", "二"]


def test_a_survey_with_a_response_completes_4_2(tree, django_capture_on_commit_callbacks):
    campaign = Campaign.objects.create(org=tree["committee"], title="主题教育", status="published",
                                       start=D(2023, 9, 1), end=D(2024, 1, 31))
    item = PlanItem.objects.create(plan=Plan.objects.create(campaign=campaign), kind=ItemKind.TASK, ref="四.2",
                                   title="开展群众满意度测评", responsible=Responsible.COMMITTEE, evidence="survey")
    EvidenceRule.objects.create(item=item, record_kind="survey")
    assignment = Assignment.objects.create(item=item, org=tree["committee"], due=D(2024, 1, 31))
    plan_evidence.evaluate_campaign(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        survey = make(tree["committee"], start=D(2024, 1, 8), end=D(2024, 1, 19))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count) == ("pending", 0)  # nobody answered yet
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(survey, today=D(2024, 1, 9))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count, assignment.evidence_needed) == ("done", 1, 1)


def test_results_per_organization_on_the_list(client, tree):
    first, second = make(tree["a"], items=("甲",)), make(tree["a"], items=("甲", "乙"))
    answer_all(first, "satisfied")
    answer_all(second, "dissatisfied")
    answer_all(make(tree["b"]), "satisfied")
    make(tree["committee"])  # no answers yet
    client.force_login(tree["office"])
    rows = client.get(reverse("surveys:survey_list")).context["org_results"]
    assert [(r.item, r.surveys, r.responses, r.satisfied, r.basically_satisfied, r.dissatisfied, r.total, r.rate)
            for r in rows] == [("测试党委", 1, 0, 0, 0, 0, 0, None), ("第1党支部", 2, 2, 1, 0, 2, 3, 33.3),
                               ("第2党支部", 1, 1, 2, 0, 0, 2, 100.0)]
    client.force_login(tree["secretary"])
    page = client.get(reverse("surveys:survey_list"))
    assert [r.item for r in page.context["org_results"]] == ["第1党支部"]
    assert "各组织测评结果" in page.content.decode()


def test_a_token_batch_is_in_the_surveys_history(tree):
    from taizhang.core.models import Event

    survey = make(tree["a"])
    services.issue_tokens(survey, 3, actor=tree["office"])
    event = Event.objects.get(verb="issue_tokens", object_id=survey.pk)
    assert (event.comment, event.actor, event.org) == ("3", tree["office"], tree["a"])
