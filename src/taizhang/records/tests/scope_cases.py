"""Scoping-walk cases of the records URLs and API (see taizhang.core.testing): branch B's
records of every kind, its attendance, QR code and sign-in link must stay hidden from A."""

import datetime as dt

from taizhang.core.testing import LISTED, SECRET, Case
from taizhang.plans.models import Campaign

from .. import services
from ..models import FilmViewing, Lecture, MeetingKind, Reading, ResearchVisit, SelfStudy, Suggestion, Talk

DAY = dt.date(2023, 10, 12)


def cases(world):
    b, person = world.branch_b, world.member_b
    from taizhang.orgs.tests.factories import MemberFactory

    other = MemberFactory(org=b, name=f"{SECRET}李")
    meeting = services.create_meeting(b, MeetingKind.BRANCH_GENERAL_MEETING, DAY, title=SECRET,
                                      minutes=SECRET, sign_in_enabled=True,
                                      attendance=[{"member": person, "status": "leave", "reason": SECRET}],
                                      motions=[{"title": SECRET, "yes": 1}])
    study = services.create_study_session(b, DAY, SECRET, attendance=[person])
    campaign = Campaign.objects.create(org=b, title=f"{SECRET}活动")
    reading = services.create_record(Reading, org=b, campaign=campaign, title=SECRET)
    objects = {
        "meeting": meeting,
        "study": study,
        "selfstudy": services.create_record(SelfStudy, org=b, member=person, reading=reading, date=DAY),
        "lecture": services.create_record(Lecture, org=b, audience=b, speaker=person, title=SECRET, date=DAY),
        "research": services.create_record(ResearchVisit, org=b, leader=person, topic=SECRET,
                                           place=SECRET, date=DAY, findings=SECRET),
        "talk": services.create_record(Talk, org=b, party_a=person, party_b=other, date=DAY, topics=SECRET),
        "suggestion": services.submit_suggestion(b, SECRET, member=person),
        "film": services.create_record(FilmViewing, org=b, title=SECRET, date=DAY, notes=SECRET),
    }
    assert Suggestion.objects.filter(org=b).exists()
    api = {"meeting": "meeting", "study": "studysession", "selfstudy": "selfstudy",
           "lecture": "lecture", "research": "researchvisit", "talk": "talk", "suggestion": "suggestion",
           "film": "filmviewing"}
    result = []
    for slug, obj in objects.items():
        pk = {"pk": obj.pk}
        result += [
            Case(f"records:{slug}_list", expect=LISTED),
            Case(f"records:{slug}_list", expect=LISTED, query=f"org={b.pk}&q=内部"),
            Case(f"records:{slug}_add", expect=LISTED, query=f"org={b.pk}&kind=branch_general_meeting"),
            Case(f"records:{slug}_export", expect=LISTED),
            Case(f"records:{slug}_export", expect=LISTED, query=f"org={b.pk}"),
            Case(f"records:{slug}_detail", pk),
            Case(f"records:{slug}_edit", pk, post=True, data={"org": b.pk, "date": "2023-10-13"}),
            Case(f"records:{slug}_delete", pk, post=True),
            Case(f"{api[slug]}-list", expect=LISTED),
            Case(f"{api[slug]}-detail", pk, post=True),
        ]
    attendance = meeting.attendance.get()
    result += [
        Case("records:meeting_qr", {"pk": meeting.pk}),
        Case("records:meeting_sign_in_toggle", {"pk": meeting.pk}, post=True, data={"enabled": "0"}),
        Case("records:sign_in", {"token": meeting.sign_in_token}),
        Case("records:attendance_export", expect=LISTED),
        Case("records:attendance_export", expect=LISTED, query=f"org={b.pk}"),
        Case("records:suggestion_handle", {"pk": objects["suggestion"].pk}, post=True),
        Case("records:suggestion_answer", {"pk": objects["suggestion"].pk}, post=True,
             data={"reply": "x"}),
        Case("records:my_suggestion", expect=LISTED),
        Case("records:my_self_study", expect=LISTED),
        Case("records:reading_list", expect=LISTED),
        Case("records:reading_list", expect=LISTED, query=f"campaign={campaign.pk}"),
        Case("records:reading_add", expect=LISTED),
        Case("records:reading_edit", {"pk": reading.pk}, post=True, data={"title": "x"}),
        Case("records:reading_delete", {"pk": reading.pk}, post=True),
        Case("attendance-list", expect=LISTED),
        Case("attendance-list", expect=LISTED, query=f"meeting={meeting.pk}"),
        Case("attendance-detail", {"pk": attendance.pk}),
        Case("studyattendance-list", expect=LISTED),
        Case("studyattendance-detail", {"pk": study.attendance.get().pk}),
        Case("reading-list", expect=LISTED),
        Case("reading-detail", {"pk": reading.pk}, post=True),
    ]
    return result
