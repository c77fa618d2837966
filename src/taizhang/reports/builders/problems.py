"""The ``problems`` report: the problem list (问题清单) alone — every problem of the
subtree, with or without measures: 序号, 来源, 类别, 问题表现, 发现日期, 提出人/渠道, 整改措施数,
状态. The rectification ledger (measures) stays the rectification app's export."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.rectification.models import Problem, RectificationStatus

from .common import Params, cn_date, in_org, in_period, scoped, text

SCHEMA = {
    "org": _("组织"),
    "period": _("起止日期"),
    "problems": [{"number": _("序号"), "org": _("所属组织"), "source": _("问题来源"), "category": _("问题类别"),
                  "description": _("问题表现"), "found_on": _("发现日期"), "found_by": _("提出人/渠道"),
                  "measures": _("整改措施数"), "status": _("整改状态")}],
    "total": _("问题总数"),
    "without_measures": _("尚无整改措施的问题数"),
    "closed": _("已销号问题数"),
    "generated_on": _("生成日期"),
    "review_mark": _("上级审核标记：单位班子问题清单未经上级审核通过时为“（未经上级审核）”，否则为空"),
}


def problem_status(measures: int, closed: int) -> str:
    """整改状态 of a problem from its measures: 未制定措施 / 已销号 (all closed) / 整改中."""
    if not measures:
        return "未制定措施"
    return "已销号" if measures == closed else f"整改中（已销号 {closed}/{measures}）"


def review_mark(params: Params) -> str:
    """"（未经上级审核）" when the report is a unit committee's (``params.org``, else the
    user's topmost organization) whose leadership problem list its superior has not
    approved as it stands (``rectification.listreview.unapproved_mark``, seed 四.2: marked,
    never refused); "" otherwise. Three queries at most."""
    from taizhang.orgs.units import default_root
    from taizhang.rectification.listreview import unapproved_mark

    org = params.org or (default_root(params.user) if params.user is not None else None)
    mark = unapproved_mark(org)
    return f"（{mark}）" if mark else ""


def queryset(params: Params):
    """The problems of the report (scoped, in the subtree, found in the period or undated),
    with ``n_measures`` and ``n_closed``, in organization then number order."""
    problems = in_org(scoped(Problem.objects.all(), params.user), params.org)
    start, end = params.period
    if start or end:
        problems = problems.filter(Q(found_on=None) | Q(pk__in=in_period(problems, params, "found_on").values("pk")))
    return (problems.select_related("org", "source")
            .annotate(n_measures=Count("measures"),
                      n_closed=Count("measures", filter=Q(measures__status=RectificationStatus.CLOSED)))
            .order_by("org__path", "number", "pk"))


def build(params: Params, progress=None) -> dict:
    """The problem list's context (see :data:`SCHEMA`); a few queries (the problems in
    one, the review mark in up to three)."""
    rows = []
    for p in queryset(params).iterator(chunk_size=2000):
        rows.append({"number": p.number, "org": p.org.name, "source": p.source.name, "category": p.category,
                     "description": text(p.description), "found_on": cn_date(p.found_on),
                     "found_by": p.found_by, "measures": p.n_measures,
                     "status": problem_status(p.n_measures, p.n_closed)})
    start, end = params.period
    return {
        "org": params.org.name if params.org else "",
        "review_mark": review_mark(params),
        "period": f"{cn_date(start)}至{cn_date(end)}" if start and end else "",
        "problems": rows,
        "total": len(rows),
        "without_measures": sum(1 for r in rows if not r["measures"]),
        "closed": sum(1 for r in rows if r["status"] == "已销号"),
        "generated_on": cn_date(timezone.localdate()),
    }
