"""Word templates (docxtpl): checking an office's template, rendering, and the final check.

A report declares the placeholders it provides as a *schema*: a dict whose keys are names
and whose values are either a description (a leaf: text, a number, a date in words), a
nested dict (an object: ``meeting.place``) or a one-element list holding the dict of one
row (``{% for a in absentees %}{{ a.name }}``). :func:`check_template` reads a template the
way docxtpl will render it and refuses:

- a placeholder the report does not provide, naming it (``meeting.plce``);
- a tag that Word split across paragraphs (it cannot be rejoined), naming it;
- a template Jinja cannot parse, with the reason.

A tag split across *runs* of one paragraph (what Word leaves after a spell-check or an edit
inside the braces) is rejoined by :func:`rejoin_split_tags`, so the stored template holds
every tag in one run. After rendering, :func:`render` fails when any tag text survives in
the output (``{{``, ``{%`` …), so a document never goes out with a half-filled field.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, nodes

from .template_errors import not_a_docx_reason, reason, tag_problems

TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPEN_RE = re.compile(r"\{\{|\{%|\{#")
LEFTOVER_RE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
W_P, W_T = qn("w:p"), qn("w:t")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class TemplateRefused(ValueError):
    """The template cannot be used; ``errors`` lists every reason (Chinese, each naming the
    placeholder or tag)."""

    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


class OutputError(RuntimeError):
    """A rendered document still holds template tags (named in the message)."""


def _xml_parts(document):
    """The body, header and footer parts of a python-docx document (each an XmlPart)."""
    main = document.part
    yield main
    for rel in main.rels.values():
        if not rel.is_external and isinstance(rel.target_part, XmlPart) and (
                rel.reltype.endswith("/header") or rel.reltype.endswith("/footer")):
            yield rel.target_part


def _paragraph_texts(element):
    """(paragraph, its w:t elements) for every paragraph under ``element``; the w:t of a
    nested paragraph (a text box) belong to that paragraph only."""
    for p in element.iter(W_P):
        texts = [t for t in p.iter(W_T) if next(t.iterancestors(W_P)) is p]
        yield p, texts


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def rejoin_split_tags(document) -> tuple[int, list[str]]:
    """Move every tag of a paragraph that spans several runs into its first run.

    Returns (tags rejoined, errors): an error names each tag opened in a paragraph and not
    closed there (split across paragraphs or never closed), which cannot be rejoined."""
    joined, errors = 0, []
    for part in _xml_parts(document):
        after_open = False  # the previous paragraph left a tag open: its end is not a new error
        for _p, texts in _paragraph_texts(part._element):
            if not texts:
                continue
            values = [t.text or "" for t in texts]
            full = "".join(values)
            if not OPEN_RE.search(full) and "}}" not in full and "%}" not in full:
                continue
            owner = [i for i, value in enumerate(values) for _ in value]
            covered = 0
            for match in TAG_RE.finditer(full):
                start, end = match.span()
                if owner[start] != owner[end - 1]:
                    joined += 1
                    for k in range(start, end):
                        owner[k] = owner[start]
                covered = end
            rest = full[covered:]
            opened = OPEN_RE.search(rest)
            if opened:
                after_open = True
                errors.append(f"标签“{_short(rest[opened.start():])}”在段落内没有结束（被拆到了多个段落或缺少结束符），请在 Word 中重新输入该标签")
            elif "}}" in full and full.count("}}") > full.count("{{") and not after_open:
                errors.append(f"标签结束符“}}}}”前缺少开始符：“{_short(full)}”")
            else:
                after_open = False
            new = [""] * len(values)
            for k, ch in enumerate(full):
                new[owner[k]] += ch
            for t, value in zip(texts, new):
                if t.text != value:
                    t.text = value
                    t.set(XML_SPACE, "preserve")
    return joined, errors


def jinja_env() -> Environment:
    """The Jinja environment of every report: undefined names are errors, values escaped."""
    return Environment(undefined=StrictUndefined, autoescape=True)


def template_source(content: bytes) -> str:
    """The Jinja source docxtpl renders from a .docx (body, headers and footers)."""
    from docxtpl import DocxTemplate

    from docx.oxml import parse_xml

    tpl = DocxTemplate(io.BytesIO(content))
    tpl.init_docx()
    source = tpl.patch_xml(tpl.get_xml())
    for rel in tpl.docx.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            source += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return source


def unknown_placeholders(source: str, schema: dict) -> list[str]:
    """Dotted names used by the Jinja ``source`` that ``schema`` does not provide (sorted).
    Loop variables take the schema of one row of the list they iterate; ``loop`` and names
    set inside the template are allowed."""
    ast = jinja_env().parse(source)
    unknown: set[str] = set()

    def resolve(node, scope):
        """(schema of node or None when unknown/any, dotted name)."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name], node.name
            if node.name in schema:
                return schema[node.name], node.name
            unknown.add(node.name)
            return None, node.name
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            inner, name = resolve(node.node, scope)
            if not isinstance(attr, str):
                visit(node.arg, scope)
                return (inner[0] if isinstance(inner, list) and inner else None), name + "[…]"
            dotted = f"{name}.{attr}"
            if isinstance(inner, dict):
                if attr in inner:
                    return inner[attr], dotted
                unknown.add(dotted)
            return None, dotted
        visit(node, scope)
        return "any", ""

    def visit(node, scope):
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            resolve(node, scope)
            return
        if isinstance(node, nodes.For):
            iterated, _ = resolve(node.iter, scope)
            row = iterated[0] if isinstance(iterated, list) and iterated else "any"
            inner = dict(scope, loop="any")
            for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                inner[target.name] = row if isinstance(node.target, nodes.Name) else "any"
            for child in node.body + node.else_:
                visit(child, inner)
            if node.test is not None:
                visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign):
            visit(node.node, scope)
            for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                scope[target.name] = "any"
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(ast, {})
    return sorted(unknown)


def check_template(content: bytes, schema: dict, name: str = "") -> bytes:
    """Check an uploaded template against a report's ``schema``; returns the template with
    split tags rejoined. Raises :class:`TemplateRefused` with every reason, each naming the
    file (``name``) and the placeholder or tag."""
    prefix = f"{name}：" if name else ""
    try:
        document = Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a non-.docx
        raise TemplateRefused([f"{prefix}不是有效的 Word（.docx）文件：{not_a_docx_reason(content)}"]) from exc
    _joined, errors = rejoin_split_tags(document)
    if errors:
        raise TemplateRefused([prefix + e for e in errors])
    out = io.BytesIO()
    document.save(out)
    fixed = out.getvalue()
    try:
        unknown = unknown_placeholders(template_source(fixed), schema)
    except TemplateSyntaxError as exc:  # named by paragraph and tag, in Chinese
        paragraphs = [(n, "".join(t.text or "" for t in texts)) for n, (_p, texts) in enumerate(
            (pt for part in _xml_parts(document) for pt in _paragraph_texts(part._element)), start=1)]
        problems = tag_problems(paragraphs, jinja_env()) or [f"模板标签有误：{reason(exc)}"]
        raise TemplateRefused([prefix + p for p in problems]) from exc
    if unknown:
        raise TemplateRefused([f"{prefix}占位符“{u}”不是本报告提供的数据，请检查拼写" for u in unknown])
    return fixed


def leftover_tags(content: bytes) -> list[str]:
    """Paragraph texts of a rendered .docx that still hold tag text ({{ }} {% %} {# #})."""
    document = Document(io.BytesIO(content))
    found = []
    for part in _xml_parts(document):
        for _p, texts in _paragraph_texts(part._element):
            text = "".join(t.text or "" for t in texts)
            if LEFTOVER_RE.search(text):
                found.append(_short(text))
    return found


class Photo:
    """A picture for a template (``{{ p }}`` in its own paragraph): image bytes and the
    printed width in millimetres; turned into docxtpl's ``InlineImage`` when rendering."""

    def __init__(self, content: bytes, width_mm: int = 120):
        self.content, self.width_mm = content, width_mm


def _with_images(value, tpl):
    from docx.shared import Mm
    from docxtpl import InlineImage

    if isinstance(value, Photo):
        return InlineImage(tpl, io.BytesIO(value.content), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _with_images(v, tpl) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_images(v, tpl) for v in value]
    return value


def render(template: bytes, context: dict) -> bytes:
    """Render a checked template with ``context`` (:class:`Photo` values become pictures);
    returns the .docx bytes. Raises :class:`OutputError` when tag text survives in the
    output (naming it), and Jinja's ``UndefinedError`` when the context lacks a name the
    template uses."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(_with_images(context, tpl), jinja_env=jinja_env(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    content = out.getvalue()
    leftovers = leftover_tags(content)
    if leftovers:
        raise OutputError(f"生成的文档中仍有未替换的模板标签：“{leftovers[0]}”")
    return content


def schema_lines(schema: dict, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted placeholder, description) of every leaf of ``schema``, for the help page;
    a list's rows are shown as ``name[].field``."""
    lines = []
    for key, value in schema.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            lines.extend(schema_lines(value, dotted + "."))
        elif isinstance(value, list):
            lines.extend(schema_lines(value[0], dotted + "[]."))
        else:
            lines.append((dotted, str(value)))
    return lines


class BatchRenderer:
    """One template rendered many times, fast (the archive's meeting records): the template
    is read, patched and compiled once, and each document swaps its rendered body into the
    template's package (the steps of docxtpl's ``render`` for the body). A template whose
    headers or footers hold tags is rendered by :func:`render` instead. Each output is
    checked for surviving tags like :func:`render` (raises :class:`OutputError`)."""

    def __init__(self, template: bytes):
        import copy
        import zipfile

        from docxtpl import DocxTemplate
        from lxml import etree

        self.template = template
        self.tpl = DocxTemplate(io.BytesIO(template))
        self.tpl.init_docx()
        with zipfile.ZipFile(io.BytesIO(template)) as package:
            self.entries = [(info, package.read(info.filename)) for info in package.infolist()]
        self.fallback = any(
            name.startswith(("word/header", "word/footer")) and OPEN_RE.search(data.decode("utf-8", "replace"))
            for name, data in ((info.filename, data) for info, data in self.entries))
        if self.fallback:
            return
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", self.tpl.patch_xml(self.tpl.get_xml()))
        self.compiled = jinja_env().from_string(source)
        root = copy.deepcopy(self.tpl.docx.element)
        root.replace(root.find(qn("w:body")), etree.Element("TAIZHANG-BODY"))
        head, tail = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).split(
            b"<TAIZHANG-BODY/>")
        self.head, self.tail = head, tail

    def render(self, context: dict) -> bytes:
        """The .docx bytes of the template filled with ``context``."""
        import zipfile

        if self.fallback:
            return render(self.template, context)
        body = re.sub(r"\n<w:p([ >])", r"<w:p\1", self.compiled.render(context))
        body = (body.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}"))
        body = self.tpl.resolve_listing(body)
        for paragraph in body.split("</w:p>"):
            text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph))
            if LEFTOVER_RE.search(text):
                raise OutputError(f"生成的文档中仍有未替换的模板标签：“{_short(text)}”")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info, data in self.entries:
                if info.filename == "word/document.xml":
                    data = self.head + body.encode("utf-8") + self.tail
                # Level 1: compressing the template's unchanged parts again is most of the
                # time of a record; the fastest level keeps the file ~10 % larger.
                package.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        return out.getvalue()
