"""Word .docx reader: paragraphs and tables in document order, list labels rendered.

Reading rules (what later stages may rely on):

- Every ``w:p`` of the body is one paragraph number, in document order, counting the
  paragraphs inside tables (row by row, cell by cell) and empty paragraphs. That number is
  :attr:`SourceLine.number`, so a diagnostic points at "paragraph N".
- Each paragraph gives one :class:`SourceLine`, empty ones included. A soft line break
  (Shift+Enter, ``w:br``/``w:cr``) splits it into several lines with the same number: texts
  pasted from chat or web pages often use soft breaks between numbered items.
- A numbered paragraph gets its automatic label prepended ("一、" + "总体安排"); see
  :mod:`.numbering`. A separator space is added only when the label ends in a letter,
  digit or hanzi ("1.1 细则", "第一条 …"), so "一、总体安排", "1.…" and "①…" read as typed.
- Tables: their paragraphs are lines like any other (so a numbered list inside cells still
  reaches the outline stage), and each table is also a :class:`SourceTable` whose row number
  is the paragraph number of the row's first paragraph. Merged cells (``w:gridSpan``
  across, ``w:vMerge`` down) are filled with the merge's text and flagged in ``merged``.
  A cell's text is its lines joined with "\\n".
- Deleted revisions, moved-from text, hidden runs (``w:vanish``), field instructions,
  phonetic guides (``w:rt``) and text boxes are not read; inserted revisions are.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import DocumentError, SourceDocument, SourceLine, SourceTable
from .numbering import W, Numbering, parse_xml, w_val

_SKIP = {W + "del", W + "moveFrom", W + "txbxContent", W + "instrText", W + "delText", W + "rt",
         W + "rPr", W + "pPr", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


def read_docx(path: Path, name: str | None = None) -> SourceDocument:
    """Read a .docx file (a path) into a :class:`SourceDocument`.

    Raises :class:`DocumentError` when the file is not a readable Word document or holds no
    text at all.
    """
    name = name or path.name
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            main = _main_part(archive, names)
            if main is None:
                raise DocumentError(
                    f"{name}：不是 Word 文档（压缩包里没有 word/document.xml），"
                    "请用 WPS 或 Word 另存为 .docx 后重新上传"
                )
            document = parse_xml(archive.read(main))
            numbering = _optional(archive, names, "word/numbering.xml")
            styles = _optional(archive, names, "word/styles.xml")
    except DocumentError:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        # lxml's XMLSyntaxError is a ValueError subclass.
        raise DocumentError(f"{name}：文件已损坏或不是 Word 文档，无法读取（{exc}）；请用 WPS 或 Word 打开后另存为 .docx 再上传") from exc
    body = document.find(W + "body")
    reader = _BodyReader(Numbering(numbering, styles))
    if body is not None:
        reader.blocks(body)
    if not any(line.text.strip() for line in reader.lines):
        raise DocumentError(f"{name}：文档是空的，没有任何文字")
    return SourceDocument(name=name, lines=reader.lines, tables=reader.tables)


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main document part: normally word/document.xml; else the one [Content_Types] names."""
    if "word/document.xml" in names:
        return "word/document.xml"
    if "[Content_Types].xml" in names:
        types = parse_xml(archive.read("[Content_Types].xml"))
        for override in types:
            if (override.get("ContentType") or "").endswith("document.main+xml"):
                return (override.get("PartName") or "").lstrip("/") or None
    return None


def _optional(archive: zipfile.ZipFile, names: set[str], part: str):
    return parse_xml(archive.read(part)) if part in names else None


class _BodyReader:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.lines: list[SourceLine] = []
        self.tables: list[SourceTable] = []
        self.paragraph_no = 0

    def blocks(self, parent) -> list[str]:
        """Read the block children (paragraphs, tables, content controls) of ``parent``;
        return the texts of the lines produced (a table cell's content)."""
        texts: list[str] = []
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                texts.extend(self.paragraph(child))
            elif tag == W + "tbl":
                texts.extend(self.table(child))
            elif tag in (W + "sdt", W + "customXml", W + "ins"):
                content = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if content is not None:
                    texts.extend(self.blocks(content))
        return texts

    def paragraph(self, p) -> list[str]:
        self.paragraph_no += 1
        segments = [""]
        _collect(p, segments)
        label = self.numbering.label(p)
        if label:
            first = segments[0]
            separator = " " if first and _needs_separator(label[-1]) else ""
            segments[0] = label + separator + first
        for text in segments:
            self.lines.append(SourceLine(number=self.paragraph_no, text=text))
        return segments

    def table(self, tbl) -> list[str]:
        rows: list[tuple[int, list[str]]] = []
        merged: dict[tuple[int, int], bool] = {}
        above: dict[int, str] = {}  # grid column -> text of the vertical merge running there
        texts: list[str] = []
        for tr in _children(tbl, "tr"):
            row_no = self.paragraph_no + 1
            trpr = tr.find(W + "trPr")
            cells = [""] * (_int(w_val(trpr, "gridBefore")) or 0)
            covered: list[int] = []
            for tc in _children(tr, "tc"):
                tcpr = tc.find(W + "tcPr")
                span = max(_int(w_val(tcpr, "gridSpan")) or 1, 1)
                vmerge_el = tcpr.find(W + "vMerge") if tcpr is not None else None
                cell_lines = self.blocks(tc)
                texts.extend(cell_lines)
                text = "\n".join(t.strip() for t in cell_lines if t.strip())
                col = len(cells)
                continues = vmerge_el is not None and vmerge_el.get(W + "val", "continue") == "continue"
                if continues:
                    text = above.get(col, "")
                    covered.extend(range(col, col + span))
                else:
                    covered.extend(range(col + 1, col + span))
                for k in range(span):
                    if vmerge_el is not None:
                        above[col + k] = text
                    else:
                        above.pop(col + k, None)
                    cells.append(text)
            for col in covered:
                merged[(row_no, col)] = True
            rows.append((row_no, cells))
        width = max((len(cells) for _, cells in rows), default=0)
        for _, cells in rows:
            cells.extend([""] * (width - len(cells)))
        if rows:
            self.tables.append(SourceTable(name=f"table {len(self.tables) + 1}", rows=rows, merged=merged))
        return texts


def _children(parent, local: str):
    """Direct ``w:<local>`` children, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == W + local:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _children(content, local)


def _collect(element, segments: list[str]) -> None:
    """Append the visible text under ``element`` to ``segments`` (a new segment per line break)."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "r" and _hidden(child):
            continue
        if tag == W + "t":
            segments[-1] += child.text or ""
        elif tag == W + "tab":
            segments[-1] += "\t"
        elif tag in (W + "br", W + "cr"):
            segments.append("")
        elif tag == W + "noBreakHyphen":
            segments[-1] += "-"
        elif tag in (W + "p", W + "tbl"):
            continue  # nested block content (inside drawings) is not part of this paragraph
        else:
            _collect(child, segments)


def _needs_separator(last: str) -> bool:
    """A label ending in a letter, digit or hanzi ("1.1", "第一条") needs a space before the
    text; one ending in punctuation or an enclosed number ("一、", "（一）", "①") does not."""
    return (last.isascii() and last.isalnum()) or "\u4e00" <= last <= "\u9fff"


def _hidden(run) -> bool:
    rpr = run.find(W + "rPr")
    vanish = rpr.find(W + "vanish") if rpr is not None else None
    return vanish is not None and vanish.get(W + "val", "true") not in ("0", "false", "off")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
