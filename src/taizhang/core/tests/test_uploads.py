"""The checked-import mechanism (core.uploads): file checks naming the file, the kept upload
between preview and confirm, the atomic confirm, expiry, cancel and scoping.

A small demo import (one member per line of a .txt file, "坏" marking a bad row) is routed
by this module's ``urlpatterns`` next to the project's URLs.
"""

import os
import shutil
import time

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse

from taizhang.core.scoping import CHANGE
from taizhang.core.uploads import CONFIRM, CheckedImportView, PendingUploads, check_upload, kept_name
from taizhang.orgs.models import Member, Organization
from taizhang.orgs.tests.factories import MemberFactory, UserFactory, build_tree, grant

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SESSION_KEY = "core_demo_import"


class DemoForm(forms.Form):
    file = forms.FileField()
    org = forms.ModelChoiceField(queryset=Organization.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.restrict(user, CHANGE)


class DemoResult:
    def __init__(self, errors, written=0):
        self.errors, self.written = errors, written

    @property
    def ok(self):
        return not self.errors


class DemoImport(CheckedImportView):
    """One member per line; a line with "坏" is a bad row. ``fail_after_write`` writes every
    line and then reports an error, as a service finding a fault late would."""

    form_class = DemoForm
    template_name = "core/import.html"
    url_name = "demo_import"
    confirm_url_name = "demo_import_confirm"
    session_key = SESSION_KEY
    pending_folder = "demo_pending"
    suffixes = frozenset({".txt"})
    expired_message = "导入已失效，请重新上传名单。"
    fail_after_write = False

    def run_import(self, path, org, *, dry_run, name):
        lines = path.read_text("utf-8").splitlines()
        errors = [f"第 {n} 行：坏数据" for n, line in enumerate(lines, start=1) if "坏" in line]
        if errors:
            return DemoResult(errors)
        for line in lines:
            MemberFactory(org=org, name=line)
        if self.fail_after_write:
            return DemoResult([f"{name}：写入时发现错误"])
        return DemoResult([], written=len(lines))

    def success_message(self, result):
        return f"已导入 {result.written} 名"

    def get_success_url(self, org, result):
        return reverse("home")


class FailingImport(DemoImport):
    fail_after_write = True


urlpatterns = [
    path("demo/import/", DemoImport.as_view(), name="demo_import"),
    path("demo/import/confirm/", DemoImport.as_view(step=CONFIRM), name="demo_import_confirm"),
    path("demo/failing/confirm/", FailingImport.as_view(step=CONFIRM), name="failing_confirm"),
    path("", include("taizhang.urls")),
]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tree = build_tree(branches=2, groups=0)
    office = UserFactory(username="office")
    grant(office, tree["committee"], "committee_staff")
    secretary_b = UserFactory(username="sec_b")
    grant(secretary_b, tree["branches"][1], "branch_secretary")
    tree.update(office=office, secretary_b=secretary_b, kept=tmp_path / "demo_pending")
    return tree


def upload(client, org, content="张三\n李四\n", name="名单.txt"):
    return client.post(reverse("demo_import"), {"file": SimpleUploadedFile(name, content.encode()), "org": org.pk})


def previewed(client, world) -> str:
    """Log in as the office, upload a good file into the committee; the pending token."""
    client.force_login(world["office"])
    upload(client, world["committee"])
    return client.session[SESSION_KEY]["token"]


def kept_files(world):
    return sorted(world["kept"].iterdir()) if world["kept"].exists() else []


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# ---- file checks ---------------------------------------------------------------------------

def test_check_upload_names_the_file():
    with pytest.raises(ValidationError) as wrong:
        check_upload(SimpleUploadedFile("名单.exe", b"x"), {".txt"}, wrong_type="只收 .txt（不是 %(suffix)s）")
    assert wrong.value.messages == ["名单.exe：只收 .txt（不是 .exe）"]
    with pytest.raises(ValidationError) as bare:
        check_upload(SimpleUploadedFile("名单", b"x"), {".txt", ".csv"})
    assert bare.value.messages == ["名单：不支持的文件类型 （无扩展名）：请上传 .csv、.txt 文件。"]
    with pytest.raises(ValidationError) as large:
        check_upload(SimpleUploadedFile("大.TXT", b"x" * (2**20 + 1)), {".txt"}, max_bytes=2**20)
    assert large.value.messages == ["大.TXT：文件过大（上限 1 MB）。"]
    check_upload(SimpleUploadedFile("好.TXT", b"x" * 2**20), {".txt"}, max_bytes=2**20)  # no error


def test_wrong_extension_is_refused_naming_the_file_and_nothing_is_kept(client, world):
    client.force_login(world["office"])
    response = upload(client, world["committee"], name="名单.exe")
    html = response.content.decode()
    assert response.status_code == 200
    assert "名单.exe：不支持的文件类型 .exe：请上传 .txt 文件。" in html
    assert SESSION_KEY not in client.session and kept_files(world) == []
    assert not Member.objects.exists()


def test_too_large_a_file_is_refused_naming_the_file(client, world, settings):
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(world["office"])
    html = upload(client, world["committee"], content="张" * 400_000, name="大名单.txt").content.decode()
    assert "大名单.txt：文件过大（上限 1 MB）。" in html
    assert SESSION_KEY not in client.session and kept_files(world) == []


# ---- preview and confirm -------------------------------------------------------------------

def test_preview_keeps_the_file_and_writes_nothing_then_confirm_writes_once(client, world):
    client.force_login(world["office"])
    response = upload(client, world["committee"])
    html = response.content.decode()
    assert "预览：将“名单.txt”导入到" in html and 'id="import-confirm"' in html
    assert not Member.objects.exists()
    token = client.session[SESSION_KEY]["token"]
    assert token in html and kept_files(world) == [world["kept"] / token]
    assert (world["kept"] / token / "名单.txt").read_text("utf-8") == "张三\n李四\n"  # under the user's name
    response = client.post(reverse("demo_import_confirm"), {"token": token, "confirm": ""})
    assert response.status_code == 302 and response.url == reverse("home")
    assert messages_of(response) == ["已导入 2 名"]
    assert sorted(Member.objects.values_list("name", flat=True)) == ["张三", "李四"]
    assert SESSION_KEY not in client.session and kept_files(world) == []
    # The same token again: nothing pending any more.
    response = client.post(reverse("demo_import_confirm"), {"token": token})
    assert response.status_code == 302 and messages_of(response)[-1] == "导入已失效，请重新上传名单。"
    assert Member.objects.count() == 2


def test_bad_rows_are_all_listed_naming_the_file_and_nothing_is_kept(client, world):
    client.force_login(world["office"])
    html = upload(client, world["committee"], content="张三\n坏一\n李四\n坏二\n").content.decode()
    assert "“名单.txt”有 2 处错误，未写入任何数据。" in html
    assert "第 2 行：坏数据" in html and "第 4 行：坏数据" in html
    assert SESSION_KEY not in client.session and kept_files(world) == []
    assert not Member.objects.exists()


def test_a_missing_kept_upload_at_confirm_is_expired_and_writes_nothing(client, world):
    token = previewed(client, world)
    for kept in kept_files(world):  # expired and dropped, or removed by hand
        shutil.rmtree(kept)
    response = client.post(reverse("demo_import_confirm"), {"token": token, "confirm": ""})
    assert response.status_code == 302 and response.url == reverse("demo_import")
    assert messages_of(response) == ["导入已失效，请重新上传名单。"]
    assert SESSION_KEY not in client.session
    assert not Member.objects.exists()


def test_a_token_not_of_this_session_is_expired(client, world):
    previewed(client, world)
    for wrong in ("0" * 32, "令牌", ""):
        response = client.post(reverse("demo_import_confirm"), {"token": wrong, "confirm": ""})
        assert response.status_code == 302 and messages_of(response)[-1] == "导入已失效，请重新上传名单。"
    assert len(kept_files(world)) == 1  # the real pending import is left alone
    assert not Member.objects.exists()


def test_expired_status_renders_the_upload_page_instead_of_redirecting(client, world, monkeypatch):
    monkeypatch.setattr(DemoImport, "expired_status", 400)
    client.force_login(world["office"])
    response = client.post(reverse("demo_import_confirm"), {"token": "x"})
    assert response.status_code == 400
    assert "导入已失效，请重新上传名单。" in response.content.decode()
    assert 'id="upload-form"' in response.content.decode()


def test_cancel_drops_the_kept_upload(client, world):
    token = previewed(client, world)
    response = client.post(reverse("demo_import_confirm"), {"token": token, "cancel": ""})
    assert response.url == reverse("demo_import") and messages_of(response) == ["已取消导入。"]
    assert SESSION_KEY not in client.session and kept_files(world) == []
    assert not Member.objects.exists()


def test_a_new_upload_replaces_the_pending_one(client, world):
    first = previewed(client, world)
    upload(client, world["committee"], content="王五\n")
    second = client.session[SESSION_KEY]["token"]
    assert first != second and kept_files(world) == [world["kept"] / second]
    client.post(reverse("demo_import_confirm"), {"token": first})
    assert not Member.objects.exists()
    client.post(reverse("demo_import_confirm"), {"token": second})
    assert list(Member.objects.values_list("name", flat=True)) == ["王五"]


def test_an_error_found_while_writing_rolls_the_whole_confirm_back(client, world):
    token = previewed(client, world)
    response = client.post(reverse("failing_confirm"), {"token": token, "confirm": ""})
    assert response.status_code == 200
    assert "名单.txt：写入时发现错误" in response.content.decode()
    assert not Member.objects.exists()
    assert SESSION_KEY not in client.session and kept_files(world) == []


# ---- scoping -------------------------------------------------------------------------------

def test_both_steps_need_the_scope_action_and_the_confirm_needs_post(client, world):
    reader = UserFactory(username="reader")
    client.force_login(reader)
    assert client.get(reverse("demo_import")).status_code == 403
    assert client.post(reverse("demo_import_confirm"), {"token": "x"}).status_code == 403
    client.force_login(world["office"])
    assert client.get(reverse("demo_import")).status_code == 200
    assert client.get(reverse("demo_import_confirm")).status_code == 405
    client.logout()
    response = client.get(reverse("demo_import"))
    assert response.status_code == 302 and "/login/" in response.url


def test_confirm_into_an_org_outside_the_users_scope_is_404_and_writes_nothing(client, world):
    client.force_login(world["secretary_b"])
    upload(client, world["branches"][1])
    session = client.session
    pending = session[SESSION_KEY]
    pending["org"] = world["branches"][0].pk  # e.g. the role on it was withdrawn meanwhile
    session[SESSION_KEY] = pending
    session.save()
    response = client.post(reverse("demo_import_confirm"), {"token": pending["token"]})
    assert response.status_code == 404
    assert not Member.objects.exists()


def test_an_org_outside_the_users_scope_cannot_be_chosen(client, world):
    client.force_login(world["secretary_b"])
    response = upload(client, world["branches"][0])
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert SESSION_KEY not in client.session and kept_files(world) == []


# ---- keeping files -------------------------------------------------------------------------

def test_pending_uploads_drop_stale_files_on_store(world):
    store = PendingUploads("demo_pending", max_age=60)
    old = store.store(b"old", "旧.txt")
    stale = time.time() - 61
    os.utime(store.directory / old, (stale, stale))
    new = store.store(SimpleUploadedFile("a.txt", b"new"), "新.txt")
    assert not (store.directory / old).exists()
    assert store.path(new, "新.txt").read_bytes() == b"new"
    store.discard(new)
    store.discard(new)  # already gone: no error
    assert list(store.directory.iterdir()) == []


def test_kept_names_stay_inside_the_folder(world):
    store = PendingUploads("demo_pending")
    assert store.path("a" * 32, "../../etc/passwd").parent == store.directory / ("a" * 32)
    with pytest.raises(ValueError):
        store.path("../x", "名单.txt")
    store.discard("..")  # not a token: nothing happens
    assert store.directory.exists()
    assert kept_name("C:\\Users\\张三\\名单.xlsx") == "名单.xlsx"
    assert kept_name("..") == "upload" and kept_name("长" * 100 + ".xlsx") == "upload.xlsx"
