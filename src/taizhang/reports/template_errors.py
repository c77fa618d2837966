"""Why an office's uploaded Word template is refused, in Chinese, naming the paragraph and
the tag: Jinja's own messages are English and point at a line of the document's XML, which
an office cannot find. Used by ``templating.check_template``."""

from __future__ import annotations

import io
import re
import zipfile

from jinja2 import TemplateSyntaxError

TAG_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
# docxtpl's paragraph/row/cell/run forms ({%p for %}, {%tr if %}, {{r x }}) are plain tags to Jinja
_DOCXTPL_PREFIX = re.compile(r"^(\{%|\{\{)(?:p|tr|tc|r)\s")
_BLOCKS = {"for", "if", "with", "filter", "macro", "call", "block"}
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "name": "名称",
           "end of template": "模板结尾", "string": "文字", "integer": "数字"}


def not_a_docx_reason(content: bytes) -> str:
    """Why ``content`` is not a Word .docx: not a ZIP package at all (.doc, .wps, a renamed
    file, damaged), or a ZIP without a Word document in it (e.g. an .xlsx)."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return "文件已损坏，或是 .doc、.wps 等其他格式；请在 Word/WPS 中“另存为” .docx 后上传"
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        names = set(package.namelist())
    if "word/document.xml" not in names:
        return "这是压缩包而不是 Word 文档（如 Excel 或 PPT 文件）；请上传 .docx 模板"
    return "Word 文档内容已损坏，无法打开；请在 Word/WPS 中打开后重新保存为 .docx"


def _token(text: str) -> str:
    return _TOKENS.get(text, text)


def reason(exc: TemplateSyntaxError) -> str:
    """Jinja's syntax error ``exc`` in Chinese (the rule broken, with the tag or character),
    never its English message."""
    message = exc.message or ""
    if m := re.search(r"looking for the following tags: (.*?)\.", message):
        tags = "、".join(f"{{% {t} %}}" for t in re.findall(r"'(\w+)'", m.group(1)) if t.startswith("end"))
        return f"缺少结束标签 {tags}：有 {{% for %}} 或 {{% if %}} 等开始标签没有结束"
    if m := re.search(r"unknown tag '(\w+)'", message):
        name = m.group(1)
        if name.startswith("end") or name in ("else", "elif"):
            return f"多余的标签 {{% {name} %}}：前面没有与之对应的开始标签"
        return f"未知的标签“{name}”（可用：for、if、set 等）"
    if m := re.search(r"unexpected char '(.+?)'", message):
        return f"标签中有不能识别的字符“{m.group(1)}”（常见原因：用了中文标点或全角符号，请改为英文半角）"
    if m := re.search(r"expected token '(.+?)', got '(.+?)'", message):
        return f"写法有误：此处应为“{_token(m.group(1))}”，实际是“{_token(m.group(2))}”"
    if m := re.search(r"unexpected end of template, expected '(.+?)'", message):
        return f"标签不完整：缺少“{_token(m.group(1))}”"
    if m := re.search(r"unexpected '(.+?)'", message):
        return f"出现了意外的“{_token(m.group(1))}”，请检查括号、引号是否成对"
    if "expected an expression" in message.lower():
        return "标签中缺少内容（如占位符名称）"
    if "tag name expected" in message:
        return "“{% %}”中缺少标签名（如 for、if）"
    return "标签写法有误，无法识别"


def _probe(tag: str) -> str | None:
    """A template made of ``tag`` alone (a block tag closed by its end tag), or ``None``
    for a tag only checkable with its partners (else, elif, end…) or a comment."""
    tag = _DOCXTPL_PREFIX.sub(r"\1 ", tag)
    if tag.startswith("{{"):
        return tag
    words = tag[2:-2].split()
    if not words:
        return tag
    name = words[0]
    if name in _BLOCKS:
        return f"{tag}{{% end{name} %}}"
    if name.startswith("end") or name in ("else", "elif") or (name == "set" and "=" not in tag):
        return None
    return tag


def tag_problems(paragraphs, env) -> list[str]:
    """"第 3 段的标签“{{ a.name }”：…" for every tag that is wrong on its own, from
    ``paragraphs`` ([(number, text)], numbered as a reader counts them, 1-based)."""
    problems = []
    for number, text in paragraphs:
        for match in TAG_RE.finditer(text):
            probe = _probe(match.group(0))
            if probe is None:
                continue
            try:
                env.parse(probe)
            except TemplateSyntaxError as exc:
                problems.append(f"第 {number} 段的标签“{_short(match.group(0))}”：{reason(exc)}")
    return problems


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
