"""Defects a new user met on the democratic app's add pages and the material's detail page
(each test was failing before its fix): the 请假 checkboxes sat in a 1.25rem check box, the
title said optional but was required, an upload vanished silently on another error, and the
detail page showed True, a storage path and 字数 0."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.democratic import services
from taizhang.democratic.models import SelfExamination


def test_leave_checkboxes_are_form_checks_with_their_labels(client, unit):
    client.force_login(unit["office"])
    html = client.get(reverse("democratic:meeting_add")).content.decode()
    # The list's container is no check box itself (it was class="form-check-input": a
    # 1.25rem box the names overflowed).
    assert not re.search(r'<div[^>]*id="id_absent"[^>]*form-check-input', html)
    # Each box and its name sit on one line, in Tabler's .form-check.
    one = re.search(r'<label class="form-check[^"]*">\s*<input type="checkbox" name="absent"[^>]*class="form-check-input"'
                    r'[^>]*>\s*<span class="form-check-label">甲书记（书记）</span>\s*</label>', html)
    assert one, html[html.find("id_absent") - 200:html.find("id_absent") + 600]


def test_a_single_checkbox_sits_beside_its_label(client, unit):
    client.force_login(unit["office"])
    html = client.get(reverse("democratic:exam_add")).content.decode()
    assert re.search(r'<label class="form-check">\s*<input type="checkbox" name="needs_superior"[^>]*>\s*'
                     r'<span class="form-check-label">需上级审核</span>', html)


def _post_exam(client, unit, **extra):
    data = {"org": unit["committee"].pk, "year": 2023, "date": "2023-12-20", "title": "",
            "content": "一、问题", "form_token": extra.pop("token", "t1")}
    data.update(extra)
    return client.post(reverse("democratic:exam_add"), data)


def test_exam_title_may_be_left_empty_as_the_hint_says(client, unit):
    client.force_login(unit["office"])
    page = client.get(reverse("democratic:exam_add")).content.decode()
    assert "留空则自动生成" in page
    response = _post_exam(client, unit)
    assert response.status_code == 302, response.context["form"].errors
    assert SelfExamination.objects.get().title == "2023年度民主生活会对照检查材料（领导班子）"


def test_an_upload_on_a_form_with_another_error_is_named_to_be_chosen_again(client, unit):
    client.force_login(unit["office"])
    response = _post_exam(client, unit, date="2999-01-01",
                          upload=SimpleUploadedFile("提纲.docx", b"PK\x03\x04docx"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "date" in errors
    assert errors["upload"] == ["表单有错误，所选文件“提纲.docx”未保存，请重新选择文件后再保存。"]
    assert not SelfExamination.objects.exists()


def test_exam_detail_shows_yes_no_the_file_name_as_a_link_and_no_zero_word_count(client, unit):
    exam = services.create_exam({"org": unit["committee"], "date": dt.date(2023, 12, 20), "needs_superior": True},
                                actor=unit["office"], document=SimpleUploadedFile("提纲.docx", b"PK\x03\x04docx"))
    client.force_login(unit["office"])
    html = client.get(exam.get_absolute_url()).content.decode()
    assert ">True<" not in html and ">是<" in html
    link = reverse("democratic:exam_version_file", args=[exam.pk, 1])
    assert re.search(rf'<a href="{re.escape(link)}">提纲[^<]*\.docx</a>', html)
    assert "democratic/20" not in html  # no storage path
    versions = html[html.find('id="versions"'):]
    assert not re.search(r"<td>0</td>", versions.split("</table>")[0])
