"""Compliance checks 21–23 (domain-rules §5) on the 民主生活会 records, registered with the
compliance app's rule registry (``compliance.rules.register``) from ``DemocraticConfig.ready``.

- C21 (MS): each leadership team holds 1 民主生活会 a year, attended by at least 2/3 of those
  who should attend. A year's meeting is the one of that ``year`` (the 2023 meeting may be
  held in January 2024); none once the year is over → error.
- C22 ([S] practice): before the meeting the talk matrix is complete and the team's and
  each member's 对照检查材料 are approved (by the day of the meeting).
- C23 ([S] practice): the 情况报告 and the meeting record go to the superior within 15 days.
"""

from __future__ import annotations

import datetime as dt

from taizhang.compliance import periods as P
from taizhang.compliance.engine import Context, Violation
from taizhang.compliance.rules import ERROR, WARNING, YEAR, Rule, register
from taizhang.orgs.models import LeadershipTeam

from .models import LifeMeeting

MS = "《县以上党和国家机关党员领导干部民主生活会若干规定》"


def _facts(ctx: Context, year: int) -> tuple[list, list[LifeMeeting]]:
    """(the leadership teams of the subtree, their meetings of ``year``), read once per
    evaluation for the three rules: one query, and a second only when a team exists."""
    cache = ctx.__dict__.setdefault("_democratic_life", {})
    if year not in cache:
        teams = list(LeadershipTeam.objects.filter(org__path__startswith=ctx.path).select_related("org"))
        meetings = list(LifeMeeting.objects.filter(org__path__startswith=ctx.path, year=year)
                        .select_related("org", "team", "meeting").order_by("date", "pk")) if teams else []
        cache[year] = (teams, meetings)
    return cache[year]


def _add(rule, ctx, m, message, severity=""):
    ctx.add(Violation(rule, m.org_id, ctx.row_of(m.org_id), message=message, severity=severity,
                      period=P.period_of(dt.date(m.year, 12, 31), P.YEAR),
                      record_url=m.get_absolute_url(), record_label=m.title[:40]))


def democratic_life(rule: Rule, ctx: Context) -> None:
    """Checks 21–23 by ``aspect``: ``yearly`` (21), ``preparation`` (22), ``report`` (23)."""
    from .preparation import REPORT_DAYS, quorum_of, readiness

    if not ctx.started:
        return
    aspect = rule.param("aspect")
    year = ctx.period.start.year
    teams, meetings = _facts(ctx, year)
    if aspect == "yearly":
        held = {m.team_id for m in meetings}
        if ctx.as_of >= ctx.period.end:
            for team in teams:
                if team.pk not in held:
                    ctx.add(Violation(rule, team.org_id, ctx.row_of(team.org_id), period=ctx.period,
                                      message=f"{team.name}{year}年度尚未召开民主生活会"))
        for m in meetings:
            q = quorum_of(m)
            if not q["met"]:
                _add(rule, ctx, m, f"{m.date:%Y-%m-%d} 民主生活会实到 {q['present']} 人，"
                                   f"应到 {q['expected']} 人，不足三分之二")
    elif aspect == "preparation":
        for m in meetings:
            prep = readiness(m)
            missing = []
            if not prep.matrix.complete:
                missing.append("谈心谈话未全覆盖（" + "、".join(str(p) for p in prep.matrix.missing[:5])
                               + ("等" if len(prep.matrix.missing) > 5 else "") + "）")
            if not prep.materials.complete:
                missing.append("对照检查材料会前未审核通过（" + "、".join(prep.materials.missing) + "）")
            if missing:
                _add(rule, ctx, m, f"{m.date:%Y-%m-%d} 民主生活会会前准备不到位：" + "；".join(missing))
    elif aspect == "report":
        for m in meetings:
            due = m.date + dt.timedelta(days=int(rule.param("days", REPORT_DAYS)))
            if m.reported_on and m.reported_on > due:
                _add(rule, ctx, m, f"{m.date:%Y-%m-%d} 民主生活会的情况报告和会议记录于 {m.reported_on:%Y-%m-%d} 报送，"
                                   f"超过会后 {(due - m.date).days} 日")
            elif not m.reported_on and ctx.today > due:
                _add(rule, ctx, m, f"{m.date:%Y-%m-%d} 民主生活会的情况报告和会议记录尚未报送（应于 {due:%Y-%m-%d} 前）")
            elif not m.reported_on:
                _add(rule, ctx, m, f"{m.date:%Y-%m-%d} 民主生活会的情况报告和会议记录应于 {due:%Y-%m-%d} 前报送",
                     severity=WARNING)


RULES = (
    Rule("C21", "领导班子每年召开1次民主生活会，到会人数不少于应到会人数的三分之二", MS, "C", "committee", YEAR, ERROR,
         "democratic_life", {"aspect": "yearly", "fraction": "2/3"}),
    Rule("C22", "民主生活会前谈心谈话全覆盖（主要负责人与每名班子成员、班子成员之间、班子成员与分管部门负责人），"
         "班子和个人对照检查材料会前审核通过", f"实务做法（{MS}配套要求）", "S", "committee", YEAR, ERROR,
         "democratic_life", {"aspect": "preparation"}),
    Rule("C23", "民主生活会后15日内向上级报送情况报告和会议记录", "实务做法（地方规定）", "S", "committee", YEAR, ERROR,
         "democratic_life", {"aspect": "report", "days": 15}),
)


def register_checks() -> None:
    """Register checks 21–23 with the compliance app (from ``DemocraticConfig.ready``)."""
    register(*RULES, checks={"democratic_life": democratic_life})
