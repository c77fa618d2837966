import pytest

from taizhang.core.scoping import CHANGE, MANAGE, VIEW, can, scope_paths
from taizhang.orgs.models import Member, Organization
from taizhang.orgs.tests.factories import MemberFactory, UserFactory, build_tree, grant
from taizhang.plans.models import Campaign


@pytest.fixture
def tree(db):
    return build_tree(branches=2, groups=1)


def test_roles_give_subtrees_and_nested_paths_collapse(tree):
    committee, (a, _b) = tree["committee"], tree["branches"]
    user = UserFactory()
    grant(user, a, "branch_secretary")
    grant(user, tree["groups"]["ZB01"][0], "member")
    assert scope_paths(user, VIEW) == [a.path]
    grant(user, committee, "inspector")
    assert scope_paths(user, VIEW) == [committee.path]
    # Inspectors read; they never change or manage.
    assert scope_paths(user, CHANGE) == [a.path]
    assert scope_paths(user, MANAGE) == []


def test_visible_to_filters_by_subtree(tree):
    a, b = tree["branches"]
    MemberFactory(org=a, name="甲")
    MemberFactory(org=b, name="乙")
    user = UserFactory()
    grant(user, a, "branch_secretary")
    assert list(Member.objects.visible_to(user).values_list("name", flat=True)) == ["甲"]
    assert list(Organization.objects.visible_to(user)) == [a, tree["groups"]["ZB01"][0]]
    assert can(user, CHANGE, a) and not can(user, CHANGE, b)


def test_superior_objects_are_read_below_but_not_changed(tree):
    committee, (a, b) = tree["committee"], tree["branches"]
    campaign = Campaign.objects.create(org=committee, title="主题教育", status="published")
    draft = Campaign.objects.create(org=committee, title="未发布的草稿")
    own = Campaign.objects.create(org=a, title="支部自己的")
    other = Campaign.objects.create(org=b, title="别的支部的")
    user = UserFactory()
    grant(user, a, "branch_secretary")
    assert set(Campaign.objects.visible_to(user)) == {campaign, own}
    assert set(Campaign.objects.restrict(user, CHANGE)) == {own}
    assert other not in Campaign.objects.visible_to(user)
    assert draft not in Campaign.objects.visible_to(user)  # a draft is the committee's own


def test_anonymous_inactive_and_roleless_users_see_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    MemberFactory(org=tree["branches"][0])
    assert not Member.objects.visible_to(AnonymousUser()).exists()
    roleless = UserFactory()
    assert not Member.objects.visible_to(roleless).exists()
    inactive = UserFactory(is_active=False)
    grant(inactive, tree["committee"], "committee_admin")
    assert not Member.objects.visible_to(inactive).exists()
    admin = UserFactory(is_superuser=True)
    assert Member.objects.visible_to(admin).count() == 1
