"""Publishing the seed plan to a city (issue 3 §5), beside a raw baseline from the same run:

- ``plans.services.publish_plan`` of the real seed task list to a committee with 500 branches
  (2 Party groups and ~40 members each, no records yet, as in real life): ≈ 4,000 assignments
  and 5,000 monthly occurrences. Median wall time and number of queries of the first publish,
  of publishing again (nothing changes) and of a re-publish after an edit (三.2（3） no longer
  monthly: its ≈ 2,500 pending occurrences are removed, with their audit entries; 三.3 gets a
  new deadline for every branch);
- the raw baseline: a bare ``bulk_create`` of the same assignment and occurrence rows (same
  items, orgs, dates) for a copy of the plan, in one transaction — what writing the rows costs
  at all through the ORM;
- the same three publishes on a committee with a tenth of the branches, in the same database:
  apart from the INSERT batches of the new rows (one per batch, Django's batch on SQLite is
  ~100 rows for its 999-parameter limit, 1,000 on PostgreSQL) the statements must be the same
  number, else the exit status is 1.

    python benchmarks/bench_publish.py [--branches 500] [--repeat 3]
    python benchmarks/bench_publish.py --branches 20 --repeat 1            # smoke test, seconds
    python benchmarks/bench_publish.py --database-url postgres://…/scratch  # an EMPTY database

The data set is built here (organizations, members and posts written with ``bulk_create``, as
``citygen.py`` does; the plan through ``parse_file`` → ``save_draft``), in a temporary SQLite
file unless ``--database-url`` names an empty database (it is left filled).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402
from figures import figure  # noqa: E402
from bench_scale import QueryCounter  # noqa: E402

FAILURES: list[str] = []
TABLES = ("plans_assignment", "plans_occurrence", "plans_submission", "auditlog_logentry",
          "core_event")


class QueryLog(QueryCounter):
    """Counts the statements sent on the default connection, and apart the row batches:
    INSERT, UPDATE and DELETE statements on the tables whose rows grow with the branches
    (:data:`TABLES`), which Django sends in batches (INSERT up to 1,000 rows — ~100 on
    SQLite for its 999 parameters —, bulk UPDATE 1,000, DELETE 100)."""

    def __init__(self):
        super().__init__()
        self.batches: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        words = sql.split(None, 3)
        verb = words[0].upper() if words else ""
        table = {"INSERT": words[2:3], "UPDATE": words[1:2], "DELETE": words[2:3]}.get(verb, [""])
        table = table[0].strip('"`') if table else ""
        if table in TABLES:
            key = f"{verb.lower()} {table.split('_', 1)[1]}"
            self.batches[key] = self.batches.get(key, 0) + 1
        return super().__call__(execute, sql, params, many, context)

    @property
    def other(self) -> int:
        """Statements that are not row batches: their number must not depend on the rows."""
        return self.count - sum(self.batches.values())


def build_committee(index: int, code: str, branches: int, members: int):
    """A committee (root ``index``) with ``branches`` branches, 2 groups and ``members``
    members each (a secretary post per branch), written with bulk_create."""
    from django.db import transaction

    from taizhang.orgs.models import Member, Organization, OrgKind, Position

    with transaction.atomic():
        root_path = Organization._get_path(None, 1, index)
        committee = Organization.objects.create(
            name=f"{code}党委", code=code, kind=OrgKind.COMMITTEE, path=root_path, depth=1,
            numchild=branches)
        Organization.objects.bulk_create([
            Organization(name=f"{citygen.DEPARTMENTS[b % len(citygen.DEPARTMENTS)]}第{b}党支部",
                         code=f"{code}-{b:03d}", kind=OrgKind.BRANCH,
                         path=Organization._get_path(root_path, 2, b), depth=2, numchild=2)
            for b in range(1, branches + 1)], batch_size=citygen.BATCH)
        branch_rows = list(Organization.objects.filter(path__startswith=root_path, depth=2))
        Organization.objects.bulk_create([
            Organization(name=f"第{g}党小组", code=f"{br.code}-{g}", kind=OrgKind.GROUP,
                         path=Organization._get_path(br.path, 3, g), depth=3, numchild=0)
            for br in branch_rows for g in (1, 2)], batch_size=citygen.BATCH)
        Member.objects.bulk_create([
            Member(org=br, name=f"党员{i}", gender="male" if i % 2 else "female",
                   joined_on=dt.date(2000 + i % 20, 1, 1), status="full")
            for br in branch_rows for i in range(members)], batch_size=citygen.BATCH)
        first = {}
        for pk, org_id in Member.objects.filter(org__in=branch_rows).order_by("pk").values_list(
                "pk", "org_id"):
            first.setdefault(org_id, pk)
        Position.objects.bulk_create([
            Position(member_id=first[br.pk], org=br, role="secretary", started_on=dt.date(2021, 6, 1))
            for br in branch_rows], batch_size=citygen.BATCH)
    return committee


def new_campaign(committee):
    from taizhang.plans import services
    from taizhang.plans.importer import parse_file

    draft = services.draft_to_dict(parse_file(citygen.SEED))
    return services.save_draft(draft, committee, source_name=citygen.SEED.name)


def timed_publish(campaign) -> tuple[float, QueryLog, object]:
    from taizhang.plans import services

    with QueryLog() as log:
        start = time.perf_counter()
        result = services.publish_plan(campaign)
        seconds = time.perf_counter() - start
    return seconds, log, result


def edit(campaign) -> None:
    """三.2（3） no longer monthly; 三.3 due at the end of November."""
    from taizhang.plans.models import PlanItem

    PlanItem.objects.filter(plan=campaign.plan, ref="三.2（3）").update(recurrence="")
    PlanItem.objects.filter(plan=campaign.plan, ref="三.3").update(
        due=dt.date(2023, 11, 30), due_workday=None)
    campaign.refresh_from_db()


def publish_three(committee) -> dict:
    """First publish, publish again, publish after :func:`edit` of a new campaign; the rows
    of the first publish are kept for :func:`baseline`."""
    from taizhang.plans.models import Assignment, Occurrence

    campaign = new_campaign(committee)
    out = {}
    for label in ("first", "again", "edited"):
        if label == "edited":
            edit(campaign)
        seconds, log, result = timed_publish(campaign)
        log.batches["insert logentry"] -= 1  # the campaign's own audit entry, one per publish
        out[label] = {"seconds": seconds, "queries": log.count, "other": log.other,
                      "batches": {k: n for k, n in log.batches.items() if n}, "result": result}
        if label == "first":
            out["rows"] = (
                list(Assignment.objects.filter(item__plan=campaign.plan).values_list(
                    "pk", "item__ref", "org_id", "due")),
                list(Occurrence.objects.filter(assignment__item__plan=campaign.plan).values_list(
                    "assignment_id", "period_start", "period_end", "due")))
    out["campaign"] = campaign
    return out


def baseline(committee, rows, occurrences) -> tuple[float, int, int]:
    """A bare bulk_create of the published ``rows`` (assignments: pk, item ref, org id, due)
    and ``occurrences`` (assignment id, period start, end, due) for a copy of the plan, in one
    transaction; returns (seconds, assignments, occurrences)."""
    from django.db import transaction

    from taizhang.plans.models import Assignment, Occurrence

    copy = new_campaign(committee)
    item_of = dict(copy.plan.items.values_list("ref", "pk"))
    assignments = [Assignment(item_id=item_of[ref], org_id=org_id, due=due) for _pk, ref, org_id, due in rows]
    start = time.perf_counter()
    with transaction.atomic():
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        new_pk = {old: a.pk for (old, *_rest), a in zip(rows, assignments, strict=True)}
        Occurrence.objects.bulk_create([
            Occurrence(assignment_id=new_pk[a_id], period_start=start_, period_end=end, due=due)
            for a_id, start_, end, due in occurrences], batch_size=1000)
    return time.perf_counter() - start, len(assignments), len(occurrences)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=500)
    parser.add_argument("--members", type=int, default=40, help="members per branch")
    parser.add_argument("--repeat", type=int, default=3, help="campaigns published (median)")
    parser.add_argument("--database-url", default=None, help="an empty database to fill")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="tz-bench-publish-")
    citygen.use_database(args.database_url or f"sqlite:///{scratch}/publish.sqlite3", scratch)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    small_n = max(1, args.branches // 10)
    city = build_committee(1, "PUB", args.branches, args.members)
    small = build_committee(2, "PUBS", small_n, args.members)
    print(f"publish_plan of the seed ({connection.vendor}): committee with {args.branches} branches "
          f"({2 * args.branches} groups, {args.branches * args.members} members), no records "
          f"(set up in {time.perf_counter() - t0:.1f} s)", flush=True)

    publish_three(small)  # warm-up (imports, content types), not counted
    runs, raws = [], []
    for _ in range(args.repeat):
        runs.append(publish_three(city))
        raws.append(baseline(city, *runs[-1]["rows"]))
    first = runs[0]["first"]["result"]
    raw_seconds = statistics.median(r[0] for r in raws)
    if (raws[0][1], raws[0][2]) != (first.assignments_created, first.occurrences_created):
        FAILURES.append(f"baseline rows {raws[0][1:]} differ from the publish's")
    print(f"  rows: {first.assignments_created} assignments, {first.occurrences_created} occurrences "
          f"(median of {args.repeat} campaigns)")
    for label, text in (("first", "first publish"), ("again", "publish again (no change)"),
                        ("edited", "after an edit")):
        seconds = statistics.median(r[label]["seconds"] for r in runs)
        run = runs[0][label]
        batches = ", ".join(f"{k} {n}" for k, n in sorted(run["batches"].items()))
        figure(f"publish_{label}_{args.branches}_branches", seconds * 1000, "ms", seconds / raw_seconds)
        print(f"  {text:<27} {seconds * 1000:8.0f} ms  ratio {seconds / raw_seconds:5.2f}x   "
              f"queries {run['queries']:4d} = {run['other']} + row batches ({batches or 'none'})")
    edited = runs[0]["edited"]["result"]
    print(f"    (the edit: {edited.occurrences_removed} occurrences removed with their audit entries, "
          f"{edited.assignments_updated} deadlines changed)")
    print(f"  raw bulk_create of the same rows  {raw_seconds * 1000:8.0f} ms  (1.00x)")

    small_run = publish_three(small)
    print(f"  queries at {small_n} branches:", end="")
    for label in ("first", "again", "edited"):
        big, little = runs[0][label], small_run[label]
        same = big["other"] == little["other"]
        print(f"  {label} {little['queries']} = {little['other']} + {little['queries'] - little['other']}",
              end="")
        if not same:
            FAILURES.append(f"{label}: {little['other']} statements besides row batches at "
                            f"{small_n} branches, {big['other']} at {args.branches}")
    print()
    expected = {f"insert {t}": math.ceil(n / 1000) for t, n in (
        ("assignment", first.assignments_created), ("occurrence", first.occurrences_created))}
    if connection.vendor == "postgresql" and runs[0]["first"]["batches"] != expected:
        FAILURES.append(f"first publish: row batches {runs[0]['first']['batches']}, not {expected}")
    connection.close()
    shutil.rmtree(scratch, ignore_errors=True)
    if FAILURES:
        print("FAILED: " + "; ".join(FAILURES))
        return 1
    print(f"  statements besides the row batches: the same at {small_n} and {args.branches} branches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
