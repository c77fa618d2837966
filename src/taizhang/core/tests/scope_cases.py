"""Scoping-walk cases of the core URLs (see taizhang.core.testing)."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from taizhang.core import jobs
from taizhang.core.models import Attachment
from taizhang.core.testing import LISTED, PUBLIC, SECRET, Case, source_cases
from taizhang.core.tokens import issue_token


def cases(world):
    """The core pages, plus every registered kind's pages and API routes
    (:func:`~taizhang.core.testing.source_cases`, read from ``core.sources``)."""
    b_member = world.member_b
    content_type = ContentType.objects.get_for_model(b_member)
    attachment = Attachment.objects.create(
        org=world.branch_b, content_type=content_type, object_id=b_member.pk,
        file=ContentFile(SECRET.encode(), name="b.txt"), name=f"{SECRET}.txt", size=9)
    b_token, _key = issue_token(world.secretary_b, actor=world.secretary_b, name=f"{SECRET}令牌")
    (jobs.jobs_dir() / ("b" * 32)).mkdir(exist_ok=True)  # B's background import
    b_job = jobs.write_job({"id": "b" * 32, "user_id": world.secretary_b.pk, "org_id": world.branch_b.pk,
                            "label": "导入整改台账", "name": f"{SECRET}.xlsx", "status": "done", "percent": 100,
                            "stage": "done", "summary": SECRET, "errors": [], "warnings": [], "next_url": "/",
                            "created": "2026-12-07T10:00:00+00:00", "finished": ""})
    (jobs.jobs_dir() / ("c" * 32)).mkdir(exist_ok=True)  # B's finished background export
    (jobs.jobs_dir() / ("c" * 32) / "result").write_bytes(SECRET.encode())
    b_export = jobs.write_job({**b_job, "id": "c" * 32, "kind": "export", "result": f"{SECRET}.xlsx"})
    return [
        Case("home", expect=LISTED),
        Case("job_download", {"job_id": b_export["id"]}),
        Case("api_tokens", expect=LISTED),
        Case("jobs", expect=LISTED),
        Case("job_detail", {"job_id": b_job["id"]}),
        Case("api_token_revoke", {"pk": b_token.pk}, post=True),
        Case("apitoken-list", expect=LISTED),
        Case("apitoken-detail", {"pk": b_token.pk}),
        Case("login", expect=PUBLIC),
        Case("set_language", expect=PUBLIC),
        Case("logout", expect=PUBLIC),
        Case("attachment_download", {"pk": attachment.pk}),
        Case("attachment_delete", {"pk": attachment.pk}, post=True),
        Case("attachment_add", {"content_type_id": content_type.pk, "object_id": b_member.pk},
             post=True),
        Case("health", expect=PUBLIC),
        Case("api-root", expect=PUBLIC),
        Case("api_token", expect=PUBLIC),
        Case("api_schema", expect=LISTED),
        Case("api_docs", expect=LISTED),
        Case("api_redoc", expect=LISTED),
        *source_cases(world),
    ]
