"""Services of the volunteering app: the rules, the audit trail, the evidence announcement."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from taizhang.core.sources import evidence_changed
from taizhang.orgs.tests.factories import MemberFactory
from taizhang.volunteering import services
from taizhang.volunteering.models import CommunityRegistration, ModelPost, VolunteerActivity

D = dt.date


def activity(org, people, **kw):
    fields = {"team": "党员志愿服务队", "date": D(2023, 10, 14), "place": "幸福社区", "hours": Decimal("2.5"),
              "content": "清理楼道、慰问孤寡老人"}
    fields.update(kw)
    return services.create_activity(org=org, participants=people, **fields)


def errors_of(exc_info):
    return exc_info.value.message_dict


def test_an_activity_keeps_its_participants_and_hours(branch, members, secretary):
    saved = activity(branch, members[:2], actor=secretary)
    saved.refresh_from_db()
    assert sorted(m.name for m in saved.participants.all()) == ["张一", "李二"]
    assert saved.hours == Decimal("2.5")
    entry = LogEntry.objects.get_for_object(saved).first()
    assert entry.actor == secretary


def test_participants_must_belong_to_the_organization_subtree(tree, branch, members, outsider):
    with pytest.raises(ValidationError) as exc:
        activity(branch, [members[0], outsider])
    assert errors_of(exc) == {"participants": ["以下党员不属于本组织：赵外"]}
    assert not VolunteerActivity.objects.exists()
    # The committee's activity may take members of every branch below it.
    saved = activity(tree["committee"], [members[0], outsider])
    assert saved.participants.count() == 2
    # A Party group's activity: the members of that group.
    group = tree["groups"][branch.code][0]
    in_group = MemberFactory(org=branch, group=group, name="组员")
    assert activity(group, [in_group]).participants.get() == in_group
    with pytest.raises(ValidationError):
        activity(group, [members[0]])


def test_an_activity_needs_participants_and_positive_hours(branch, members):
    with pytest.raises(ValidationError) as exc:
        activity(branch, [])
    assert errors_of(exc) == {"participants": ["请选择参加活动的党员。"]}
    for hours, field in ((Decimal("0"), "hours"), (Decimal("-1"), "hours"), (Decimal("24.5"), "hours")):
        with pytest.raises(ValidationError) as exc:
            activity(branch, members, hours=hours)
        assert list(errors_of(exc)) == [field]
    assert activity(branch, members, hours=Decimal("0.5")).hours == Decimal("0.5")


def test_no_future_dates(branch, members):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        activity(branch, members, date=tomorrow)
    assert errors_of(exc) == {"date": ["不能登记尚未发生的工作（日期晚于今天）。"]}
    with pytest.raises(ValidationError):
        services.create_post(org=branch, name="窗口服务示范岗", member=members[0], start=tomorrow)


def test_a_post_period_ends_after_it_starts(branch, members, outsider):
    with pytest.raises(ValidationError) as exc:
        services.create_post(org=branch, name="窗口服务示范岗", member=members[0],
                             start=D(2023, 10, 1), end=D(2023, 9, 30))
    assert errors_of(exc) == {"end": ["截止日期不能早于设岗日期。"]}
    with pytest.raises(ValidationError) as exc:
        services.create_post(org=branch, name="窗口服务示范岗", member=outsider, start=D(2023, 10, 1))
    assert errors_of(exc) == {"member": ["该党员不属于本组织。"]}
    post = services.create_post(org=branch, name="窗口服务示范岗", member=members[0], commitment="微笑服务",
                                start=D(2023, 10, 1), end=D(2023, 10, 1))
    assert ModelPost.objects.get() == post


def test_a_member_registers_with_a_community_once(branch, members):
    services.create_registration(org=branch, member=members[0], community="幸福社区",
                                 registered_on=D(2023, 9, 20), commitment="每月参加一次社区服务")
    with pytest.raises(ValidationError) as exc:
        services.create_registration(org=branch, member=members[0], community=" 幸福社区 ",
                                     registered_on=D(2023, 9, 21))
    assert errors_of(exc) == {"community": ["该党员已在此社区报到。"]}
    services.create_registration(org=branch, member=members[0], community="和平社区", registered_on=D(2023, 9, 21))
    assert CommunityRegistration.objects.count() == 2


def test_writes_announce_old_and_new_org_and_date(branch, other_branch, members, outsider,
                                                  django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, action, org_ids, dates, **kw):
        seen.append((sender.__name__, action, org_ids, dates))

    evidence_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post = services.create_post(org=branch, name="党员先锋岗", member=members[0], start=D(2023, 10, 1))
        with django_capture_on_commit_callbacks(execute=True):
            post.org, post.member, post.start = other_branch, outsider, D(2023, 11, 2)
            services.save_post(post)
        with django_capture_on_commit_callbacks(execute=True):
            services.delete_record(post)
        with django_capture_on_commit_callbacks(execute=True):
            try:
                activity(branch, [outsider])  # refused: nothing announced
            except ValidationError:
                pass
    finally:
        evidence_changed.disconnect(receiver)
    assert seen == [
        ("ModelPost", "create", {branch.pk}, {D(2023, 10, 1)}),
        ("ModelPost", "update", {branch.pk, other_branch.pk}, {D(2023, 10, 1), D(2023, 11, 2)}),
        ("ModelPost", "delete", {other_branch.pk}, {D(2023, 11, 2)}),
    ]


def test_participants_change_is_audited(branch, members, secretary):
    saved = activity(branch, members[:1], actor=secretary)
    services.save_activity(saved, actor=secretary, participants=members)
    entries = LogEntry.objects.get_for_object(saved)
    assert any("participants" in (e.changes_dict or {}) for e in entries)
    # Editing other fields without participants keeps them.
    saved.place = "和平社区"
    services.save_activity(saved, actor=secretary)
    assert saved.participants.count() == 3
