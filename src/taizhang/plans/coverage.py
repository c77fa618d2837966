"""How each task of a plan is completed: by records, or only by a submission (issue 9 §4).

One entry, many uses (DESIGN.md, main job step 4) holds for a task when every one of its
evidence rules names a kind of record that some app registers (``core.sources``): the work
recorded once completes it. A task with no rule, or with a rule of a kind no app declares yet,
is answered by a written submission (需报送材料). :func:`plan_coverage` says which, task by
task, with each rule in words; the ``plan_coverage`` command and the plan page show it.

Read-only: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from taizhang.core import sources

from .evidence import evidence_label, record_rule
from .forms import RECURRENCE_CHOICES
from .models import EvidencePer, EvidenceRule, EvidenceWindow, Plan, PlanItem
from .publishing import assignable_items

@dataclass
class TaskCoverage:
    """One assignable task: ``rules`` in words (Chinese, one string per evidence rule) and
    whether records alone complete it (``by_records``)."""

    item: PlanItem
    rules: list[str] = field(default_factory=list)
    by_records: bool = False

    @property
    def how(self) -> str:
        """The rules joined with "；", or 需报送材料 when only a submission answers it."""
        return "；".join(self.rules) if self.by_records else _("需报送材料")


@dataclass
class Coverage:
    """The coverage of one plan: its assignable tasks in plan order."""

    tasks: list[TaskCoverage]

    @property
    def completed(self) -> int:
        """N: tasks with at least one rule, every rule of a registered kind."""
        return sum(1 for t in self.tasks if t.by_records)

    @property
    def total(self) -> int:
        """M: the plan's assignable tasks (``publishing.assignable_items``)."""
        return len(self.tasks)

    @property
    def by_submission(self) -> list[TaskCoverage]:
        """The tasks still answered by a submission."""
        return [t for t in self.tasks if not t.by_records]

    @property
    def line(self) -> str:
        """The summary line, exactly ``N of M tasks completed by records``."""
        return f"{self.completed} of {self.total} tasks completed by records"


def _period_words(item: PlanItem, rule: EvidenceRule) -> str:
    """Which days count: "每月" (the item's recurrence), "2023-09-30前" (a task with a
    deadline: ``plans.counting.Target.window``), or "期间内" (the whole campaign)."""
    if rule.window == EvidenceWindow.PERIOD:
        if item.recurrence:
            labels = {value: str(label) for value, label in RECURRENCE_CHOICES if value}
            return labels.get(item.recurrence, _("每期"))
        if item.due:
            return _("%(date)s前") % {"date": item.due.isoformat()}
    return _("期间内")


def rule_in_words(item: PlanItem, rule: EvidenceRule) -> str:
    """One evidence rule of ``item`` in words, e.g. "党委会 ≥1 次/期间内", "集中学习 ≥1 次/每月",
    "党课：书记本人 ≥1 次", "微党课：每名党员 1 次"; a kind's own wording
    (``core.sources.Evidence.in_words``) when its source gives one; "…（需报送材料）" when no
    app registers the kind."""
    label = evidence_label(rule.record_kind)
    if record_rule(rule) is None:
        return _("%(label)s（需报送材料）") % {"label": label}
    found = sources.resolve(rule.record_kind)
    if found is not None and found[1].in_words:
        return str(found[1].in_words)
    if found is not None and found[1].also:  # 二.3: 集中学习 also counts 理论学习中心组学习
        also = "、".join(evidence_label(code) for code in found[1].also)
        label = _("%(label)s（含%(also)s）") % {"label": label, "also": also}
    n = max(rule.min_count, 1)
    if rule.per == EvidencePer.RECORD:
        return _("%(label)s ≥%(n)d 次/%(period)s") % {
            "label": label, "n": n, "period": _period_words(item, rule)}
    if rule.per == EvidencePer.SECRETARY:
        return _("%(label)s：书记本人 ≥%(n)d 次") % {"label": label, "n": n}
    if rule.per == EvidencePer.EACH_MEMBER:
        return _("%(label)s：每名党员 1 次") % {"label": label}
    # A counting mode added later (e.g. per leader) reads as its choice label.
    return _("%(label)s：%(per)s ≥%(n)d 次") % {"label": label, "per": rule.get_per_display(), "n": n}


def task_coverage(item: PlanItem) -> TaskCoverage:
    """How ``item`` is completed (its ``rules`` should be prefetched)."""
    rules = list(item.rules.all())
    return TaskCoverage(
        item=item,
        rules=[rule_in_words(item, rule) for rule in rules],
        by_records=bool(rules) and all(record_rule(rule) is not None for rule in rules),
    )


def plan_coverage(plan: Plan, items: list[PlanItem] | None = None) -> Coverage:
    """The coverage of ``plan``: each assignable task (a task without task children, the
    same set publishing assigns) with how it is completed.

    ``items`` may pass the plan's items already loaded with their rules prefetched (the plan
    page has them); otherwise two queries read them. Raises nothing."""
    if items is None:
        items = list(plan.items.prefetch_related("rules").order_by("line_first", "position"))
    return Coverage([task_coverage(item) for item in assignable_items(plan, items)])
