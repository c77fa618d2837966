"""The sample data shows every kind of the app, and each sample branch's 三.4 is complete."""

from decimal import Decimal

from django.db.models import Sum

from taizhang.orgs.models import Organization, OrgKind
from taizhang.orgs.sample import create_sample_orgs
from taizhang.volunteering.exports import member_hours
from taizhang.volunteering.models import CommunityRegistration, ModelPost, VolunteerActivity
from taizhang.volunteering.sample import load_sample_volunteering


def test_sample_volunteering(db):
    committee = create_sample_orgs()["committee"]
    line = load_sample_volunteering(committee)
    assert line == "党员示范岗 9 个、志愿服务活动 24 次（共 316 小时）、进社区报到 28 人"
    branches = Organization.objects.filter(kind=OrgKind.BRANCH)
    for branch in branches:
        assert ModelPost.objects.filter(org=branch).exists()
        assert VolunteerActivity.objects.filter(org=branch).count() == 4
    assert CommunityRegistration.objects.count() == 28
    rows = member_hours(VolunteerActivity.objects.all())
    assert sum(r["hours"] for r in rows) == Decimal("316")
    assert VolunteerActivity.objects.aggregate(total=Sum("hours"))["total"] > 0
