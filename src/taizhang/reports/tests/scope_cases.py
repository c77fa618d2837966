"""Scoping-walk cases of the reports URLs (see taizhang.core.testing): A's secretary gets
nothing of branch B — not its meeting's record, template, or report job."""

from django.core.files.base import ContentFile

from taizhang.core.testing import LISTED, SECRET, Case
from taizhang.records.testing import sample_meeting
from taizhang.reports.generate import SHIPPED
from taizhang.reports.models import ReportJob, ReportTemplate


def cases(world):
    meeting = sample_meeting(world.branch_b, world.member_b, SECRET)
    template = ReportTemplate(org=world.branch_b, kind="meeting", name=f"{SECRET}.docx")
    template.file.save("b.docx", ContentFile((SHIPPED / "meeting.docx").read_bytes()), save=False)
    template.save()
    job = ReportJob.objects.create(org=world.branch_b, kind="problems", fmt="docx", params={},
                                   requested_by=world.secretary_b, status="done", filename=f"{SECRET}.docx")
    job.file.save("b.docx", ContentFile(b"x"))
    b = f"meeting={meeting.pk}"
    from taizhang.democratic.testing import sample_life_meeting

    life = f"life_meeting={sample_life_meeting(world.branch_b, world.member_b, SECRET).pk}"
    return [
        Case("reports:index", expect=LISTED),
        Case("reports:templates", expect=LISTED),
        Case("reports:templates", expect=LISTED, post=True, data={"kind": "meeting", "org": world.branch_b.pk}),
        Case("reports:template_download", {"pk": template.pk}),
        Case("reports:template_delete", {"pk": template.pk}, post=True),
        Case("reports:shipped_template", {"kind": "meeting"}, expect=LISTED),
        Case("reports:job_detail", {"pk": job.pk}),
        Case("reports:job_download", {"pk": job.pk}),
        Case("reports:report", {"kind": "meeting"}, expect=LISTED),
        Case("reports:report", {"kind": "meeting"}, expect=LISTED, query=b),
        Case("reports:report", {"kind": "problems"}, expect=LISTED, query=f"org={world.branch_b.code}"),
        Case("reports:report", {"kind": "summary"}, expect=LISTED),
        Case("reports:download", {"kind": "meeting", "fmt": "docx"}, query=b),
        Case("reports:download", {"kind": "problems", "fmt": "docx"}, query=f"org={world.branch_b.code}"),
        Case("reports:report", {"kind": "dlm-report"}, expect=LISTED, query=life),
        Case("reports:download", {"kind": "dlm-report", "fmt": "docx"}, query=life),
        Case("reports:job_start", {"kind": "summary", "fmt": "docx"}, query=f"org={world.branch_b.code}",
             post=True),
    ]
