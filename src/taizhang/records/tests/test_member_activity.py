"""The members' activity months (``MemberActivity``, read by the regulations' check 20; issue
14) stay equal to the attendance rows through every writer: recording, editing the list,
moving a record to another date, deleting it, a QR sign-in, a study session."""

import datetime as dt

import pytest

from taizhang.orgs.tests.factories import UserFactory

from .. import activity, services
from ..models import MeetingKind, MemberActivity
from .factories import meeting

pytestmark = pytest.mark.django_db


def stored() -> dict:
    return {(r.member_id, r.month): (r.first, r.last) for r in MemberActivity.objects.all()}


def test_the_stored_months_equal_the_live_ones_after_edits_and_deletes(rworld):
    branch = rworld["branches"][0]
    a, b, c, d = rworld["members"][branch.code][:4]
    oct12, oct20 = dt.date(2023, 10, 12), dt.date(2023, 10, 20)
    m1 = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, oct12,
                 attendance=[{"member": a}, {"member": b, "status": "leave", "reason": "出差"},
                             {"member": c, "status": "absent"}])
    m2 = meeting(branch, MeetingKind.THEME_PARTY_DAY, oct20, attendance=[{"member": a}, {"member": d}])
    session = services.create_study_session(branch, dt.date(2023, 11, 3), "集中学习",
                                            attendance=[{"member": c}])
    # first point: c was absent without a reason in October (does not count), studied in November
    assert stored() == activity.live_activity()
    assert stored() == {(a.pk, dt.date(2023, 10, 1)): (oct12, oct20), (b.pk, dt.date(2023, 10, 1)): (oct12, oct12),
                        (d.pk, dt.date(2023, 10, 1)): (oct20, oct20), (c.pk, dt.date(2023, 11, 1)):
                            (dt.date(2023, 11, 3), dt.date(2023, 11, 3))}

    services.update_meeting(m2, date=dt.date(2023, 12, 1))            # moved: a and d in December
    services.update_meeting(m1, attendance=[{"member": a}, {"member": c, "status": "leave", "reason": "病假"}])
    services.delete_record(session)
    # second point: b left the list, c has a reason now, the study session is gone
    assert stored() == activity.live_activity()
    assert stored() == {(a.pk, dt.date(2023, 10, 1)): (oct12, oct12), (c.pk, dt.date(2023, 10, 1)): (oct12, oct12),
                        (a.pk, dt.date(2023, 12, 1)): (dt.date(2023, 12, 1),) * 2,
                        (d.pk, dt.date(2023, 12, 1)): (dt.date(2023, 12, 1),) * 2}
    services.delete_record(m2)
    assert stored() == activity.live_activity() and (d.pk, dt.date(2023, 12, 1)) not in stored()


def test_a_qr_sign_in_records_the_day(rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    user = UserFactory()
    people[3].user = user
    people[3].save()
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 9, 5),
                attendance=[{"member": p, "status": "absent"} for p in people])
    assert stored() == {}
    services.set_sign_in(m, True)
    services.sign_in(m.sign_in_token, user, today=m.date)
    assert stored() == activity.live_activity() == {(people[3].pk, dt.date(2023, 9, 1)): (m.date, m.date)}


def test_active_members_reads_whole_and_cut_windows_exactly(rworld):
    branch = rworld["branches"][0]
    a, b = rworld["members"][branch.code][:2]
    meeting(branch, MeetingKind.THEME_PARTY_DAY, dt.date(2023, 10, 10), attendance=[{"member": a}])
    meeting(branch, MeetingKind.THEME_PARTY_DAY, dt.date(2023, 10, 25), attendance=[{"member": a}, {"member": b}])
    assert activity.active_members(dt.date(2023, 4, 26), dt.date(2023, 10, 25)) == {a.pk, b.pk}
    assert activity.active_members(dt.date(2023, 4, 26), dt.date(2023, 10, 24)) == {a.pk}
    assert activity.active_members(dt.date(2023, 10, 26), dt.date(2024, 4, 25)) == set()
    assert activity.active_members(dt.date(2023, 10, 11), dt.date(2023, 10, 24)) == set()  # inside one month
    assert activity.active_members(dt.date(2023, 10, 11), dt.date(2023, 10, 31)) == {a.pk, b.pk}
    assert activity.active_members(dt.date(2023, 10, 1), dt.date(2023, 10, 10)) == {a.pk}
