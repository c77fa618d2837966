"""Lines → plan tree: clean, outline, then read dates, recurrence, owners and evidence.

Pure Python. Input is a :class:`SourceDocument` (from a reader or from text); output a
:class:`PlanDraft`. Rules and their sources are in the docstrings of the stage modules; an
enumeration "一是……；二是……" inside a task becomes sub-items or stays text as
``enumeration`` decides.
"""

from __future__ import annotations

import re

from . import dates as dates_mod
from .clean import clean_line
from .enumeration import find_parts, part_owners, part_title_text, separate_work
from .evidence import suggest_evidence
from .forwarding import split_forwarding
from .model import (
    KIND_NOTE, KIND_SECTION, KIND_TASK, LEVEL_INFO, LEVEL_WARNING,
    Diagnostic, DocumentError, Node, PlanDraft, SourceDocument,
)
from .outline import Line, Outline, OutlineItem, build_outline
from .recurrence import parse_recurrence
from .responsible import owners_from_text, responsible_from_text, subject_level

# Top-level styles that are headings of parts of a document, never tasks by themselves.
_SECTION_STYLES = {"一、", "一.", "（一）", "第章", "第部分", "第节", "Ⅰ"}
# Styles of the parts a document is divided into above its 一、 headings (第一部分, Ⅰ、, 第一章):
# below such a section the next level is judged like a top level, by its style, so
# "第一部分 / 一、 / 1." keeps 一、 a section and 1. a task, as "一、 / 1." alone does.
_PART_STYLES = {"第部分", "第章", "Ⅰ"}
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+")
_CLAUSE_SPLIT_RE = re.compile(r"[，,]")
_END_PUNCT = "。！？!?；;，,、：: "
_MAX_PHRASES_PER_LINE = 5  # a pasted table in one line must not flood the report
_TITLE_MAX = 20  # a longer first sentence is cut at its first comma (seed 二.11, 三.2（3）)


def make_title(text: str) -> str:
    """The title of an item from the text after its label: the first sentence without end
    punctuation ("召开党委会。研究谋划…" → "召开党委会", seed 二.1). A first sentence longer than
    20 characters, or one with a clause that is only a date, is cut to its first other clause
    ("9月底之前，各党支部需单独制定学习计划，…" → "各党支部需单独制定学习计划", seed 三.2（1）;
    "召开党委会，10月15日前完成" → "召开党委会"), passing over a lead-in clause that says how
    rather than what ("党支部结合实际，每月至少安排1天时间进行集中学习，…" → "每月至少安排1天时间
    进行集中学习", seed 三.2（3）).
    """
    match = _SENTENCE_RE.search(text)
    sentence = match.group().strip() if match else text.strip()
    clauses = [c.strip() for c in _CLAUSE_SPLIT_RE.split(sentence) if c.strip()]
    if len(clauses) > 1:
        # Only a sentence with a date in it can have a date-only clause (big documents).
        dated = dates_mod.may_hold_date(sentence)
        kept = ([c for c in clauses if not _is_date_only(c)] or clauses) if dated else clauses
        if len(sentence) > _TITLE_MAX or len(kept) < len(clauses):
            sentence = next((c for c in kept if not _is_lead_in(c)), kept[0])
    return sentence.strip(_END_PUNCT)


# Lead-in clauses of official documents: the basis or manner of the work, not the work itself
# ("根据……要求", "按照……部署", "党支部结合实际", "围绕……").
_LEAD_IN_RE = re.compile(r"^(?:根据|按照|依照|依据|对照|围绕|结合)|(?:结合|立足|从)(?:本单位|本支部)?实际$"
                         r"|^为了?.*(?:精神|要求|部署|指示|决策)$")


def _is_lead_in(clause: str) -> bool:
    return bool(_LEAD_IN_RE.search(clause))


# A clause that is only a date is short ("2023年12月31日之前全部完成" is 16 characters).
_DATE_ONLY_MAX = 24


def _is_date_only(clause: str) -> bool:
    if len(clause) > _DATE_ONLY_MAX:
        return False
    deadline = dates_mod.parse_deadline(clause, year=2000)
    if deadline is None:
        return False
    rest = clause.replace(deadline.phrase.split("、")[0], "")
    return len(re.sub(r"[之以]?前|底|完成|以内|内|起", "", rest).strip()) == 0


class _Builder:
    """Turns an :class:`Outline` into nodes; holds the document-wide facts (period, year)."""

    def __init__(self, outline: Outline, name: str):
        self.outline = outline
        self.name = name
        self.diagnostics: list[Diagnostic] = list(outline.diagnostics)
        self.period: tuple | None = None
        self.period_line: int | None = None
        self.period_phrase: str = ""
        self.year: int | None = None
        self.default_responsible: str | None = None

    def find_document_facts(self, all_lines: list[Line]) -> None:
        for number, text in all_lines:
            found = dates_mod.find_period(text)
            if found is not None:
                self.period = (found[0], found[1])
                self.period_line = number
                self.period_phrase = text[found[2][0]:found[2][1]]
                break
        title = self.outline.title[1] if self.outline.title else ""
        self.year = dates_mod.year_in(title)
        if self.year is None and self.outline.signature:
            self.year = dates_mod.year_in(self.outline.signature[-1][1])
        if self.period is None:
            self.diagnostics.append(Diagnostic(
                line=None, level=LEVEL_INFO,
                message="未找到主题教育期间（如“从2023年9月开始，2024年1月基本结束”），请在导入后填写期间",
            ))
        self.default_responsible = responsible_from_text(title)

    def _dated_text(self, number: int, text: str) -> str:
        """The line as the deadline reader should see it: the period phrase blanked out, so
        section 二 of the seed does not get the campaign's end as its deadline."""
        if number == self.period_line and self.period_phrase:
            return text.replace(self.period_phrase, " ", 1)
        return text

    def _blank_period(self, text: str, first: int, last: int) -> str:
        """``text`` (a part of lines ``first``..``last``) with the period phrase blanked out when
        it is on one of those lines (see :meth:`_dated_text`)."""
        if self.period_phrase and self.period_line is not None and first <= self.period_line <= last:
            return text.replace(self.period_phrase, " ", 1)
        return text

    def sub_items(self, body_lines: list[Line], responsible: str | None) -> tuple[list[Node], str]:
        """The parts of an enumeration "一是……；二是……" in a task's text as child tasks, and
        the task's text outside them (its lead-in and any closing sentence), or ([], "") when
        the enumeration stays text. The decision and its source: ``enumeration`` module."""
        body = "\n".join(text for _, text in body_lines)
        parts = find_parts(body)
        if not parts:
            return [], ""
        starts, offset = [], 0
        for number, text in body_lines:
            starts.append((offset, number))
            offset += len(text) + 1

        def line_at(pos: int) -> int:
            return next(number for start, number in reversed(starts) if start <= pos)

        drafts, own, subjects = [], [], []
        for part in parts:
            first, last = line_at(part.start), line_at(max(part.end - 1, part.start))
            part_body = body[part.body_start:part.end]
            dated = self._blank_period(part_body, first, last)
            deadline = dates_mod.parse_deadline(dated, self.period, self.year)
            recurrence = parse_recurrence(dated)
            owners = part_owners(part_body)
            subject = subject_level(part_body)
            own.append(bool(deadline or recurrence or owners))
            subjects.append(subject)
            drafts.append((part, first, last, deadline, recurrence, owners, subject))
        if not separate_work(own, subjects):
            return [], ""

        children = []
        for part, first, last, deadline, recurrence, owners, subject in drafts:
            text = body[part.start:part.end]
            title = make_title(part_title_text(body[part.body_start:part.end], part.label))
            children.append(Node(
                label=part.label,
                kind=KIND_TASK,
                title=title,
                text=text,
                responsible=(owners.responsible if owners else None) or subject or responsible,
                due=deadline.due if deadline else None,
                due_workday=deadline.due_workday if deadline else None,
                recurrence=recurrence.rrule if recurrence else None,
                evidence=suggest_evidence(text, title),
                lines=(first, last),
                min_count=recurrence.min_count if recurrence else 1,
                lead_unit=owners.lead_unit if owners else "",
                responsible_units=owners.responsible_units if owners else "",
                ongoing=bool(deadline and deadline.ongoing),
            ))
        rest = body[:parts[0].start] + "\n" + body[parts[-1].end:]
        rest = self._blank_period(rest, body_lines[0][0], body_lines[-1][0])
        return children, rest

    def node(self, item: OutlineItem, inherited: str | None, section_level: bool,
             in_requirements: bool = False) -> Node:
        """One outline item as a Node; ``in_requirements`` marks the items under a heading
        such as 工作要求 (seed 四): requirements on how to work, kept as notes, not tasks.
        ``section_level``: this item's level is a level of section headings (the top level,
        or the level under a 第一部分/Ⅰ/第一章 part, :func:`_level_is_section`)."""
        own_text = "\n".join(text for _, text in item.lines)
        label = item.label.text if item.label else ""
        head = item.label.rest if item.label else item.lines[0][1]
        head_line = head
        if not head and len(item.lines) > 1:  # a label alone on its line: title on the next
            head = item.lines[1][1]
        title = make_title(head)
        if item.note or in_requirements:
            kind = KIND_NOTE
        elif section_level:
            kind = KIND_SECTION
        else:
            kind = KIND_TASK

        owners = owners_from_text(own_text)
        if owners is not None and owners.responsible:
            responsible = owners.responsible
        elif item.depth == 0 or kind == KIND_SECTION:
            responsible = responsible_from_text(title) or inherited
        else:
            responsible = inherited or responsible_from_text(title)

        # Dates and recurrence are read without the label: in "12.10月底前" the label's
        # digits would otherwise touch the month.
        body_lines = [(item.lines[0][0], head_line)] + item.lines[1:]
        sub_items: list[Node] = []
        rest = ""
        if kind == KIND_TASK and not item.children:
            sub_items, rest = self.sub_items(body_lines, responsible)
        if sub_items:
            # The task's own schedule is what its text says outside its parts.
            dated = rest
        else:
            dated = "\n".join(self._dated_text(n, t) for n, t in body_lines)
        deadline = dates_mod.parse_deadline(dated, self.period, self.year)
        for number, text in body_lines:
            phrases = dates_mod.unparsed_deadline_phrases(self._dated_text(number, text), self.period, self.year)
            for phrase in phrases[:_MAX_PHRASES_PER_LINE]:
                self.diagnostics.append(Diagnostic(
                    line=number, level=LEVEL_WARNING, message=f"无法识别完成时限：{phrase}",
                ))
            if len(phrases) > _MAX_PHRASES_PER_LINE:
                self.diagnostics.append(Diagnostic(
                    line=number, level=LEVEL_WARNING,
                    message=f"本行另有 {len(phrases) - _MAX_PHRASES_PER_LINE} 处完成时限无法识别",
                ))
        recurrence = parse_recurrence(dated)
        if kind == KIND_SECTION and recurrence is not None:
            # A section heads tasks; a recurrence in its own text belongs to a task written
            # without a number under it, never to the section (issue 16 §2).
            self.diagnostics.append(Diagnostic(
                line=item.first_line, level=LEVEL_WARNING,
                message=f"“{title}”是章节标题，其正文中的周期要求（{_rrule_words(recurrence.rrule)}）"
                        "未计入章节，请在预览中补为任务",
            ))
            recurrence = None

        node = Node(
            label=label,
            kind=kind,
            title=title,
            text=own_text,
            responsible=responsible,
            due=deadline.due if deadline else None,
            due_workday=deadline.due_workday if deadline else None,
            recurrence=recurrence.rrule if recurrence else None,
            evidence=(suggest_evidence(rest if sub_items else own_text, title)
                      if kind == KIND_TASK else None),
            lines=(item.first_line, item.last_line),
            min_count=recurrence.min_count if recurrence else 1,
            lead_unit=owners.lead_unit if owners else "",
            responsible_units=owners.responsible_units if owners else "",
            ongoing=bool(deadline and deadline.ongoing),
        )
        if node.kind == KIND_NOTE:
            node.responsible = None
        requirements = in_requirements or (
            kind == KIND_SECTION and REQUIREMENT_HEADINGS.search(title) is not None)
        children_are_sections = (kind == KIND_SECTION and item.label is not None
                                 and item.label.style in _PART_STYLES
                                 and _level_is_section(item.children, top=False))
        node.children = [self.node(child, responsible, children_are_sections, requirements)
                         for child in item.children]
        node.children.extend(sub_items)
        return node


def _rrule_words(rrule: str) -> str:
    """A recurrence as the documents write it (for messages)."""
    words = {"FREQ=WEEKLY": "每周", "FREQ=MONTHLY": "每月", "FREQ=MONTHLY;BYMONTHDAY=-1": "每月底前",
             "FREQ=MONTHLY;INTERVAL=3": "每季度", "FREQ=MONTHLY;INTERVAL=6": "每半年", "FREQ=YEARLY": "每年"}
    return words.get(rrule, rrule)


# Section headings whose numbered items state how to work rather than work to deliver
# (seed 四、工作要求: 层层压实责任, 杜绝形式主义 …): their items are notes, never assigned.
REQUIREMENT_HEADINGS = re.compile(r"工作要求|有关要求|保障措施|组织保障|工作保障|注意事项|组织领导")


def _level_is_section(items: list[OutlineItem], top: bool = True) -> bool:
    """Items of one level are sections when their style is a heading style (一、 （一） 第一章
    Ⅰ、 第一部分) and one of them has numbered children (seed: 一 has none and is still a
    section; a level of such headings none of which has children is a level of tasks), or,
    at the top level, when any of them has numbered children. Under a part (第一部分, Ⅰ、, 第一章) only the style counts:
    "第一章 / 第一条" articles with sub-points stay tasks."""
    numbered = [item for item in items if item.label is not None]
    if not numbered:
        return False
    has_children = any(item.children for item in numbered)
    if numbered[0].label.style in _SECTION_STYLES:
        # A document that is only "一、 二、 三、" with text under each (bold typed headings,
        # no sub-items) lists its tasks at that level: sections of nothing would leave no
        # task at all (issue 16 §2).
        return has_children
    return top and has_children


def _top_is_section(items: list[OutlineItem]) -> bool:
    """Whether the top-level items are sections (:func:`_level_is_section` at the top)."""
    return _level_is_section(items)


def draft_from_lines(lines: list[Line], name: str) -> PlanDraft:
    """Build a :class:`PlanDraft` from cleaned (line number, text) pairs.

    Raises :class:`DocumentError` (one line naming ``name``) when there is no text or no
    numbered item.
    """
    if not any(text for _, text in lines):
        raise DocumentError(f"{name}：文档是空的，没有任何文字")
    outline = build_outline(lines)
    if not any(item.label is not None for item in outline.items):
        raise DocumentError(
            f"{name}：没有找到带编号的条目（条目应以“一、”“（一）”“1.”“1、”等编号开头）"
        )
    builder = _Builder(outline, name)
    builder.find_document_facts([line for line in lines if line[1]])
    top_is_section = _top_is_section(outline.items)
    items = [builder.node(item, builder.default_responsible, top_is_section) for item in outline.items]
    if not any(node.kind == KIND_TASK for item in items for node in item.walk()):
        builder.diagnostics.append(Diagnostic(
            line=None, level=LEVEL_WARNING,
            message="没有识别出任何任务：编号的条目都被读作章节标题或说明；请在预览中把要落实的条目改为“任务”",
        ))
    diagnostics = sorted(builder.diagnostics, key=lambda d: (d.line is None, d.line or 0))
    return PlanDraft(
        title=outline.title[1] if outline.title else name,
        preamble="\n".join(text for _, text in outline.preamble),
        period_start=builder.period[0] if builder.period else None,
        period_end=builder.period[1] if builder.period else None,
        items=items,
        diagnostics=diagnostics,
    )


def draft_from_document(doc: SourceDocument) -> PlanDraft:
    """Clean every line of ``doc`` and build the plan from its outline (not its tables).

    Raises :class:`DocumentError` for an empty document or one without numbered items.
    """
    lines = [(line.number, clean_line(line.text)) for line in doc.lines]
    forwarding, plan_lines = split_forwarding(lines)
    if not forwarding:
        return draft_from_lines(lines, doc.name)
    draft = draft_from_lines(plan_lines, doc.name)
    notice = "\n".join(text for _, text in forwarding if text)
    draft.preamble = notice + ("\n" + draft.preamble if draft.preamble else "")
    first = next(number for number, text in plan_lines if text)
    draft.diagnostics.insert(0, Diagnostic(
        line=first, level=LEVEL_INFO,
        message=f"这是一份转发通知：任务清单从第 {first} 行“{draft.title}”读起，转发说明作为前言，不作为任务"))
    return draft
