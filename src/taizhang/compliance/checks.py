"""The check types. Each is ``fn(rule, ctx)``: it reads facts from the
:class:`~taizhang.compliance.engine.Context` (loaded once for the whole subtree) and adds
:class:`~taizhang.compliance.engine.Violation`\\ s (and, for frequencies, calendar cells).

A rule chooses its type by name in :data:`CHECKS` and passes parameters (see rules.py).
The pure functions :func:`quorum_findings`, :func:`vote_findings`, :func:`election_findings`
and :func:`completeness_findings` hold the arithmetic of checks 16–19 on plain numbers, so
they are tested with exact values and reused for one record's own page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import combinations

from dateutil.relativedelta import relativedelta

from taizhang.orgs.models import OrgKind

from . import conf
from . import periods as P
from .engine import DUE, FUTURE, MET, MISSING, Cell, Context, Violation, detail_url
from .checks_ledgers import appraisal, excellent_findings, rectification  # noqa: F401 (excellent_findings: public here too)
from .rules import ERROR, REMINDER, WARNING, Rule

MEETING_FIELD_LABELS = {"start_time": "开始时间", "place": "地点", "host": "主持人", "recorder": "记录人",
                        "title": "会议主题"}


def _more_than(count: int, total: int, fraction: float) -> bool:
    """``count`` exceeds ``fraction`` of ``total`` ("超过半数" = more than half, not equal)."""
    return count > total * fraction


# --- pure arithmetic of checks 16–19 ---------------------------------------------------------

def quorum_findings(present: int, total: int, fraction: float = 0.5, who: str = "委员") -> list[str]:
    """Check 16 (TZ Art. 12) / the attendance part of 17 (TZ Art. 11): more than
    ``fraction`` of ``total`` must be present. Returns Chinese findings ([] when met).
    Example: 2 of 5 committee members present → not more than half → one finding."""
    if total <= 0:
        return [f"未登记应到{who}，无法核对到会人数"]
    if not _more_than(present, total, fraction):
        return [f"到会{who} {present} 人，应到 {total} 人，未超过{_fraction_label(fraction)}"]
    return []


def vote_findings(motions: list[dict], voting_expected: int, fraction: float = 0.5) -> list[str]:
    """Check 17 (TZ Art. 11): a motion passes only if its yes votes exceed ``fraction`` of
    the members with voting rights who *should* attend (not of those present).
    ``motions``: dicts with ``title``, ``yes`` and optional ``declared_passed``.
    Example: 4 yes of 9 voting members who should attend fails, even if all present voted yes."""
    findings = []
    for motion in motions:
        passed = _more_than(motion["yes"], voting_expected, fraction)
        if not passed:
            declared = "，但会议宣布通过" if motion.get("declared_passed") else ""
            findings.append(f"表决事项“{motion['title']}”赞成 {motion['yes']} 票，应到会有表决权党员 "
                            f"{voting_expected} 人，赞成票未超过半数，不能通过{declared}")
    return findings


def election_findings(results: list[dict], voting_expected: int, voting_present: int,
                      fraction: float = 0.8) -> list[str]:
    """Check 18 (XJ): voting attendance must exceed ``fraction`` (4/5) of those entitled;
    each elected candidate's yes votes must exceed half of the voting members present."""
    findings = []
    if voting_expected and not _more_than(voting_present, voting_expected, fraction):
        findings.append(f"选举时到会有选举权党员 {voting_present} 人，应到 {voting_expected} 人，"
                        f"未超过{_fraction_label(fraction)}")
    for r in results:
        if r["elected"] and not _more_than(r["yes"], voting_present, 0.5):
            findings.append(f"{r['post']} {r['name']} 得票 {r['yes']}，未超过实到会有选举权党员 "
                            f"{voting_present} 人的半数，不应当选")
    return findings


def completeness_findings(facts: dict, fields=("start_time", "place", "host", "recorder")) -> list[str]:
    """Check 19: the required fields are filled in; 应到 is recorded and 实到 + 缺席 = 应到;
    everyone absent or on leave has a reason. ``facts``: the field values (``host`` may be
    given as ``host_id``) and ``expected``, ``present``, ``absent``, ``missing_reason``."""
    findings = []
    empty = [MEETING_FIELD_LABELS.get(f, f) for f in fields
             if facts.get(f) in (None, "") and facts.get(f"{f}_id") in (None, "")]
    if empty:
        findings.append("未填写：" + "、".join(empty))
    expected, present, absent = facts.get("expected") or 0, facts.get("present") or 0, facts.get("absent") or 0
    if not expected:
        findings.append("未登记应到人数（出席情况）")
    elif present + absent != expected:
        findings.append(f"实到 {present} + 缺席 {absent} ≠ 应到 {expected}")
    if facts.get("missing_reason"):
        findings.append(f"{facts['missing_reason']} 名缺席或请假人员未填写原因")
    return findings


def _fraction_label(fraction: float) -> str:
    return {0.5: "半数", 0.8: "五分之四"}.get(fraction, f"{fraction:.0%}")


# --- frequency (checks 5–9) -------------------------------------------------------------------

def _required_orgs(rule: Rule, ctx: Context):
    if rule.scope == "group":
        return [o for o in ctx.of_kind(OrgKind.GROUP) if ctx.members_by_group.get(o.id)]
    orgs = ctx.of_kind(OrgKind.BRANCH)
    if rule.param("applies") == "has_committee":
        threshold = conf.get("FULL_MEMBERS_FOR_COMMITTEE")
        orgs = [o for o in orgs if ctx.has_committee(o.id, threshold)]
    return orgs


def frequency(rule: Rule, ctx: Context) -> None:
    """≥ ``min_count`` records of ``sources`` per ``rule.period`` per branch/group (checks
    5–9). A period that has not ended is never a violation: "due" until its last day."""
    needed = int(rule.param("min_count", 1))
    sources = rule.param("sources")
    add_kind = next((kind for model, kind in sources if model == "meeting"), "")
    periods = ctx.period.split(rule.period)  # once per rule, not per organization
    for org in _required_orgs(rule, ctx):
        for period in periods:
            if period.start > ctx.today:
                ctx.cells.append(Cell(rule, org.id, period, 0, needed, FUTURE, add_kind=add_kind))
                continue
            count, url = ctx.count(org.id, sources, period)
            status = MET if count >= needed else (DUE if period.end >= ctx.today else MISSING)
            ctx.cells.append(Cell(rule, org.id, period, count, needed, status, url, add_kind))
            if status == MISSING:
                label = ctx.label(add_kind)
                name = org.name
                if org.kind == OrgKind.GROUP and ctx.row_of(org.id) in ctx.orgs:
                    name = ctx.orgs[ctx.row_of(org.id)].name + name
                ctx.add(Violation(rule, org.id, ctx.row_of(org.id), period=period,
                                  message=f"{period.label}{name}{label} {count} 次，应不少于 {needed} 次"))


def org_life(rule: Rule, ctx: Context) -> None:
    """Check 11 (TZ ch.5): ≥1 组织生活会 a year; none by ``warn_from`` (1 Dec) → warning;
    none when the year is over → error. A meeting held without a pre-meeting 谈心谈话
    (purpose 组织生活会前) or without a problem on the 整改清单 found there → warning."""
    frequency(rule, ctx)
    warn_month, warn_day = rule.param("warn_from", (12, 1))
    for cell in [c for c in ctx.cells if c.rule is rule]:
        if cell.status == DUE and ctx.today >= dt.date(cell.period.start.year, warn_month, warn_day):
            ctx.add(Violation(rule, cell.org_id, ctx.row_of(cell.org_id), period=cell.period, severity=WARNING,
                              message=f"{cell.period.label}尚未召开组织生活会（{warn_month}月{warn_day}日后仍未召开）"))
    held = ctx.meetings_by_kind.get("organizational_life_meeting", [])
    if not held:
        return
    from django.contrib.contenttypes.models import ContentType

    from taizhang.rectification.models import Problem

    meeting_ct = ContentType.objects.get_by_natural_key("records", "meeting")
    with_problems = set(Problem.objects.filter(source_content_type=meeting_ct,
                                               source_object_id__in=[m["id"] for m in held])
                        .values_list("source_object_id", flat=True))
    talk_days = ctx.talk_days("before_organizational_life")
    for m in held:
        missing = []
        if not any(d <= m["date"] for d in talk_days.get(m["org_id"], ())):
            missing.append("会前谈心谈话记录")
        if m["id"] not in with_problems:
            missing.append("会后整改清单（问题清单中来源为本次会议的问题）")
        if missing:
            ctx.add(Violation(rule, m["org_id"], ctx.row_of(m["org_id"]), severity=WARNING,
                              period=P.period_of(m["date"], P.YEAR),
                              message=f"{m['date']:%Y-%m-%d} 组织生活会缺少" + "、".join(missing),
                              record_url=detail_url("meeting", m["id"]),
                              record_label=m["title"] or "组织生活会"))


def lecture_by_post(rule: Rule, ctx: Context) -> None:
    """Check 10 (TZ): each secretary of an org of ``org_kind`` gives ≥ ``min_count`` 党课
    (Lecture, kind lecture, as speaker) a year. In a year not yet over: a reminder."""
    from taizhang.records.models import Lecture

    needed = int(rule.param("min_count", 1))
    kind = rule.param("org_kind")
    secretaries = {}
    for org in ctx.of_kind(kind):
        for member_id in ctx.posts_on(org.id, ctx.as_of, roles=("secretary",)):
            secretaries[member_id] = org
    if not secretaries:
        return
    counts = defaultdict(int)
    for speaker in Lecture.objects.filter(speaker_id__in=list(secretaries), kind="lecture",
                                          date__range=(ctx.period.start, ctx.period.end)).values_list(
            "speaker_id", flat=True):
        counts[speaker] += 1
    from taizhang.orgs.models import Member

    names = dict(Member.objects.filter(pk__in=list(secretaries)).values_list("id", "name"))
    for member_id, org in secretaries.items():
        if counts[member_id] < needed:
            over = ctx.period.end < ctx.today
            ctx.add(Violation(rule, org.id, ctx.row_of(org.id), period=ctx.period,
                              severity=rule.severity if over else REMINDER,
                              member_id=member_id, member_name=names.get(member_id, ""),
                              message=f"{org.name}书记{names.get(member_id, '')}{ctx.period.label}讲党课 "
                                      f"{counts[member_id]} 次，应不少于 {needed} 次"))


# --- structure (checks 1–4) -------------------------------------------------------------------

def structure(rule: Rule, ctx: Context) -> None:
    """Checks 1–4 (TZ ch.2, ch.6; DZ Art. 31) on the state of ``ctx.as_of`` (the period's end,
    or today while it runs), labelled with that month; nothing for a period not begun."""
    if not ctx.started:
        return
    aspect = rule.param("aspect")
    add = lambda org, message, severity="": ctx.add(  # noqa: E731
        Violation(rule, org.id, ctx.row_of(org.id), message=message, severity=severity,
                  period=P.period_of(ctx.as_of, P.MONTH)))
    if aspect == "members_outside_branch":
        for org in ctx.of_kind(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH):
            full = ctx.full_count(org.id)
            if full >= rule.param("min_full"):
                add(org, f"{org.name}有 {full} 名正式党员未编入党支部，应成立党支部")
    elif aspect == "branch_min":
        for org in ctx.of_kind(OrgKind.BRANCH):
            full = ctx.full_count(org.id)
            if full < rule.param("min_full"):
                add(org, f"{org.name}正式党员 {full} 人，不足 {rule.param('min_full')} 人，应成立联合党支部")
    elif aspect == "branch_max":
        for org in ctx.of_kind(OrgKind.BRANCH):
            total = len(ctx.members_by_org.get(org.id, []))
            if total > rule.param("max_members"):
                add(org, f"{org.name}有党员 {total} 人，超过 {rule.param('max_members')} 人，可考虑分设或成立党总支")
    elif aspect == "committee":
        _committee(rule, ctx, add)
    elif aspect == "term":
        _term(rule, ctx, add)
    else:
        raise ValueError(f"unknown structure aspect {aspect!r}")


def _committee(rule, ctx, add):
    labels = {"secretary": "书记", "organization_member": "组织委员", "propaganda_member": "宣传委员",
              "discipline_member": "纪检委员"}
    for org in ctx.of_kind(OrgKind.BRANCH):
        full = ctx.full_count(org.id)
        posts = ctx.posts_on(org.id, ctx.as_of)
        held = set().union(*posts.values()) if posts else set()
        if full < rule.param("threshold"):
            if "secretary" not in held:
                add(org, f"{org.name}正式党员 {full} 人，未设书记")
            continue
        size = len(posts)
        if size < rule.param("min"):
            add(org, f"{org.name}正式党员 {full} 人，应设支部委员会（3至5人），现有委员 {size} 人")
        elif size > rule.param("max"):
            add(org, f"{org.name}支部委员 {size} 人，超过 {rule.param('max')} 人")
        elif size > rule.param("usual_max"):
            add(org, f"{org.name}支部委员 {size} 人，一般为3至5人", WARNING)
        missing = [labels.get(r, r) for r in rule.param("roles") if r not in held]
        if missing and size >= rule.param("min"):
            add(org, f"{org.name}支部委员会缺少：" + "、".join(missing),
                ERROR if "书记" in missing else WARNING)


def _term(rule, ctx, add):
    kinds = (OrgKind.COMMITTEE,) if rule.scope == "committee" else (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)
    markers = conf.get("VILLAGE_NAME_MARKERS")
    for org in ctx.of_kind(*kinds):
        if org.elected_on is None:
            if rule.scope == "branch" and not ctx.has_committee(org.id, conf.get("FULL_MEMBERS_FOR_COMMITTEE")):
                continue
            add(org, f"{org.name}未登记本届委员会选举日期，无法核对任期", REMINDER)
            continue
        years = rule.param("village_years") if rule.param("village_years") and any(
            m in org.name for m in markers) else rule.param("years")
        expires = org.elected_on + relativedelta(years=years)
        left = (expires - ctx.as_of).days
        if left <= 0:
            add(org, f"{org.name}本届委员会 {org.elected_on:%Y-%m-%d} 选举，任期 {years} 年，"
                     f"已于 {expires:%Y-%m-%d} 届满（超期 {-left} 天），应按期换届")
        elif left <= rule.param("warn_days"):
            add(org, f"{org.name}本届委员会将于 {expires:%Y-%m-%d} 任期届满（还有 {left} 天），请准备换届", WARNING)


# --- record checks (16–19) --------------------------------------------------------------------

def _meeting_violation(rule, ctx, m, message):
    kind = ctx.label(m["kind"])
    ctx.add(Violation(rule, m["org_id"], ctx.row_of(m["org_id"]), period=ctx.month_of(m["date"]),
                      message=f"{m['date'].isoformat()} {kind}：{message}",
                      record_url=detail_url("meeting", m["id"]),
                      record_label=m["title"] or ctx.label(m["kind"], "")))


def committee_quorum_facts(ctx: Context, meeting: dict) -> tuple[int, int]:
    """(committee members present, committee size) of a 支委会: the size is the posts of
    the branch held on the meeting day; without posts, the expected attendees."""
    posts = ctx.posts_on(meeting["org_id"], meeting["date"])
    if posts:
        present = sum(1 for member_id in ctx.committee_present.get(meeting["id"], ()) if member_id in posts)
        return present, len(posts)
    return meeting["n_present"], meeting["n_expected"]


def quorum(rule: Rule, ctx: Context) -> None:
    """Checks 16–18 on each meeting of the period: ``body`` committee (支委会 quorum),
    general (党员大会 quorum and votes) or election (XJ)."""
    body, fraction = rule.param("body"), float(rule.param("fraction"))
    if body == "committee":
        meetings = ctx.meetings_by_kind.get("branch_committee_meeting", [])
    elif body == "general":
        meetings = ctx.meetings_by_kind.get("branch_general_meeting", [])
    else:
        meetings = ctx.meetings
    for m in meetings:  # in date order, as before
        findings = []
        if body == "committee":
            present, size = committee_quorum_facts(ctx, m)
            findings = quorum_findings(present, size, fraction, who="委员")
        elif body == "general":
            findings = quorum_findings(m["n_voting_present"], m["n_voting_expected"], fraction,
                                       who="有表决权的党员")
            findings += vote_findings(ctx.motions.get(m["id"], []), m["n_voting_expected"], fraction)
        elif body == "election" and m["id"] in ctx.election_results:
            results = [{**r, "name": r["candidate__name"] or r["candidate_name"]}
                       for r in ctx.election_results[m["id"]]]
            findings = election_findings(results, m["n_voting_expected"], m["n_voting_present"], fraction)
        for finding in findings:
            _meeting_violation(rule, ctx, m, finding)


def completeness(rule: Rule, ctx: Context) -> None:
    """Check 19 on each meeting of the period (see :func:`completeness_findings`)."""
    fields = tuple(rule.param("fields"))
    keys = [(f, f"{f}_id") for f in fields]
    empty = (None, "")
    for m in ctx.meetings:
        # the usual complete record, said in a few lookups (the rest as completeness_findings says it)
        if (m["n_expected"] and not m["n_missing_reason"]
                and all(m.get(f) not in empty or m.get(f_id) not in empty for f, f_id in keys)):
            continue
        facts = {**m, "expected": m["n_expected"], "present": m["n_present"],
                 "absent": m["n_expected"] - m["n_present"], "missing_reason": m["n_missing_reason"]}
        findings = completeness_findings(facts, fields)
        if findings:
            _meeting_violation(rule, ctx, m, "；".join(findings))


# --- coverage (15) and inactivity (20) --------------------------------------------------------

def coverage(rule: Rule, ctx: Context) -> None:
    """Check 15 (TZ ch.5): in the year every pair of committee members has talked, and
    every other member has talked with at least one committee member (either direction,
    any purpose). In a year not yet over the gaps are reminders."""
    partners = ctx.talk_partners  # member id → those they talked with (either direction, any org)
    over = ctx.period.end < ctx.today
    severity = rule.severity if over else REMINDER
    for org in ctx.of_kind(OrgKind.BRANCH):
        posts = ctx.posts_on(org.id, ctx.as_of)
        committee = sorted(posts)
        members = ctx.members_by_org.get(org.id, [])
        names = {m["id"]: m["name"] for m in members}
        if not committee:
            continue
        for a, b in combinations(committee, 2):
            if b not in partners.get(a, ()):
                ctx.add(Violation(rule, org.id, org.id, period=ctx.period, severity=severity, member_id=a,
                                  member_name=f"{names.get(a, a)}—{names.get(b, b)}",
                                  message=f"支委{names.get(a, a)}与{names.get(b, b)}{ctx.period.label}未开展谈心谈话"))
        for m in members:
            if m["id"] in posts:
                continue
            if partners.get(m["id"], set()).isdisjoint(committee):
                ctx.add(Violation(rule, org.id, org.id, period=ctx.period, severity=severity, member_id=m["id"],
                                  member_name=m["name"],
                                  message=f"党员{m['name']}{ctx.period.label}未与支委开展谈心谈话"))


def inactivity(rule: Rule, ctx: Context) -> None:
    """Check 20 ([U] DZ Art. 9): an active member who joined before the window and, in the
    ``months`` months up to ``ctx.as_of``, took part in no meeting or study session (of any
    organization: the member's, a group's, the committee's) and has no recorded reason for
    any absence, in a branch that did record meetings then. Participation is read from the
    members' activity months (``records.MemberActivity``, kept by the records services),
    not from every attendance row of the window (issue 14)."""
    from taizhang.records.activity import active_members
    from taizhang.records.models import Meeting

    if not ctx.started:
        return
    months = int(rule.param("months"))
    start = ctx.as_of + dt.timedelta(days=1) - relativedelta(months=months)
    active = active_members(start, ctx.as_of, None if ctx.only is None else list(ctx.members))
    if start.day == 1 and start >= ctx.period.start and ctx.as_of >= ctx.period.end and ctx.reads_meetings:
        # whole months of a period that is over: the month counts hold them (no query)
        holding = {ctx.row_of(o) for (o, _kind, month) in ctx.meeting_counts if month >= start}
    else:
        holding = {ctx.row_of(o) for o in Meeting.objects.filter(
            ctx.within(), date__range=(start, ctx.as_of)).order_by().values_list("org_id", flat=True)
            .distinct()}  # order_by(): Meta.ordering would make DISTINCT return every meeting
    month = ctx.month_of(ctx.as_of)
    window = f"自 {start:%Y-%m-%d} 至 {ctx.as_of:%Y-%m-%d} 未参加组织生活，也无请假原因记录，请书记了解情况"
    for m in ctx.members.values():
        if m["id"] in active or ctx.row_of(m["org_id"]) not in holding:
            continue
        if m["joined_on"] and m["joined_on"] > start:
            continue
        ctx.add(Violation(rule, m["org_id"], ctx.row_of(m["org_id"]), period=month,
                          member_id=m["id"], member_name=m["name"], message=f"党员{m['name']}{window}"))


def unavailable(rule: Rule, ctx: Context) -> None:
    """A declared rule whose records do not exist yet (nothing to check)."""


CHECKS = {
    "frequency": frequency,
    "org_life": org_life,
    "lecture_by_post": lecture_by_post,
    "structure": structure,
    "quorum": quorum,
    "completeness": completeness,
    "coverage": coverage,
    "inactivity": inactivity,
    "rectification": rectification,
    "appraisal": appraisal,
    "unavailable": unavailable,
}
