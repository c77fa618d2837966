import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.core.models import Attachment
from taizhang.orgs.tests.factories import UserFactory, build_tree, grant
from taizhang.plans.models import Assignment, Campaign, Plan, PlanItem


@pytest.fixture
def setup(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tree = build_tree(branches=2, groups=0)
    campaign = Campaign.objects.create(org=tree["committee"], title="c")
    item = PlanItem.objects.create(plan=Plan.objects.create(campaign=campaign), kind="task", title="t")
    a, b = (Assignment.objects.create(item=item, org=org) for org in tree["branches"])
    sec_a, sec_b = UserFactory(), UserFactory()
    grant(sec_a, tree["branches"][0], "branch_secretary")
    grant(sec_b, tree["branches"][1], "branch_secretary")
    return {"a": a, "b": b, "sec_a": sec_a, "sec_b": sec_b}


def add_url(obj):
    return reverse("attachment_add", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def test_upload_download_delete_in_scope(client, setup):
    client.force_login(setup["sec_a"])
    upload = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in sheet")
    response = client.post(add_url(setup["a"]), {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.size, attachment.org) == ("签到表.pdf", 22, setup["a"].org)
    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 sign-in sheet"
    assert "attachment;" in download["Content-Disposition"]
    assert client.post(reverse("attachment_delete", args=[attachment.pk])).status_code == 302
    assert not Attachment.objects.exists()


def test_other_branch_cannot_attach_see_or_delete(client, setup):
    client.force_login(setup["sec_a"])
    client.post(add_url(setup["a"]), {"file": SimpleUploadedFile("a.txt", b"x")})
    attachment = Attachment.objects.get()
    client.force_login(setup["sec_b"])
    assert client.post(add_url(setup["a"]), {"file": SimpleUploadedFile("b.txt", b"y")}).status_code == 404
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("attachment_delete", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.count() == 1


def test_inspector_reads_but_cannot_attach(client, setup):
    inspector = UserFactory()
    grant(inspector, setup["a"].item.plan.campaign.org, "inspector")
    client.force_login(inspector)
    assert client.post(add_url(setup["a"]), {"file": SimpleUploadedFile("c.txt", b"z")}).status_code == 403


def test_empty_and_dangerous_files_are_refused(client, setup):
    client.force_login(setup["sec_a"])
    client.post(add_url(setup["a"]), {"file": SimpleUploadedFile("x.html", b"<script>")})
    client.post(add_url(setup["a"]), {"file": SimpleUploadedFile("empty.pdf", b"")})
    assert not Attachment.objects.exists()
