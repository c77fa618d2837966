"""The evaluation app: service rules, pages, Excel ledger, API and sample data."""

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.evaluation import services
from taizhang.evaluation.models import Appraisal, Grade
from taizhang.orgs.models import MemberStatus
from taizhang.orgs.tests.factories import BranchFactory, CommitteeFactory, MemberFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 12, 20)


@pytest.fixture
def tree():
    committee = CommitteeFactory(code="EDW")
    a = BranchFactory(parent=committee, code="EA", name="甲党支部")
    b = BranchFactory(parent=committee, code="EB", name="乙党支部")
    secretary = UserFactory(username="sec_ea")
    grant(secretary, a, "branch_secretary")
    return {"committee": committee, "a": a, "b": b, "secretary": secretary,
            "full": MemberFactory(org=a, name="张三"),
            "probationary": MemberFactory(org=a, name="李四", status=MemberStatus.PROBATIONARY),
            "other": MemberFactory(org=b, name="王五")}


def rate(org, member, grade=Grade.QUALIFIED, year=2023, **kw):
    return services.create_appraisal(org=org, member=member, year=year, grade=grade, rated_on=DAY, **kw)


def test_a_probationary_member_cannot_be_rated_excellent(tree):
    with pytest.raises(ValidationError) as exc:
        rate(tree["a"], tree["probationary"], Grade.EXCELLENT)
    assert exc.value.message_dict == {"grade": ["预备党员不能评为优秀"]}
    assert not Appraisal.objects.exists()
    assert rate(tree["a"], tree["probationary"], Grade.QUALIFIED).grade == "qualified"


def test_the_member_must_belong_to_the_org_and_is_rated_once_a_year(tree):
    with pytest.raises(ValidationError) as exc:
        rate(tree["a"], tree["other"])
    assert exc.value.message_dict == {"member": ["该党员不属于所选组织"]}
    rate(tree["a"], tree["full"])
    with pytest.raises(ValidationError):
        rate(tree["a"], tree["full"], Grade.EXCELLENT)
    rate(tree["a"], tree["full"], year=2024)
    assert Appraisal.objects.count() == 2


def test_update_is_validated_and_audited(tree):
    appraisal = rate(tree["a"], tree["probationary"], Grade.BASICALLY_QUALIFIED)
    with pytest.raises(ValidationError):
        services.update_appraisal(appraisal, grade=Grade.EXCELLENT)
    appraisal.refresh_from_db()
    assert appraisal.grade == Grade.BASICALLY_QUALIFIED
    services.update_appraisal(appraisal, actor=tree["secretary"], follow_up="  已结对帮助  ")
    appraisal.refresh_from_db()
    assert appraisal.follow_up == "已结对帮助"
    entry = LogEntry.objects.get_for_object(appraisal).latest("timestamp")
    assert entry.actor == tree["secretary"]


def test_list_filters_and_constant_queries(client, tree):
    client.force_login(tree["secretary"])
    rate(tree["a"], tree["full"], Grade.EXCELLENT)
    rate(tree["b"], tree["other"])
    url = reverse("evaluation:appraisal_list")
    response = client.get(url)
    assert response.status_code == 200
    assert [a.member.name for a in response.context["table"].data] == ["张三"]
    assert "王五" not in response.content.decode()
    assert list(client.get(url, {"grade": "qualified"}).context["table"].data) == []
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(5):
        rate(tree["a"], MemberFactory(org=tree["a"], name=f"党员{i}"))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["table"].data) == 6
    assert len(small.captured_queries) == len(large.captured_queries)


def test_add_and_edit_through_the_form(client, tree):
    client.force_login(tree["secretary"])
    data = {"org": tree["a"].pk, "member": tree["probationary"].pk, "year": 2023, "grade": "excellent",
            "rated_on": "2023-12-20", "follow_up": ""}
    response = client.post(reverse("evaluation:appraisal_add"), data)
    assert response.status_code == 200 and "预备党员不能评为优秀" in response.content.decode()
    data["grade"] = "qualified"
    response = client.post(reverse("evaluation:appraisal_add"), data)
    appraisal = Appraisal.objects.get()
    assert response.status_code == 302 and response.url == reverse("evaluation:appraisal_detail", args=[appraisal.pk])
    assert "合格" in client.get(response.url).content.decode()
    data.update(grade="unqualified", follow_up="限期改正",
                _loaded_at=appraisal.updated_at.isoformat(timespec="microseconds"))  # the version read
    response = client.post(reverse("evaluation:appraisal_edit", args=[appraisal.pk]), data)
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert (appraisal.grade, appraisal.follow_up) == ("unqualified", "限期改正")


def test_excel_ledger(client, tree):
    client.force_login(tree["secretary"])
    rate(tree["a"], tree["probationary"], Grade.BASICALLY_QUALIFIED, follow_up="=结对帮助")
    rate(tree["b"], tree["other"])
    response = client.get(reverse("evaluation:appraisal_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("党支部", "姓名", "党员类型", "年度", "评议等次", "评定日期", "后续措施")
    assert rows[1:] == [("甲党支部", "李四", "预备党员", 2023, "基本合格", dt.datetime(2023, 12, 20), "=结对帮助")]
    follow_up = sheet["G2"]  # shown as typed, but text: never run as a formula
    assert (follow_up.data_type, follow_up.quotePrefix) == ("s", True)


def test_api_is_scoped_and_uses_the_service(client, tree):
    client.force_login(tree["secretary"])
    hidden = rate(tree["b"], tree["other"])
    url = reverse("appraisal-list")
    listed = client.get(url).json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    assert client.get(reverse("appraisal-detail", args=[hidden.pk])).status_code == 404
    payload = {"org": tree["a"].pk, "member": tree["probationary"].pk, "year": 2023, "grade": "excellent",
               "rated_on": "2023-12-20"}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"grade": ["预备党员不能评为优秀"]}
    response = client.post(url, {**payload, "org": tree["b"].pk, "member": tree["other"].pk, "year": 2024},
                           content_type="application/json")
    assert response.status_code == 403
    response = client.post(url, {**payload, "grade": "qualified"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["member_name"] == "李四"
    assert Appraisal.objects.filter(org=tree["a"]).count() == 1


def test_sample_appraisals(db):
    from taizhang.evaluation.sample import load_sample_appraisals
    from taizhang.orgs.sample import create_sample_orgs

    orgs = create_sample_orgs()
    summary = load_sample_appraisals(orgs["committee"])
    assert summary == ("2023年度民主评议 78 人：优秀 13、合格 64、基本合格 1、不合格 0；"
                       "ZB04 有 2 名党员未评（故意留缺，供合规检查第12项）")
    basic = Appraisal.objects.get(grade=Grade.BASICALLY_QUALIFIED)
    assert basic.org.code == "ZB02" and basic.follow_up
    assert not Appraisal.objects.filter(grade=Grade.EXCELLENT, member__status=MemberStatus.PROBATIONARY).exists()
