"""Notices (通知) from the office to branches or members (issue 12 §3): attachments, sent
in-app and on the configured channels, read receipts for the sender."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.notify import announcements
from taizhang.notify.models import Announcement, Notice
from taizhang.orgs.tests.factories import MemberFactory, UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _data(tree, **extra):
    return {"org": tree["committee"], "title": "关于开展专题学习的通知", "body": "请各支部于月底前完成。",
            "audience": "branches", "recipients": tree["branches"][:1],
            "files": [SimpleUploadedFile("安排.docx", b"word")], **extra}


def test_send_to_branch_officers_with_file_and_receipts(tree, people):
    notice = announcements.send_announcement(_data(tree), actor=people["office"])
    got = Notice.objects.filter(title="通知：关于开展专题学习的通知")
    assert sorted(n.user.username for n in got) == ["com_a", "sec_a"]  # branch A's officers only
    assert [a.name for a in announcements.attachments_of(notice)] == ["安排.docx"]
    receipts = announcements.receipts(notice)
    assert [(r.reminder.org.code, r.user.username, r.read_at) for r in receipts] == [
        ("ZB01", "com_a", None), ("ZB01", "sec_a", None)]


def test_send_to_members(tree, people):
    member_user = UserFactory(username="dy1")
    MemberFactory(org=tree["branches"][1], user=member_user)
    MemberFactory(org=tree["branches"][1])  # no account: nobody to tell
    announcements.send_announcement(_data(tree, audience="members", recipients=tree["branches"][1:]),
                                    actor=people["office"])
    assert [n.user.username for n in Notice.objects.all()] == ["dy1"]


def test_refusals_write_nothing(tree, people):
    with pytest.raises(PermissionDenied):
        announcements.send_announcement(_data(tree), actor=people["sec_a"])
    with pytest.raises(ValidationError, match="请选择接收组织"):
        announcements.send_announcement(_data(tree, recipients=[]), actor=people["office"])
    with pytest.raises(ValidationError, match="run.sh：不允许上传此类文件"):
        announcements.send_announcement(_data(tree, files=[SimpleUploadedFile("run.sh", b"x")]),
                                        actor=people["office"])
    assert not Announcement.objects.exists() and not Notice.objects.exists()


def test_pages_recipient_reads_and_sender_sees_receipt(client, tree, people):
    client.force_login(people["office"])
    response = client.post(reverse("notify:announcement_add"), {
        "org": tree["committee"].pk, "recipients": [tree["branches"][0].pk], "audience": "branches",
        "title": "学习通知", "body": "正文", "files": [SimpleUploadedFile("a.pdf", b"%PDF")]})
    notice = Announcement.objects.get()
    assert response.url == notice.get_absolute_url()
    # the secretary of A opens it from the notice and downloads the file
    client.force_login(people["sec_a"])
    mine = Notice.objects.get(user=people["sec_a"])
    client.post(reverse("notify:notice_read", args=[mine.pk]))
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "正文" in page and 'id="receipts"' not in page
    file_pk = announcements.attachments_of(notice)[0].pk
    download = client.get(reverse("notify:announcement_file", args=[notice.pk, file_pk]))
    assert b"".join(download.streaming_content) == b"%PDF"
    assert "学习通知" in client.get(reverse("notify:announcement_list")).content.decode()
    # B was not sent it: nothing to read
    client.force_login(people["sec_b"])
    assert client.get(notice.get_absolute_url()).status_code == 404
    assert client.get(reverse("notify:announcement_file", args=[notice.pk, file_pk])).status_code == 404
    client.force_login(people["office"])
    receipts = client.get(notice.get_absolute_url()).content.decode().split('id="receipts"')[1]
    assert receipts.count("已读</span>") == 1 and receipts.count("未读") == 1
