"""Issue 15 §1: the burden of a branch secretary's month and of an office's week, measured
in a headless browser (不增加基层负担, seed 四.3).

A secretary of 第1党支部 records October 2023 of the seed's task list as she would: the monthly
集中学习, the 三会一课 (支委会), the 主题党日, a 微党课 session, a member's suggestion answered,
a problem with its rectification measure and the measure's progress, and a submission for a
task no record proves. The committee office then works its week: the review queue, the
overdue (督办) view of the board, the board, and the board's Excel report.

For every activity the test prints the pages visited (page loads), forms submitted, fields
typed or chosen, and any fact typed a second time (the same text typed again anywhere in
the walk), and asserts the goals: one form per real activity, no proof uploads, no fact typed
twice, and no review action for work the records completed (none by default).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login
from taizhang.orgs.tests.factories import UserFactory, grant
from taizhang.plans import services as plans
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, EvidenceRule, Occurrence, PlanItem
from taizhang.records import services as records
from taizhang.records.models import Lecture, Meeting, StudySession, Suggestion
from taizhang.records.tests.factories import world
from taizhang.rectification.models import Problem, Rectification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-burden-1!"
OCTOBER = dt.date(2023, 10, 1)


@dataclass
class Activity:
    """What one activity cost."""

    name: str
    pages: int = 0
    forms: int = 0
    fields: int = 0
    uploads: int = 0
    twice: list[str] = field(default_factory=list)


class Burden:
    """Drives a Playwright page and counts, per activity, page loads, forms submitted,
    fields filled and facts typed twice."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.activities: list[Activity] = []
        self.typed: dict[str, str] = {}  # text → the activity that typed it first
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame == self.page.main_frame and self.activities:
            self.activities[-1].pages += 1

    def start(self, name: str) -> Activity:
        self.activities.append(Activity(name))
        return self.activities[-1]

    def open(self, path: str):
        """Open a page as from the menu or a bookmark."""
        self.page.goto(self.base + path)

    def click(self, selector: str):
        """Follow a link (one page)."""
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()

    def type(self, selector: str, text: str):
        """Type ``text`` into a field; a text typed before in the walk is a fact typed twice."""
        now = self.activities[-1]
        if text in self.typed:
            now.twice.append(f"{text}（{self.typed[text]}）")
        else:
            self.typed[text] = now.name
        self.page.fill(selector, text)
        now.fields += 1

    def choose(self, selector: str, **option):
        self.page.select_option(selector, **option)
        self.activities[-1].fields += 1

    def tick(self, selector: str):
        self.page.locator(selector).first.check()
        self.activities[-1].fields += 1

    def submit(self, selector: str):
        self.activities[-1].forms += 1
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()

    def table(self) -> str:
        lines = [f"{'活动':<16}{'页面':>4}{'表单':>4}{'填写':>4}{'上传':>4}  重复录入"]
        for a in self.activities:
            lines.append(f"{a.name:<16}{a.pages:>4}{a.forms:>4}{a.fields:>4}{a.uploads:>4}  "
                         f"{'、'.join(a.twice) or '—'}")
        total = Activity("合计", *(sum(getattr(a, k) for a in self.activities)
                                  for k in ("pages", "forms", "fields", "uploads")))
        lines.append(f"{total.name:<16}{total.pages:>4}{total.forms:>4}{total.fields:>4}{total.uploads:>4}")
        return "\n".join(lines)


def _login(page, base, username):
    browser_login(page, base, username, PASSWORD)


def _setup(seed_file):
    from taizhang.rectification.models import DEFAULT_SOURCES
    from taizhang.rectification.services import source_named

    for name in DEFAULT_SOURCES:  # migration rows: gone after an earlier transactional test's flush
        source_named(name, create=True)
    w = world(branches=2, members=9)
    branch = w["branches"][0]
    people = w["members"][branch.code]
    campaign = plans.save_draft(plans.draft_to_dict(parse_file(seed_file)), w["committee"])
    plans.publish_plan(campaign)
    # 三.4 (立足岗位作贡献) is answered by a submission: no record kind proves it.
    plans.set_rules(PlanItem.objects.get(plan=campaign.plan, ref="三.4"), [])
    secretary = UserFactory(username="zhibu1", password=PASSWORD)
    grant(secretary, branch, "branch_secretary")
    office = UserFactory(username="dangwei", password=PASSWORD)
    grant(office, w["committee"], "committee_staff")
    suggestion = records.create_record(Suggestion, org=branch, date=dt.date(2023, 10, 9), member=people[5],
                                       content="建议把主题党日与业务培训结合起来")
    return {"campaign": campaign, "branch": branch, "people": people, "suggestion": suggestion}


def _row_link(assignment, label):
    occ = Occurrence.objects.get(assignment=assignment, period_start=OCTOBER)
    return f"#target-occurrence-{occ.pk} a:has-text('登记{label}')", occ


def test_a_secretarys_month_and_an_offices_week(browser, live_server, seed_file, capsys):
    data = _setup(seed_file)
    branch, campaign, people = data["branch"], data["campaign"], data["people"]
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    _login(page, base, "zhibu1")
    walk = Burden(page, base)

    # ---- the secretary's month -------------------------------------------------------------
    study = Assignment.objects.get(item__plan=campaign.plan, item__ref="三.2（3）", org=branch)
    walk.start("月度集中学习")
    walk.open(study.get_absolute_url())
    link, october = _row_link(study, "集中学习")
    walk.click(link)
    assert page.input_value("#id_date") == "2023-10-31"  # inside October, not today
    walk.type("#id_topic", "学习贯彻习近平新时代中国特色社会主义思想主题教育十月专题")
    walk.submit("#save")
    october.refresh_from_db()
    assert october.status == "done" and StudySession.objects.filter(org=branch).count() == 1

    walk.start("三会一课·支委会")
    walk.open(f"/compliance/calendar/{branch.pk}/?year=2023")
    walk.click("#calendar tr[data-rule='C05'] td[data-period='2023-10'] a.record-btn")
    assert page.input_value("#id_kind") == "branch_committee_meeting"
    assert page.input_value("#id_date") == "2023-10-31"
    walk.type("#id_title", "十月支委会：研究主题教育推进安排")
    walk.submit("#save")
    assert Meeting.objects.filter(org=branch, kind="branch_committee_meeting").count() == 1

    walk.start("主题党日")
    walk.open(f"/compliance/calendar/{branch.pk}/?year=2023")
    walk.click("#calendar tr[data-rule='C09'] td[data-period='2023-10'] a.record-btn")
    assert page.input_value("#id_kind") == "theme_party_day"
    walk.type("#id_title", "十月主题党日：重温入党誓词")
    walk.submit("#save")
    assert Meeting.objects.filter(org=branch, kind="theme_party_day").count() == 1

    rule = EvidenceRule.objects.filter(item__plan=campaign.plan, record_kind="micro_lecture").first()
    lecture_task = Assignment.objects.get(item=rule.item, org=branch)
    walk.start("微党课")
    walk.open(lecture_task.get_absolute_url())
    walk.click("a:has-text('登记微党课')")
    assert page.input_value("#id_kind") == "micro_lecture"
    walk.type("#id_title", "身边的榜样：老党员的三十年坚守")
    walk.choose("#id_speaker", value=str(people[3].pk))
    walk.submit("#save")
    assert Lecture.objects.get(org=branch).kind == "micro_lecture"

    walk.start("答复意见建议")
    walk.open(data["suggestion"].get_absolute_url())
    walk.type("textarea[name=reply]", "已纳入十一月主题党日安排，结合业务培训开展")
    walk.submit("form[action$='/answer/'] button")
    assert Suggestion.objects.get().status == "answered"

    walk.start("登记问题")  # found in the suggestion: raised from its page, nothing retyped
    walk.click("#raise-problem")
    assert page.input_value("#id_description") == "建议把主题党日与业务培训结合起来"
    walk.submit("#save")
    problem = Problem.objects.get()
    assert (problem.org, problem.source.name) == (branch, "建言献策")

    walk.start("制定整改措施")
    walk.click("#add-measure")
    walk.type("#id_measure", "每季度安排一次结合业务的主题党日")
    walk.type("#id_deadline", "2023-12-31")
    walk.type("#id_leader_name", people[0].name)
    walk.submit("#save")
    measure = Rectification.objects.get(problem=problem)

    walk.start("填报整改进展")
    walk.open(measure.get_absolute_url())
    walk.type("#update-form textarea", "十一月主题党日已与业务培训结合开展")
    walk.submit("#add-update")
    assert measure.updates.count() == 1

    submission_task = Assignment.objects.get(item__plan=campaign.plan, item__ref="三.4", org=branch)
    walk.start("报送立足岗位作贡献")
    walk.open(submission_task.get_absolute_url())
    walk.type("#targets textarea[name=text]", "设立党员示范岗3个，组建志愿服务队1支")
    walk.submit("#targets form[action*='/submit/'] button[type=submit]")
    submission_task.refresh_from_db()
    assert submission_task.status == "submitted"
    page.screenshot(path=str(ARTIFACTS / "burden-secretary-task.png"), full_page=True)

    # ---- the office's week -----------------------------------------------------------------
    page.context.clear_cookies()
    page.remove_listener("framenavigated", walk._navigated)  # signing in is no activity
    _login(page, base, "dangwei")
    page.on("framenavigated", walk._navigated)
    walk.start("审核把关")
    walk.open("/plans/review/")
    rows = page.locator("#review-queue tbody tr[data-status]")
    assert rows.count() == 1  # the submission only: the records completed their tasks
    assert "设立党员示范岗3个" in page.locator("#review-queue").inner_text()
    page.screenshot(path=str(ARTIFACTS / "burden-review-queue.png"), full_page=True)
    walk.tick("input.review-pick")
    walk.submit("#bulk-approve")
    submission_task.refresh_from_db()
    assert (submission_task.status, submission_task.reviewed) == ("done", True)
    review_actions_for_records = 0

    walk.start("督办逾期")
    walk.open(f"/plans/{campaign.pk}/board/")
    walk.choose("#f-status", value="overdue")
    walk.submit("#board-filters button[type=submit]")
    assert page.locator("#board tbody tr").count() >= 1

    walk.start("进度看板")
    walk.open(f"/plans/{campaign.pk}/board/")
    page.screenshot(path=str(ARTIFACTS / "burden-board.png"), full_page=True)

    walk.start("导出报表")
    walk.open(f"/plans/{campaign.pk}/board/")
    with page.expect_download() as download:
        page.click("#board-export")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.remove_listener("framenavigated", walk._navigated)  # the walk ends here

    # ---- a fresh look at the main pages: no English on Chinese pages, no raw values -------
    pages = {
        "home": "/", "campaign": campaign.get_absolute_url(), "board": f"/plans/{campaign.pk}/board/",
        "task": study.get_absolute_url(), "review": "/plans/review/", "compliance": "/compliance/?period=2023-Q4",
        "rules": "/compliance/rules/", "ledger": "/rectification/", "problem": problem.get_absolute_url(),
        "measure": measure.get_absolute_url(), "meetings": "/records/meeting/",
        "suggestion": data["suggestion"].get_absolute_url(), "members": "/orgs/members/",
        "notices": "/notify/",
    }
    allowed = {"English", "dangwei", "zhibu1", "API", "Excel", "Word", "CSV", "ZB01", "ZB02", "DW"}
    english = {}
    for name, path in pages.items():
        page.goto(base + path)
        page.screenshot(path=str(ARTIFACTS / f"burden-page-{name}.png"), full_page=True)
        text = page.locator("body").inner_text()
        words = {w for w in re.findall(r"[A-Za-z]{3,}[A-Za-z0-9_]*", text) if w not in allowed}
        raw = [v for v in ("None", "True", "False", "null") if re.search(rf"\b{v}\b", text)]
        raw += ["---------"] * bool(page.locator("option", has_text="---------").count())
        if words or raw:
            english[name] = sorted(words | set(raw))
    page.close()
    assert english == {}, english

    table = walk.table()
    with capsys.disabled():
        print("\n" + table)
    (ARTIFACTS / "burden.txt").write_text(table + "\n", encoding="utf-8")

    real = [a for a in walk.activities if a.forms]
    assert all(a.forms == 1 for a in real), "one form per real activity"
    assert sum(a.uploads for a in walk.activities) == 0, "no proof uploads"
    assert [t for a in walk.activities for t in a.twice] == [], "no fact typed twice"
    assert review_actions_for_records == 0
    assert all(a.pages <= 3 for a in walk.activities), "at most three pages an activity"
    assert re.search(r"合计", table)
