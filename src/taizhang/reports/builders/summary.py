"""The ``summary`` report: the campaign summary (主题教育总结, seed 二.14).

Each section of the task list with its tasks, their deadlines and how far the organizations
responsible have got; the figures that prove the work (:mod:`.figures`, every one counted);
the figures per branch; the typical cases; the satisfaction of the masses when a survey of
the campaign exists.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.plans.models import Assignment, AssignmentStatus, ItemKind, Occurrence
from taizhang.surveys.models import Survey, SurveyAnswer

from . import figures
from .common import Params, cn_date, in_org, scoped, text

SCHEMA = {
    "campaign": {"title": _("主题教育名称"), "start": _("开始日期"), "end": _("结束日期"), "unit": _("党委名称")},
    "org": _("本报告的组织"),
    "period": _("起止日期"),
    "sections": [{"title": _("部分标题"), "tasks": [{
        "label": _("编号"), "title": _("任务"), "due": _("完成时限"), "status": _("完成情况"),
        "done": _("已完成"), "total": _("应完成")}]}],
    "figures": {key: label for key, label in figures.FIGURES},
    "figure_rows": [{"label": _("指标"), "value": _("数值")}],
    "branches": [{"name": _("支部")} | {key: label for key, label in figures.FIGURES
                                        if key in figures.BRANCH_FIGURES}],
    "cases": [{"title": _("典型案例"), "date": _("日期"), "summary": _("主要内容")}],
    "satisfaction": {"surveys": _("测评次数"), "answers": _("有效评价数"), "satisfied": _("满意"),
                     "basically_satisfied": _("基本满意"), "dissatisfied": _("不满意"),
                     "rate": _("满意率（含基本满意）")},
    "has_survey": _("有满意度测评"),
    "generated_on": _("生成日期"),
}


def _status(done: int, total: int) -> str:
    if not total:
        return "—"
    return "已完成" if done == total else f"完成 {done}/{total}"


def sections(params: Params) -> list[dict]:
    """The plan's top-level sections with every task under them: deadline and completion
    (done/total units of work: assignments, or the periods of a recurring one) over the
    organizations of the report's subtree. Four queries."""
    campaign, org, user = params.campaign, params.org, params.user
    if not hasattr(campaign, "plan"):
        return []
    items = list(campaign.plan.items.all())
    parents = {i.pk: i.parent_id for i in items}
    single = in_org(scoped(Assignment.objects.filter(item__plan__campaign=campaign, item__recurrence=""), user), org)
    periods = in_org(scoped(Occurrence.objects.filter(assignment__item__plan__campaign=campaign), user), org,
                     "assignment__org")
    progress: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    done = Q(status=AssignmentStatus.DONE)
    for row in single.values("item_id").annotate(t=Count("pk"), d=Count("pk", filter=done)):
        progress[row["item_id"]][0] += row["d"]
        progress[row["item_id"]][1] += row["t"]
    for row in periods.values("assignment__item_id").annotate(t=Count("pk"), d=Count("pk", filter=done)):
        progress[row["assignment__item_id"]][0] += row["d"]
        progress[row["assignment__item_id"]][1] += row["t"]
    top_of = {}
    for item in items:
        node = item.pk
        while parents.get(node) is not None:
            node = parents[node]
        top_of[item.pk] = node
    result, by_top, loose = [], {}, {"title": "", "tasks": []}
    for item in items:
        if item.kind == ItemKind.SECTION and item.parent_id is None:
            by_top[item.pk] = {"title": f"{item.label}{item.title}".strip(), "tasks": []}
            result.append(by_top[item.pk])
    for item in items:
        if item.kind != ItemKind.TASK:
            continue
        d, t = progress.get(item.pk, (0, 0))
        due = "长期坚持" if item.ongoing and not item.due else cn_date(item.effective_due)
        by_top.get(top_of[item.pk], loose)["tasks"].append({
            "label": item.ref or item.label, "title": item.title, "due": due or "—",
            "status": _status(d, t), "done": d, "total": t})
    if loose["tasks"]:
        result.insert(0, loose)
    return result


def satisfaction(params: Params) -> dict | None:
    """Answers of the campaign's surveys in the subtree (满意/基本满意/不满意, rate with
    基本满意 counted as satisfied, as ``surveys.services.ItemResult``); None without a survey."""
    surveys = in_org(scoped(Survey.objects.filter(campaign=params.campaign), params.user), params.org)
    n = surveys.count()
    if not n:
        return None
    counts = dict(SurveyAnswer.objects.filter(response__survey__in=surveys).values_list("rating")
                  .annotate(n=Count("pk")).order_by())
    s, b, d = (counts.get(k, 0) for k in ("satisfied", "basically_satisfied", "dissatisfied"))
    total = s + b + d
    return {"surveys": n, "answers": total, "satisfied": s, "basically_satisfied": b, "dissatisfied": d,
            "rate": f"{100 * (s + b) / total:.1f}%" if total else "—"}


def build(params: Params, progress=None) -> dict:
    """The summary's context (see :data:`SCHEMA`); ``progress(percent)`` is told as parts
    finish (background job)."""
    campaign = params.campaign
    qs = figures.querysets(params)
    totals = figures.totals(params, qs)
    if progress:
        progress(40)
    branches = figures.per_branch(params, qs)
    if progress:
        progress(70)
    start, end = params.period
    cases = [{"title": c.title, "date": cn_date(c.date), "summary": text(c.summary)}
             for c in qs["cases"].order_by("date", "pk")]
    sat = satisfaction(params)
    return {
        "campaign": {"title": campaign.title, "start": cn_date(campaign.start), "end": cn_date(campaign.end),
                     "unit": campaign.org.name},
        "org": (params.org or campaign.org).name,
        "period": f"{cn_date(start)}至{cn_date(end)}" if start and end else "",
        "sections": sections(params),
        "figures": totals,
        "figure_rows": [{"label": str(label), "value": totals[key]} for key, label in figures.FIGURES],
        "branches": branches,
        "cases": cases,
        "satisfaction": sat or {k: "—" for k in SCHEMA["satisfaction"]},
        "has_survey": sat is not None,
        "generated_on": cn_date(timezone.localdate()),
    }
