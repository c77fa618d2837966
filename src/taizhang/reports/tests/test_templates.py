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
