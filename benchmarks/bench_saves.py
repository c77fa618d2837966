"""City-scale speed (issue 3 §5): re-evaluation after one record save, beside a raw baseline
measured in the same run.

The records service (create_study_session / create_meeting / create_record / delete_record)
with the ``evidence_changed`` receiver (``plans.evidence.reevaluate``): time, queries,
targets touched (only the affected ones), ÷ a bare INSERT of the same record (and its
attendance rows) in one transaction. A save may touch at most one target per plan task whose
rules read that record kind (:func:`target_bound`, derived from the source registry).

    python benchmarks/bench_saves.py [--scale 1] [--repeat 5]     # full city: 500 branches
    python benchmarks/bench_saves.py --scale 0.02 --repeat 2      # smoke test

The data set comes from ``citygen.py`` (a private copy of the cached file; with
``--database-url`` the records created here are deleted again). Exit status: 0, or 1 when
something failed (an error, a save touching more targets than it can affect) — never because
a figure is slow. Shared set-up: ``scale_common.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import figure  # noqa: E402
from scale_common import QueryCounter, arguments, fail, run  # noqa: E402


def target_bound(model, branch, changed=None) -> tuple[int, list[str]]:
    """The most targets one save of a ``model`` record of ``branch`` (an Organization) can
    touch, and the refs of the tasks behind it: one target (its single assignment, or its
    occurrence of the period holding the record's date) per plan task that has a rule of a
    code the record feeds. Those codes come from the registry (``plans.evidence.
    codes_for_model``: the kind's own codes and every code that also counts or reads one of
    them — a Meeting feeds its kind's code, and 集中学习 through its
    理论学习中心组学习 alias, seed 二.3), on the tasks assigned to the branch, to the
    organizations above it for a code that rolls up (``Evidence.rolls_up``, seed 二.13) and
    to the organizations whose leadership team reaches the branch for a 班子成员每人 rule
    (seed 二.4) — the same reach as ``plans.evidence.affected_targets``, counted per task.
    ``changed``: the evidence codes the save announced (a 主题党日 meeting: its kind's code
    only), None for every code of ``model``."""
    from django.db.models import Q

    from taizhang.core import sources
    from taizhang.orgs.models import Organization
    from taizhang.plans import counting
    from taizhang.plans.evidence import codes_for_model
    from taizhang.plans.models import Assignment, EvidencePer

    codes = codes_for_model(model, changed)
    resolved = [found for found in map(sources.resolve, codes) if found]
    rollup = sorted({ev.code for _source, ev in resolved if ev.rolls_up})
    step = Organization.steplen
    above = Organization.objects.filter(path__in=[branch.path[:i] for i in range(step, len(branch.path), step)])
    whose = Q(org=branch) | Q(org__in=above, item__rules__record_kind__in=rollup)
    if any(ev.person or ev.people for _source, ev in resolved):
        whose |= Q(org_id__in=counting.leader_teams_of({branch.pk}), item__rules__per=EvidencePer.EACH_LEADER)
    tasks = set(Assignment.objects.filter(whose, item__rules__record_kind__in=codes)
                .values_list("item_id", "item__ref"))
    return len(tasks), sorted(ref for _pk, ref in tasks)


# --- re-evaluation after one record save -------------------------------------------------

class ReceiverProbe:
    """Wraps ``plans.evidence.reevaluate`` (what the evidence_changed receiver calls) to time it
    and count its queries and targets."""

    def __init__(self):
        from taizhang.plans import evidence

        self.evidence = evidence
        self.original = evidence.reevaluate
        self.calls: list[dict] = []

    def __enter__(self):
        def probe(model, org_ids, dates, codes=None):
            with QueryCounter() as counter:
                start = time.perf_counter()
                targets = self.evidence.affected_targets(model, org_ids, dates, codes)
                outcome = self.evidence.apply(targets)
            self.calls.append({
                "seconds": time.perf_counter() - start, "queries": counter.count,
                "targets": [_describe(t) for t in targets], "completed": outcome.completed,
                "reopened": outcome.reopened, "codes": codes})
            return outcome

        self.evidence.reevaluate = probe
        return self

    def __exit__(self, *exc):
        self.evidence.reevaluate = self.original


def _describe(target) -> str:
    ref = target.item.ref
    return f"{ref} {target.period[0]:%Y-%m}" if target.period else f"{ref} (whole campaign)"


def bare_insert(obj, attendance: list[tuple] | None) -> tuple[float, int]:
    """INSERT a copy of ``obj``'s row (and ``attendance`` rows (member_id, status, reason,
    voting)) in one transaction with hand-written SQL; returns (seconds, new id); the caller
    removes the row again (:func:`delete_bare`)."""
    from django.db import connection, transaction

    model = type(obj)
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    values = []
    for f in fields:
        value = getattr(obj, f.attname)
        if f.name == "sign_in_token":
            value = value[:30] + "-bare" + str(time.perf_counter_ns())[-6:]
        values.append(f.get_db_prep_save(value, connection))
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id")
    att_sql = None
    if attendance:
        rel = obj.attendance.model
        fk = obj.attendance.field.column
        att_sql = (f"INSERT INTO {qn(rel._meta.db_table)} ({qn(fk)}, member_id, status, reason, voting, "
                   f"signed_in_at) VALUES ")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, values)
        new_id = cur.fetchone()[0]
        if att_sql:
            cur.execute(att_sql + ", ".join(["(%s, %s, %s, %s, %s, NULL)"] * len(attendance)),
                        [v for row in attendance for v in (new_id, *row)])
    seconds = time.perf_counter() - start
    return seconds, new_id


def delete_bare(model, new_id: int) -> None:
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cur:
        if hasattr(model, "attendance"):
            rel = model.attendance.rel.related_model
            fk = model.attendance.field.column
            cur.execute(f"DELETE FROM {qn(rel._meta.db_table)} WHERE {qn(fk)} = %s", [new_id])
        cur.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE id = %s", [new_id])


def measure_saves(meta: dict, repeat: int) -> list[dict]:
    """Each scenario ``repeat`` times on different branches; medians."""
    from taizhang.orgs.models import Member, Organization, Position
    from taizhang.plans.models import Occurrence
    from taizhang.records import services
    from taizhang.records.models import Lecture, Meeting, SelfStudy, StudySession, Talk

    branches = list(Organization.objects.filter(kind="branch").order_by("path"))
    step = max(1, len(branches) // max(repeat, 1))
    picks = [branches[(i * step + 3) % len(branches)] for i in range(repeat)]
    day = dt.date(2023, 10, 17)

    def people(branch):
        posts = {p.role: p.member for p in Position.objects.filter(org=branch, ended_on__isnull=True)
                 .select_related("member__org")}
        ordinary = Member.objects.filter(org=branch, is_active=True).select_related("org").order_by("-pk").first()
        return posts["secretary"], posts.get("organization_member") or posts["secretary"], ordinary

    def study(branch):
        sec, _rec, _m = people(branch)
        return services.create_study_session(branch, day, "学习习近平关于调查研究的重要论述（基准）",
                                             leader=sec, hours=2, place="会议室")

    def party_day(branch):
        sec, rec, _m = people(branch)
        return services.create_meeting(branch, "theme_party_day", day, title="10月主题党日（基准）",
                                       host=sec, recorder=rec, place="会议室", start_time=dt.time(14, 30))

    def lecture(branch):
        sec, _rec, _m = people(branch)
        return services.create_record(Lecture, org=branch, audience=branch, speaker=sec, kind="lecture",
                                      date=day, title="专题党课（基准）")

    def self_study(branch):
        _sec, _rec, member = people(branch)
        return services.create_record(SelfStudy, org=branch, member=member, date=day, title="自学（基准）",
                                      hours=1)

    def talk(branch):
        sec, _rec, member = people(branch)
        return services.create_record(Talk, org=branch, party_a=sec, party_b=member, date=day,
                                      topics="了解思想动态（基准）")

    # Branches whose October study-session occurrence is still pending (the generator skips
    # ≈ 10 % of branch-months): there the save completes it — a real status move.
    pending_ids = list(Occurrence.objects.filter(
        assignment__item__rules__record_kind="study_session", assignment__org__kind="branch",
        period_start__lte=day, period_end__gte=day, status="pending",
    ).order_by("assignment__org__path").values_list("assignment__org_id", flat=True).distinct()[:repeat])
    by_id = {b.pk: b for b in branches}
    study_picks = [by_id[i] for i in pending_ids] + [b for b in picks if b.pk not in pending_ids]
    study_picks = study_picks[:repeat]
    scenarios = [(f"study session ({len(pending_ids)}× Oct pending)", StudySession, study, study_picks),
                 ("主题党日 meeting", Meeting, party_day, picks),
                 ("lecture by the secretary", Lecture, lecture, picks),
                 ("self-study", SelfStudy, self_study, picks),
                 ("talk (no rule uses it)", Talk, talk, picks)]
    results = []
    created: list = []
    for label, model, make, where in scenarios:
        totals, queries, recv_s, recv_q, targets, bare, transitions, att = [], [], [], [], [], [], 0, 0
        first_targets: list[str] = []
        bounds: list[int] = []
        for branch in where:
            with ReceiverProbe() as probe, QueryCounter() as ctx:
                start = time.perf_counter()
                obj = make(branch)
                totals.append(time.perf_counter() - start)
            created.append(obj)
            queries.append(len(ctx))
            if len(probe.calls) != 1:
                fail(f"{label}: the evidence_changed receiver ran {len(probe.calls)} times")
                continue
            call = probe.calls[0]
            recv_s.append(call["seconds"])
            recv_q.append(call["queries"])
            targets.append(len(call["targets"]))
            transitions += call["completed"] + call["reopened"]
            first_targets = first_targets or call["targets"]
            bound, tasks = target_bound(model, branch, call["codes"])
            bounds.append(bound)
            if len(call["targets"]) > bound:
                fail(f"{label}: one save in {branch.code} touched {len(call['targets'])} targets, more than the "
                     f"{bound} task(s) whose rules read it ({', '.join(tasks)}): {call['targets']}")
            rows = None
            if hasattr(obj, "attendance"):
                rows = list(obj.attendance.values_list("member_id", "status", "reason", "voting"))
                att = len(rows)
            seconds, new_id = bare_insert(obj, rows)
            bare.append(seconds)
            delete_bare(model, new_id)
        results.append({"label": label, "total": statistics.median(totals), "queries": statistics.median(queries),
                        "receiver": statistics.median(recv_s), "receiver_queries": statistics.median(recv_q),
                        "targets": max(targets), "targets_list": first_targets, "transitions": transitions,
                        "bare": statistics.median(bare), "attendance": att, "bound": max(bounds, default=0)})

    # Deleting the study sessions again: the same targets fall back if nothing else meets them.
    sessions = [o for o in created if isinstance(o, StudySession)]
    totals, queries, recv_s, recv_q, targets, transitions = [], [], [], [], [], 0
    for obj in sessions:
        with ReceiverProbe() as probe, QueryCounter() as ctx:
            start = time.perf_counter()
            services.delete_record(obj)
            totals.append(time.perf_counter() - start)
        queries.append(len(ctx))
        call = probe.calls[0]
        recv_s.append(call["seconds"])
        recv_q.append(call["queries"])
        targets.append(len(call["targets"]))
        transitions += call["completed"] + call["reopened"]
    bare_del = []
    for obj in sessions[:1] * len(sessions):
        seconds, new_id = bare_insert(obj, [])
        start = time.perf_counter()
        delete_bare(StudySession, new_id)
        bare_del.append(time.perf_counter() - start)
    results.append({"label": "delete that study session", "total": statistics.median(totals),
                    "queries": statistics.median(queries), "receiver": statistics.median(recv_s),
                    "receiver_queries": statistics.median(recv_q), "targets": max(targets),
                    "targets_list": [], "transitions": transitions, "bare": statistics.median(bare_del),
                    "attendance": 0, "bare_label": "bare DELETE"})
    for obj in created:  # leave the data set as it was (matters on a shared database)
        if not isinstance(obj, StudySession):
            services.delete_record(obj)
    return results


def report_saves(results: list[dict], repeat: int) -> None:
    print(f"-- one record saved through the records service, evidence_changed → reevaluate "
          f"(median of {repeat} branches, Oct 2023) --")
    print(f"  {'record':<46} {'service+receiver':>16} {'queries':>7} {'receiver':>9} {'r.queries':>9} "
          f"{'targets':>7} {'bare INSERT':>11} {'ratio':>7}")
    for r in results:
        name = r["label"] + (f", {r['attendance']} attendees" if r["attendance"] else "")
        print(f"  {name:<46} {r['total'] * 1000:13.1f} ms {r['queries']:7.0f} {r['receiver'] * 1000:6.1f} ms "
              f"{r['receiver_queries']:9.0f} {r['targets']:7d} {r['bare'] * 1000:8.2f} ms "
              f"{r['total'] / r['bare']:6.0f}x")
    for n, r in enumerate(results):
        figure(f"save_{n + 1}_with_reevaluation", r["total"] * 1000, "ms", r["total"] / r["bare"])
    for r in results:
        touched = f"touched {', '.join(r['targets_list'])}; " if r["targets_list"] else ""
        if "bound" in r:
            touched += f"at most {r['bound']} (tasks whose rules read this kind); "
        print(f"    {r['label']}: {touched}status moves over all runs: {r['transitions']}")
    print("  (bare INSERT: the same row"
          " — and its attendance rows in one multi-row INSERT — in one transaction; delete: bare DELETE)")



def saves_section(meta: dict, args, scratch: str) -> None:
    """Measure and report the record saves."""
    report_saves(measure_saves(meta, args.repeat), args.repeat)


def main() -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args()
    return run(args, [saves_section])


if __name__ == "__main__":
    sys.exit(main())
