"""A unit committee under a city committee (the superior), with a branch, a 4-person
leadership team and the users of the democratic app's tests."""

import pytest

from taizhang.orgs.models import LeadershipMember, LeadershipTeam
from taizhang.orgs.tests.factories import BranchFactory, CommitteeFactory, MemberFactory, UserFactory, grant


@pytest.fixture
def unit(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded Word files stay in the test's directory
    city = CommitteeFactory(name="市委", code="SW")
    committee = CommitteeFactory(parent=city, name="某局党委", code="DW")
    branch = BranchFactory(parent=committee, name="办公室党支部", code="ZB01")
    other = BranchFactory(parent=committee, name="业务处党支部", code="ZB02")
    names = ["甲书记", "乙副书记", "丙委员", "丁委员"]
    people = [MemberFactory(org=branch, name=n) for n in names]
    team = LeadershipTeam.objects.create(org=committee, name="某局党委领导班子")
    leaders = [LeadershipMember.objects.create(team=team, member=m, title="书记" if i == 0 else "委员", order=i)
               for i, m in enumerate(people)]
    head = MemberFactory(org=other, name="戊处长")
    office, superior, secretary = UserFactory(username="office"), UserFactory(username="city"), UserFactory(username="sec2")
    grant(office, committee, "committee_staff")
    grant(superior, city, "committee_staff")
    grant(secretary, other, "branch_secretary")
    return {"city": city, "committee": committee, "branch": branch, "other": other, "team": team,
            "leaders": leaders, "people": people, "head": head, "office": office, "superior": superior,
            "secretary": secretary}
