"""Scoping-walk cases of the records URLs that are not a kind's own pages (see
taizhang.core.testing; every registered kind's list/add/detail/edit/delete/export and API
routes come from ``core.testing.source_cases``): branch B's attendance, QR code, sign-in
link, suggestion handling, members' own forms and the reading list must stay hidden from A."""

from taizhang.core.testing import LISTED, SECRET, Case
from taizhang.plans.models import Campaign

from .. import services
from ..models import Reading
from ..testing import sample_meeting, sample_study, sample_suggestion


def cases(world):
    b, person = world.branch_b, world.member_b
    meeting = sample_meeting(b, person, SECRET)
    study = sample_study(b, person, SECRET)
    suggestion = sample_suggestion(b, person, SECRET)
    campaign = Campaign.objects.create(org=b, title=f"{SECRET}活动")
    reading = services.create_record(Reading, org=b, campaign=campaign, title=SECRET)
    attendance = meeting.attendance.get()
    return [
        Case("records:meeting_qr", {"pk": meeting.pk}),
        Case("records:meeting_sign_in_toggle", {"pk": meeting.pk}, post=True, data={"enabled": "0"}),
        Case("records:sign_in", {"token": meeting.sign_in_token}),
        Case("records:attendance_export", expect=LISTED),
        Case("records:attendance_export", expect=LISTED, query=f"org={b.pk}"),
        Case("records:suggestion_handle", {"pk": suggestion.pk}, post=True),
        Case("records:suggestion_answer", {"pk": suggestion.pk}, post=True, data={"reply": "x"}),
        Case("records:my_suggestion", expect=LISTED),
        Case("records:my_self_study", expect=LISTED),
        Case("records:my_micro_lecture", expect=LISTED),
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
