"""The progress board: organizations (rows) × tasks (columns), each cell coloured by status.

Built with a constant number of queries whatever the number of branches: the tasks, the
assignments of the campaign and one aggregate over its occurrences, then a matrix in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.scoping import path_q, scope_paths
from taizhang.core.workdays import workdays_until

from . import counting, evidence
from .models import (
    Assignment,
    AssignmentStatus,
    Campaign,
    EvidencePer,
    EvidenceRule,
    Occurrence,
    PlanItem,
    Responsible,
)
from .services import assignable_items

DUE_SOON_WORKDAYS = 3  # "due in 3 working days" (issue: reminders and the board agree)

NOT_STARTED = "not_started"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
DONE = "done"
SUBMITTED = "submitted"
RETURNED = "returned"

STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("未开始"),
    DUE_SOON: gettext_lazy("即将到期"),
    OVERDUE: gettext_lazy("已逾期"),
    SUBMITTED: gettext_lazy("待审核"),
    RETURNED: gettext_lazy("已退回"),
    DONE: gettext_lazy("已完成"),
}


@dataclass
class Cell:
    """One board cell: an assignment's display status and, if recurring, periods done/total."""

    assignment_id: int
    status: str
    due: dt.date | None
    done: int = 0
    total: int = 0
    url: str = ""
    label_text: str = ""  # the status label, translated once per board (not per cell)

    @property
    def label(self) -> str:
        return self.label_text or str(STATUS_LABELS[self.status])

    @property
    def periods(self) -> str:
        """What a recurring task's cell counts: "3/5期" (periods done of all), else ""."""
        return _("%(done)d/%(total)d期") % {"done": self.done, "total": self.total} if self.total > 1 else ""

    @property
    def title(self) -> str:
        """Tooltip text: status, periods done and deadline (built here, not per cell in the
        template)."""
        head = f"{self.label}（{_('已完成')} {self.periods}）" if self.total > 1 else self.label
        return f"{head} · {self.due:%Y-%m-%d}" if self.due else head


@dataclass
class Row:
    """One organization's row; ``path`` its tree path (for rolling rows up per child
    organization, ``plans.rollup``); ``drill_url`` set on a rolled-up row."""

    org_id: int
    org_name: str
    cells: list[Cell | None]
    counts: dict[str, int] = field(default_factory=dict)
    path: str = ""
    drill_url: str = ""


@dataclass
class Board:
    items: list[PlanItem]
    rows: list[Row]
    column_counts: list[dict[str, int]]
    totals: dict[str, int]


def display_status(stored: str, due: dt.date | None, today: dt.date) -> str:
    """The colour of a cell: done / submitted / returned as stored, else by the deadline.

    Overdue when ``due`` is before ``today``; due soon when it is at most
    ``DUE_SOON_WORKDAYS`` working days away (Chinese working-day calendar).
    """
    if stored == AssignmentStatus.DONE:
        return DONE
    if stored == AssignmentStatus.SUBMITTED:
        return SUBMITTED
    if stored == AssignmentStatus.RETURNED:
        return RETURNED
    if due is None:
        return NOT_STARTED
    if due < today:
        return OVERDUE
    if workdays_until(today, due) <= DUE_SOON_WORKDAYS:
        return DUE_SOON
    return NOT_STARTED


def _under(item: PlanItem, section_id: int, parents: dict[int, int | None]) -> bool:
    node = item.pk
    while node is not None:
        if node == section_id:
            return True
        node = parents.get(node)
    return False


def board_columns(campaign: Campaign, responsible: str = Responsible.BRANCH, section: int | None = None,
                  month: dt.date | None = None) -> list[PlanItem]:
    """The board's columns: the assignable tasks of ``campaign``'s plan at the ``responsible``
    level (branch tasks include member-level ones), kept under top-level ``section``; with
    ``month`` (a first day) recurring tasks and those due in that month. One query."""
    levels = ([Responsible.BRANCH, Responsible.MEMBER] if responsible == Responsible.BRANCH
              else [Responsible.COMMITTEE, ""])
    all_items = list(campaign.plan.items.defer("text"))  # the long text: not shown
    parents = {i.pk: i.parent_id for i in all_items}
    items = [i for i in assignable_items(campaign.plan, all_items) if i.responsible in levels]
    if section:
        items = [i for i in items if _under(i, section, parents)]
    if month:
        month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        items = [i for i in items if i.recurrence or (
            i.effective_due and month <= i.effective_due <= month_end)]
    return items


def build_board(campaign: Campaign, user, responsible: str = Responsible.BRANCH,
                today: dt.date | None = None, section: int | None = None,
                month: dt.date | None = None, status: str | None = None, under=None) -> Board:
    """The board of ``campaign`` for the organizations ``user`` may see.

    ``responsible`` picks the columns: branch tasks (the default: the branches' board, which
    includes member-level tasks) or committee tasks. ``section`` keeps the tasks under one
    top-level section; ``month`` (the first day of a month) shows that month: recurring tasks
    by that month's period, other tasks only when due in it; ``status`` keeps the rows with
    at least one cell of that status; ``under`` (an Organization) keeps its subtree (the
    drill-down of a rolled-up board). Queries: a fixed handful, independent of the number of
    organizations and tasks. Per-cell work is cached per value: the status labels are
    translated once and the working-day distance computed once per deadline.
    """
    today = today or timezone.localdate()
    items = board_columns(campaign, responsible, section, month)
    if month:
        month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    item_index = {item.pk: n for n, item in enumerate(items)}

    assignments = Assignment.objects.filter(item__plan=campaign.plan, item__in=items)
    paths = scope_paths(user)
    if paths is not None:
        assignments = assignments.filter(path_q("org", paths)) if paths else assignments.none()
    if under is not None:
        assignments = assignments.filter(org__path__startswith=under.path)
    chosen = assignments
    assignments = list(
        assignments.order_by("org__path").values_list(
            "pk", "item_id", "org_id", "org__name", "status", "due", "evidence_count",
            "evidence_needed", "org__path",
        )
    )
    # a subquery, not 4,000 ids as parameters (building and binding them cost more than the SQL)
    occurrences = Occurrence.objects.filter(assignment__in=chosen.values("pk"))
    if month:
        occurrences = occurrences.filter(period_start__lte=month_end, period_end__gte=month)
    occ = {
        row["assignment_id"]: row
        for row in occurrences
        .values("assignment_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
            next_due=Min("due", filter=~Q(status=AssignmentStatus.DONE)),
            submitted=Count("pk", filter=Q(status=AssignmentStatus.SUBMITTED)),
            returned=Count("pk", filter=Q(status=AssignmentStatus.RETURNED)),
        )
    } if assignments else {}

    # One reverse() for all cells: 4,000 {% url %} tags were most of a big board's time.
    url_pattern = reverse("plans:assignment_detail", args=[0]).replace("/0/", "/{}/")
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    statuses: dict[tuple, str] = {}

    def status_of(stored, due):  # the same few (status, deadline) pairs per column
        key = (stored, due)
        found = statuses.get(key)
        if found is None:
            found = statuses[key] = display_status(stored, due, today)
        return found

    rows: dict[int, Row] = {}
    for pk, item_id, org_id, org_name, stored_status, due, count, needed, org_path in assignments:
        row = rows.get(org_id)
        if row is None:
            row = rows[org_id] = Row(org_id, org_name, [None] * len(items), path=org_path)
        agg = occ.get(pk)
        if agg:
            stored = (AssignmentStatus.DONE if agg["done"] == agg["total"]
                      else AssignmentStatus.RETURNED if agg["returned"]
                      else AssignmentStatus.SUBMITTED if agg["submitted"]
                      else AssignmentStatus.PENDING)
            cell_due = agg["next_due"]
            cell = Cell(pk, status_of(stored, cell_due), cell_due,
                        agg["done"], agg["total"])
        elif month and items[item_index[item_id]].recurrence:
            cell = None  # a recurring task without a period in this month
        else:
            # No "5/19": the evidence count of a one-off task adds up different requirements
            # (records, members, leaders); the cell says its status, the task page the rest.
            cell = Cell(pk, status_of(stored_status, due), due)
        if cell is not None:
            cell.url = url_pattern.format(pk)
            cell.label_text = labels[cell.status]
        row.cells[item_index[item_id]] = cell

    if status:
        rows = {k: r for k, r in rows.items() if any(c and c.status == status for c in r.cells)}
    column_counts = [dict.fromkeys(STATUS_LABELS, 0) for _ in items]
    totals = dict.fromkeys(STATUS_LABELS, 0)
    for row in rows.values():
        row.counts = dict.fromkeys(STATUS_LABELS, 0)
        for n, cell in enumerate(row.cells):
            if cell:
                row.counts[cell.status] += 1
                column_counts[n][cell.status] += 1
                totals[cell.status] += 1
    return Board(items, list(rows.values()), column_counts, totals)


def owing_by_org(campaign: Campaign, board: Board, today: dt.date | None = None,
                 month: dt.date | None = None) -> dict[int, str]:
    """org id → who still owes the per-person rules of the board's tasks (书记本人, 每名党员,
    班子成员每人), as "二.4：张三、李四；三.2（2）：王五" for the board's Excel export (issue 9 §3).

    A non-recurring task is read on its assignment; a recurring one on its period containing
    ``month`` (its first day) or else ``today`` (kept inside the campaign). Queries: a fixed
    handful (the rules, the targets, one per record rule, one for the names), independent
    of the number of organizations and members.
    """
    today = today or timezone.localdate()
    items = [i.pk for i in board.items]
    per_person = set(EvidenceRule.objects.filter(item_id__in=items).exclude(
        per=EvidencePer.RECORD).values_list("item_id", flat=True))
    org_ids = [row.org_id for row in board.rows]
    if not per_person or not org_ids:
        return {}
    day = month or today
    if campaign.start:
        day = max(day, campaign.start)
    if campaign.end:
        day = min(day, campaign.end)
    occurrences = evidence._occurrences().filter(
        assignment__item_id__in=per_person, assignment__org_id__in=org_ids,
        period_start__lte=day, period_end__gte=day)
    singles = evidence._single_assignments().filter(item_id__in=per_person, org_id__in=org_ids)
    targets = evidence.targets_for(occurrences, singles)
    evidence.count(targets)
    names = counting.owing_names(targets)
    order = {pk: n for n, pk in enumerate(items)}
    parts: dict[int, list[str]] = {}
    for target in sorted(targets, key=lambda t: order.get(t.item.pk, 0)):
        owed = [names[pk] for slot in sorted(target.owing) for pk in target.owing[slot] if pk in names]
        if owed:
            unique = "、".join(dict.fromkeys(owed))
            parts.setdefault(target.org.pk, []).append(f"{target.item.ref}：{unique}")
    return {org_id: "；".join(texts) for org_id, texts in parts.items()}
