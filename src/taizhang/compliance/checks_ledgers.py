"""The compliance checks on the problem list (checks 24–26: rectification measures) and on
民主评议党员 (checks 12–14), with the same contract as :mod:`.checks` (``fn(rule, ctx)``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from functools import lru_cache

from django.urls import reverse

from taizhang.orgs.models import MemberStatus, OrgKind

from . import periods as P
from .engine import Context, Violation
from .rules import ERROR, REMINDER, WARNING, Rule


# --- rectification (24–26) --------------------------------------------------------------------

def _day(value) -> dt.date | None:
    """A date, or an instant's Asia/Shanghai calendar date; ``None`` stays ``None``."""
    return None if value is None else P.local_date(value)


def rectification(rule: Rule, ctx: Context) -> None:
    """Checks 24–26 on the problem list and 整改台账 of the subtree, each finding in the
    period it belongs to and labelled with its own month (nothing for a period not begun):

    - ``links`` (24): problems *found* in the period up to ``ctx.as_of`` (``found_on``, else
      the day entered) without a measure; measures *entered* then that lack one of the
      "five clear" items;
    - ``deadline`` (25): measures *due* in the period: not done by ``ctx.as_of`` although due
      before it → error (a measure closed late was overdue in its due month); while the
      period runs, due within ``amber_days`` → warning, within ``notice_days`` → reminder;
    - ``closeout`` (26): measures *closed* in the period up to ``ctx.as_of`` (``closed_on``,
      else the day last changed) without completion note, evidence, verification or updates.
    """
    from django.db.models import Count, Q

    from taizhang.rectification.models import ACTIVE_STATUSES, Problem, Rectification

    if not ctx.started:
        return
    aspect = rule.param("aspect")
    start, as_of = ctx.period.start, ctx.as_of
    problem_url = lambda pk: f"{_url_prefix('rectification:problem_detail')}{pk}/"  # noqa: E731
    measure_url = lambda pk: f"{_url_prefix('rectification:measure_detail')}{pk}/"  # noqa: E731

    def add(org_id, day, message, url, label, severity=""):
        ctx.add(Violation(rule, org_id, ctx.row_of(org_id), message=message, period=ctx.month_of(day),
                          severity=severity, record_url=url, record_label=label[:40]))

    def in_window(day) -> bool:
        return day is not None and start <= day <= as_of

    measures = Rectification.objects.filter(ctx.within())
    if aspect == "links":
        problems = (Problem.objects.filter(ctx.within())
                    .filter(Q(found_on__range=(start, as_of))
                            | Q(found_on__isnull=True, created_at__date__range=(start, as_of)))
                    .annotate(n=Count("measures")).filter(n=0)
                    .values("id", "org_id", "description", "found_on", "created_at"))
        for p in problems:
            found_day = p["found_on"] or _day(p["created_at"])
            if in_window(found_day):
                add(p["org_id"], found_day, "问题尚无整改措施（或立行立改完成记录）", problem_url(p["id"]),
                    p["description"])
        labels = {"measure": "整改措施", "leader": "责任领导", "department": "责任部门", "person": "责任人",
                  "deadline": "整改时限"}
        for r in measures.filter(created_at__date__range=(start, as_of)).values(
                "id", "org_id", "measure", "leader_id", "leader_name", "department", "department_org_id",
                "person", "deadline", "kind", "created_at"):
            entered = _day(r["created_at"])
            if not in_window(entered):
                continue
            missing = []
            if not r["measure"].strip():
                missing.append(labels["measure"])
            if not (r["leader_id"] or r["leader_name"]):
                missing.append(labels["leader"])
            if not (r["department"] or r["department_org_id"]):
                missing.append(labels["department"])
            if not r["person"]:
                missing.append(labels["person"])
            if not r["deadline"] and r["kind"] == "deadline":
                missing.append(labels["deadline"])
            if missing:
                add(r["org_id"], entered, "整改措施未明确：" + "、".join(missing), measure_url(r["id"]),
                    r["measure"], WARNING)
    elif aspect == "deadline":
        running = ctx.period.contains(ctx.today)
        amber = as_of + dt.timedelta(days=int(rule.param("amber_days")))
        notice = as_of + dt.timedelta(days=int(rule.param("notice_days")))
        for r in measures.filter(effective_due__range=(start, ctx.period.end)).values(
                "id", "org_id", "measure", "effective_due", "status", "completed_at", "closed_on"):
            due = r["effective_due"]
            if r["status"] in ACTIVE_STATUSES:
                done = None
            else:  # done on the day declared complete or closed (unknown: taken as done in time)
                days = [d for d in (_day(r["completed_at"]), r["closed_on"]) if d is not None]
                if not days:
                    continue
                done = min(days)
            if done is not None and done <= min(due, as_of):
                continue
            if due < as_of:
                if done is None or done > as_of:
                    message = f"整改时限 {due:%Y-%m-%d} 已过，尚未完成销号（超期 {(as_of - due).days} 天）"
                else:
                    message = f"整改时限 {due:%Y-%m-%d} 已过，{done:%Y-%m-%d} 才完成（超期 {(done - due).days} 天）"
                add(r["org_id"], due, message, measure_url(r["id"]), r["measure"], ERROR)
            elif running and due <= amber:
                add(r["org_id"], due, f"整改时限 {due:%Y-%m-%d}，{(due - as_of).days} 天内到期",
                    measure_url(r["id"]), r["measure"], WARNING)
            elif running and due <= notice:
                add(r["org_id"], due, f"整改时限 {due:%Y-%m-%d}，{(due - as_of).days} 天内到期",
                    measure_url(r["id"]), r["measure"], REMINDER)
    elif aspect == "closeout":
        for r in (measures.filter(status="closed")
                  .filter(Q(closed_on__range=(start, as_of))
                          | Q(closed_on__isnull=True, updated_at__date__range=(start, as_of)))
                  .annotate(n_updates=Count("updates"))
                  .values("id", "org_id", "measure", "completion_note", "evidence", "verified_by_id", "n_updates",
                          "closed_on", "updated_at")):
            closed = r["closed_on"] or _day(r["updated_at"])
            if not in_window(closed):
                continue
            missing = [label for key, label in (("completion_note", "完成情况"), ("evidence", "佐证材料"),
                                                ("verified_by_id", "审核人核验")) if not r[key]]
            if missing:
                add(r["org_id"], closed, "已销号但缺少：" + "、".join(missing), measure_url(r["id"]), r["measure"])
            if not r["n_updates"]:
                add(r["org_id"], closed, "已销号但没有任何整改进展记录，请核查", measure_url(r["id"]), r["measure"],
                    WARNING)
    else:
        raise ValueError(f"unknown rectification aspect {aspect!r}")


# --- 民主评议党员 (12–14) ---------------------------------------------------------------------

def excellent_findings(rated: int, excellent: int, max_fraction="1/3") -> list[str]:
    """Check 13 (PY): 优秀 is at most ``max_fraction`` (a fraction, "1/3" or a number) of
    the members rated. Exact arithmetic: 3 of 9 is allowed, 3 of 7 is not."""
    limit = Fraction(str(max_fraction))
    if rated and excellent > rated * limit:
        return [f"评为优秀 {excellent} 人，参评党员 {rated} 人，超过{_fraction_text(limit)}"
                f"（最多 {int(rated * limit)} 人）"]
    return []


def _fraction_text(limit: Fraction) -> str:
    return f"{limit.numerator}/{limit.denominator}" if limit.denominator > 1 else str(limit.numerator)


@lru_cache(maxsize=None)
def _url_prefix(url_name: str) -> str:
    """The path of the detail page ``url_name`` (``<int:pk>/`` last) without its id: reversed
    once per name, then ``f"{prefix}{pk}/"`` per finding (a ``reverse()`` per finding cost
    most of a city's overview; issue 14)."""
    return reverse(url_name, args=[0])[:-2]


def _appraisal_prefix() -> str:
    return _url_prefix("evaluation:appraisal_detail")


def appraisal(rule: Rule, ctx: Context) -> None:
    """Checks 12–14 on the 民主评议 grades (evaluation.Appraisal) of each year of the period:

    - ``graded`` (12, TZ ch.5; PY): every active member of a branch who had joined by the
      year's end has a grade for that year (wherever it was given: a member who moved in
      keeps the grade of the previous branch). A gap is reported at the member's *current*
      branch. While the year runs the gaps are reminders (the appraisal is usually held at
      the year's end or just after);
    - ``excellent`` (13, PY; [S]): per rating branch (the grade's ``org``) and year, 优秀 at
      most ``max_excellent`` of the members rated; no 预备党员 rated 优秀 (the member's
      current status);
    - ``follow_up`` (14, PY): each 基本合格 has an improvement record and each 不合格 a 处置
      (a non-empty ``follow_up``), reported at the org that gave the grade.

    13 and 14 look only at grades given inside the subtree; a grade given outside it is the
    grading org's. Member history is not kept: "belonged to the branch" = on its roll now
    (active).
    """
    if not ctx.started:
        return
    aspect = rule.param("aspect")
    url = lambda pk: f"{_appraisal_prefix()}{pk}/"  # noqa: E731
    for period in ctx.period.split(P.YEAR):
        if period.start > ctx.today:
            continue
        year = period.start.year
        rows = [a for a in ctx.appraisals if a["year"] == year]
        if aspect == "graded":
            graded = {a["member_id"] for a in rows}
            severity = rule.severity if period.end < ctx.today else REMINDER
            for org in ctx.of_kind(OrgKind.BRANCH):
                for m in sorted(ctx.members_by_org.get(org.id, []), key=lambda m: (m["name"], m["id"])):
                    if m["id"] in graded or (m["joined_on"] and m["joined_on"] > period.end):
                        continue
                    ctx.add(Violation(rule, org.id, ctx.row_of(org.id), period=period, severity=severity,
                                      member_id=m["id"], member_name=m["name"],
                                      message=f"党员{m['name']}{year}年度尚无民主评议等次"))
        elif aspect == "excellent":
            by_org = defaultdict(list)
            for a in rows:
                if a["org_id"] in ctx.orgs:
                    by_org[a["org_id"]].append(a)
            for org_id, items in by_org.items():
                excellent = [a for a in items if a["grade"] == "excellent"]
                for finding in excellent_findings(len(items), len(excellent), rule.param("max_excellent")):
                    ctx.add(Violation(rule, org_id, ctx.row_of(org_id), period=period,
                                      message=f"{ctx.display_name(org_id)}{year}年度民主评议{finding}"))
                for a in excellent:
                    if a["member__status"] == MemberStatus.PROBATIONARY:
                        ctx.add(Violation(rule, org_id, ctx.row_of(org_id), period=period,
                                          member_id=a["member_id"], member_name=a["member__name"],
                                          message=f"预备党员{a['member__name']}{year}年度被评为优秀，预备党员不评优秀",
                                          record_url=url(a["id"]), record_label=f"{year}年 {a['member__name']}"))
        elif aspect == "follow_up":
            needs = {"basically_qualified": ("基本合格", "改进情况记录"), "unqualified": ("不合格", "组织处置记录")}
            for a in rows:
                if a["grade"] in needs and a["org_id"] in ctx.orgs and not (a["follow_up"] or "").strip():
                    grade, what = needs[a["grade"]]
                    ctx.add(Violation(rule, a["org_id"], ctx.row_of(a["org_id"]), period=period,
                                      member_id=a["member_id"], member_name=a["member__name"],
                                      message=f"党员{a['member__name']}{year}年度评为{grade}，缺少{what}",
                                      record_url=url(a["id"]), record_label=f"{year}年 {a['member__name']}"))
        else:
            raise ValueError(f"unknown appraisal aspect {aspect!r}")
