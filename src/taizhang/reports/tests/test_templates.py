"""Office templates: checked on upload (unknown placeholders, tags split across paragraphs
refused naming them; tags split across runs rejoined); output with a tag left fails."""

import io

import pytest
from docx import Document

from taizhang.reports import templating

SCHEMA = {"unit": "组织", "meeting": {"place": "地点", "date": "日期"},
          "absentees": [{"name": "姓名", "reason": "原因"}]}


def _docx(*paragraphs) -> bytes:
    """A .docx whose paragraphs are given as lists of run texts."""
    document = Document()
    for runs in paragraphs:
        p = document.add_paragraph()
        for text in runs:
            p.add_run(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _text(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_unknown_placeholder_is_refused_by_name():
    bad = _docx(["{{ unit }}"], ["地点：{{ meeting.plce }}"], ["{{ chairman }}"])
    with pytest.raises(templating.TemplateRefused) as info:
        templating.check_template(bad, SCHEMA, name="红头模板.docx")
    assert info.value.errors == [
        "红头模板.docx：占位符“chairman”不是本报告提供的数据，请检查拼写",
        "红头模板.docx：占位符“meeting.plce”不是本报告提供的数据，请检查拼写",
    ]


def test_tag_split_across_paragraphs_is_refused_by_name():
    bad = _docx(["地点：{{ meeting."], ["place }}"])
    with pytest.raises(templating.TemplateRefused) as info:
        templating.check_template(bad, SCHEMA, name="拆分.docx")
    assert info.value.errors == ["拆分.docx：标签“{{ meeting.”在段落内没有结束（被拆到了多个段落或缺少结束符），请在 Word 中重新输入该标签"]


def test_tag_split_across_runs_is_rejoined_and_renders():
    split = _docx(["地点：{", "{ meet", "ing.pla", "ce }", "}。"], ["{%p for a in absentees %}"],
                  ["{{ a.name }}：{{ a.", "reason }}"], ["{%p endfor %}"])
    fixed = templating.check_template(split, SCHEMA, name="t.docx")
    runs = [r.text for r in Document(io.BytesIO(fixed)).paragraphs[0].runs]
    assert runs == ["地点：{{ meeting.place }}", "", "", "", "。"]  # the tag in one run now
    out = templating.render(fixed, {"unit": "x", "meeting": {"place": "三楼会议室", "date": ""},
                                    "absentees": [{"name": "张三", "reason": "出差"}]})
    assert _text(out) == ["地点：三楼会议室。", "张三：出差"]


def test_loop_variables_take_the_row_schema():
    bad = _docx(["{%p for a in absentees %}"], ["{{ a.nmae }}"], ["{%p endfor %}"])
    with pytest.raises(templating.TemplateRefused, match="占位符“a.nmae”"):
        templating.check_template(bad, SCHEMA)


def test_output_with_a_surviving_tag_fails():
    # A tag Jinja does not see (braces written as text by the template) survives rendering.
    template = _docx(["{{ unit }}"], ["{{ '{{' }} left"])
    with pytest.raises(templating.OutputError, match="未替换的模板标签：“{{ left”"):
        templating.render(template, {"unit": "x"})


def test_not_a_docx_is_refused():
    with pytest.raises(templating.TemplateRefused, match="^x.docx：不是有效的 Word"):
        templating.check_template(b"not a zip", SCHEMA, name="x.docx")


@pytest.mark.parametrize("paragraphs, expected", [
    ([["{{ unit }}"], ["{{ meeting.date|date('x' }}"]], "x.docx：第 2 段的标签“{{ meeting.date|date('x' }}”：出现了意外的“}”"),
    ([["{{ unit ）}}"]], "x.docx：第 1 段的标签“{{ unit ）}}”：标签中有不能识别的字符“）”"),
    ([["{%p for a in absentees %}"], ["{{ a.name }}"]], "x.docx：模板标签有误：缺少结束标签 {% endfor %}"),
    ([["{{ unit }}"], ["{%p endif %}"]], "x.docx：模板标签有误：多余的标签 {% endif %}"),
    ([["{% for a absentees %}{% endfor %}"]], "x.docx：第 1 段的标签“{% for a absentees %}”：写法有误"),
])
def test_syntax_errors_are_explained_in_chinese_with_file_paragraph_and_tag(paragraphs, expected):
    with pytest.raises(templating.TemplateRefused) as info:
        templating.check_template(_docx(*paragraphs), SCHEMA, name="x.docx")
    text = "；".join(info.value.errors)
    assert text.startswith(expected), text
    assert not any(word in text for word in ("expected", "Unexpected", "unexpected", "Error", "Jinja", "tag '"))


@pytest.mark.parametrize("content, reason", [
    (b"not a zip", "文件已损坏，或是 .doc、.wps 等其他格式"),
    (None, "这是压缩包而不是 Word 文档"),
])
def test_not_a_docx_says_why_without_a_python_class_name(content, reason):
    if content is None:
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("xl/workbook.xml", "<x/>")
        content = buf.getvalue()
    with pytest.raises(templating.TemplateRefused) as info:
        templating.check_template(content, SCHEMA, name="x.docx")
    assert info.value.errors == [f"x.docx：不是有效的 Word（.docx）文件：{reason}" + info.value.errors[0].split(reason, 1)[1]]
    assert "Error" not in info.value.errors[0] and "Exception" not in info.value.errors[0]
