"""The 民主生活会 情况报告 (``dlm-report``): its figures against direct counts, in Word, in the
PDF's text, through the command and the page, scoped to the user."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from taizhang.core.office import docx_to_pdf, require_libreoffice
from taizhang.core.testing import build_world
from taizhang.democratic.models import LifeMeeting, Opinion, SelfExamination, Statement
from taizhang.democratic.preparation import talk_matrix, window_of
from taizhang.rectification.models import Problem, Rectification
from taizhang.reports.builders.dlm import build, items
from taizhang.reports.generate import generate
from taizhang.reports.kinds import get_kind
from taizhang.reports.params import NotVisible, ParamError, resolve

from .conftest import pdf_text, screenshot_page_one

KIND = "dlm-report"


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _context(lm):
    return build(resolve(get_kind(KIND), {"meeting": lm.pk}))


def test_figures_are_direct_counts_of_the_sample_meeting(sample, django_assert_max_num_queries):
    lm = LifeMeeting.objects.get()
    ct = ContentType.objects.get_for_model(LifeMeeting)
    opinions = Opinion.objects.filter(team=lm.team, year=lm.year)
    problems = Problem.objects.filter(source_content_type=ct, source_object_id=lm.pk)
    attendance = lm.meeting.attendance
    with django_assert_max_num_queries(20):
        c = _context(lm)

    assert c["opinions"]["total"] == opinions.count() == 8
    assert c["opinions"]["answered"] == opinions.exclude(answer="").count() == 7
    assert c["opinions"]["to_team"] == opinions.filter(addressee=None).count() == 4
    assert c["opinions"]["to_members"] == 4
    assert {ch["label"]: ch["count"] for ch in c["channels"]} == {"座谈会": 2, "问卷": 2, "个别访谈": 2, "书面": 2}
    assert sum(g["count"] for g in c["givers"]) == 8
    assert {g["name"]: g["count"] for g in c["givers"]}["基层党支部书记座谈会"] == 2
    matrix = talk_matrix(lm.team, *window_of(lm))
    assert (c["talks"]["covered"], c["talks"]["needed"]) == (matrix.covered, matrix.needed)
    assert c["talks"]["covered"] == c["talks"]["needed"] > 0 and c["talks"]["rate"] == "100.0%"
    n_leaders = lm.team.members.count()
    assert c["exams"] == {"approved": SelfExamination.objects.filter(team=lm.team, year=lm.year,
                                                                     status="approved").count(),
                          "needed": n_leaders + 1, "complete": "是", "missing": "无"}
    assert c["exams"]["approved"] == n_leaders + 1
    assert c["attendance"]["expected"] == attendance.count() == n_leaders
    assert c["attendance"]["present"] == attendance.filter(status="present").count() == n_leaders - 1
    absent = attendance.exclude(status="present").select_related("member").get()
    assert c["absentees"] == [{"name": absent.member.name, "status": "请假", "reason": "因公出差"}]
    assert c["meeting"]["observers"] == "上级第三督导组 两名同志" and c["meeting"]["report_days"] == 10
    statements = Statement.objects.filter(life_meeting=lm)
    assert c["criticism"]["speakers"] == statements.exclude(self_criticism="").count() == n_leaders - 1
    assert c["criticism"]["received"] == sum(items(s.criticism_received) for s in statements) == n_leaders - 1
    assert [m["name"] for m in c["members"]][-1] == absent.member.name and c["members"][-1]["spoke"] == "否"
    assert c["problem_count"] == problems.count() == 2
    assert c["measure_total"] == Rectification.objects.filter(problem__in=problems).count()


def test_measures_of_a_raised_problem_are_in_the_report(sample):
    from taizhang.rectification import services as rect

    lm = LifeMeeting.objects.get()
    problem = Problem.objects.filter(source_object_id=lm.pk, source_content_type=ContentType.objects.get_for_model(
        LifeMeeting)).order_by("number").first()
    import datetime as dt

    rect.add_measure(problem, measure="每季度到联系支部指导一次", person="王五", deadline=dt.date(2030, 6, 30))
    c = _context(lm)
    first = c["problems"][0]
    assert first["measure_count"] == 1 and first["measures"][0]["person"] == "王五"
    assert c["measure_total"] == 1


def test_word_and_pdf_hold_the_figures(sample, tmp_path):
    require_libreoffice()
    lm = LifeMeeting.objects.get()
    params = resolve(get_kind(KIND), {"meeting": lm.pk})
    c = build(params)
    name, content = generate(get_kind(KIND), params, "docx")
    assert name == f"民主生活会情况报告-{lm.org.name}-2023年度.docx"
    text = _docx_text(content)
    assert "{{" not in text and "因公出差" in text and lm.title in text
    words = "".join(pdf_text(docx_to_pdf(content), tmp_path).split())
    assert f"共征求意见建议{c['opinions']['total']}条" in words
    assert f"应谈{c['talks']['needed']}对，已谈{c['talks']['covered']}对" in words
    assert f"会前审核通过{c['exams']['approved']}份" in words
    assert f"应到人数{c['attendance']['expected']}" in words and f"实到人数{c['attendance']['present']}" in words
    assert f"会上查摆问题{c['problem_count']}个" in words and "班子成员深入联系支部指导不够经常" in words
    assert "会后10日" in words
    _name, pdf = generate(get_kind(KIND), params, "pdf")
    assert screenshot_page_one(pdf, "dlm-report", tmp_path).exists()


def test_command_takes_the_life_meetings_id(sample, tmp_path):
    lm = LifeMeeting.objects.get()
    out = tmp_path / "dlm.docx"
    call_command("report", KIND, "--meeting", str(lm.pk), "-o", str(out), stdout=io.StringIO())
    assert "因公出差" in _docx_text(out.read_bytes())
    with pytest.raises(CommandError, match="找不到编号为 999999 的民主生活会"):
        call_command("report", KIND, "--meeting", "999999", "-o", str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="请指定民主生活会"):
        call_command("report", KIND, "-o", str(out), stdout=io.StringIO())


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_page_previews_downloads_and_is_scoped(client, world):
    from taizhang.democratic.testing import sample_life_meeting

    lm = sample_life_meeting(world.branch_b, world.member_b, "乙支部专题民主生活会")
    client.force_login(world.secretary_b)
    page = client.get(reverse("reports:report", args=[KIND]), {"life_meeting": lm.pk})
    assert page.status_code == 200 and 'id="dlm-attendance"' in page.content.decode()
    response = client.get(reverse("reports:download", args=[KIND, "docx"]), {"life_meeting": lm.pk})
    assert response.status_code == 200 and "乙支部专题民主生活会" in _docx_text(response.content)
    # Branch A's secretary: the meeting is not offered, its download is a 404.
    client.force_login(world.secretary_a)
    assert client.get(reverse("reports:download", args=[KIND, "docx"]), {"life_meeting": lm.pk}).status_code == 404
    assert "乙支部专题民主生活会" not in client.get(reverse("reports:report", args=[KIND])).content.decode()
    with pytest.raises(NotVisible):
        resolve(get_kind(KIND), {"meeting": lm.pk}, world.secretary_a)
    with pytest.raises(ParamError):
        resolve(get_kind(KIND), {"meeting": "x"}, world.secretary_a)
