"""The committee view of 专题组织生活会 and 民主评议 across branches (issue 10 §2) at city scale,
beside a raw baseline measured in the same run:

- the page ``/evaluation/branches/?year=2023`` of the committee staff user (client → URL →
  view → template): median time and query count;
- ``evaluation.branchlife.branch_life()`` alone (the figures without the template);
- the raw baseline: one hand-written SQL ``GROUP BY`` giving per branch the members due and
  graded (N and n), the figure the page rests on; the page's figures are checked against it;
- the same page on the data set of a tenth of the branches, in a subprocess: the query count
  must be equal (it does not depend on the number of branches), else exit status 1.

    python benchmarks/bench_branchlife.py [--scale 1] [--repeat 5]   # 500 branches
    python benchmarks/bench_branchlife.py --scale 0.1                # smoke test

The data set is ``citygen.py``'s (cached per scale), copied privately; it has no 专题组织生活会
and no grades, so this benchmark adds them to its copy with bulk inserts: one meeting per
branch in December 2023 (every active member of the branch expected, present; a tenth of the
branches hold none) and a 2023 grade for each active member except every 13th (a fifth of
the full members of a branch 优秀).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scale_common  # noqa: E402
from scale_common import median_time  # noqa: E402

YEAR = 2023
RAW_SQL = """
SELECT o.id, COUNT(DISTINCT m.id), COUNT(DISTINCT a.id)
FROM orgs_organization o
JOIN orgs_member m ON m.org_id = o.id AND m.is_active = %s AND (m.joined_on IS NULL OR m.joined_on <= %s)
LEFT JOIN evaluation_appraisal a ON a.member_id = m.id AND a.year = %s
WHERE o.path LIKE %s AND o.kind = 'branch'
GROUP BY o.id
"""


def add_org_life_and_grades() -> tuple[int, int]:
    """Bulk-insert the meetings, their attendance and the grades (see the module docstring)."""
    from django.db import connection, transaction

    from taizhang.evaluation.models import Appraisal, Grade
    from taizhang.orgs.models import Member, MemberStatus, Organization, OrgKind
    from taizhang.records.models import Attendance, Meeting, MeetingKind

    day = dt.date(YEAR, 12, 22)
    with transaction.atomic():
        branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path"))
        Meeting.objects.bulk_create(
            [Meeting(org=b, kind=MeetingKind.ORGANIZATIONAL_LIFE_MEETING, date=day, title="专题组织生活会")
             for i, b in enumerate(branches) if i % 10 != 9], batch_size=5000)
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {Attendance._meta.db_table} (meeting_id, member_id, status, reason, voting) "
                f"SELECT r.id, p.id, 'present', '', %s FROM {Meeting._meta.db_table} r "
                f"JOIN {Member._meta.db_table} p ON p.org_id = r.org_id "
                "WHERE r.kind = %s AND p.is_active = %s",
                [True, MeetingKind.ORGANIZATIONAL_LIFE_MEETING, True])
        grades, per_branch = [], {}
        for m in Member.objects.filter(is_active=True).order_by("org_id", "pk").values("pk", "org_id", "status"):
            seen = per_branch.setdefault(m["org_id"], [0])
            seen[0] += 1
            if m["pk"] % 13 == 0:
                continue
            excellent = m["status"] == MemberStatus.FULL and seen[0] % 5 == 0
            grades.append(Appraisal(org_id=m["org_id"], member_id=m["pk"], year=YEAR, rated_on=day,
                                    grade=Grade.EXCELLENT if excellent else Grade.QUALIFIED))
        Appraisal.objects.bulk_create(grades, batch_size=5000)
    return len(branches), len(grades)


def measure(scale: float, repeat: int) -> dict:
    """The page, ``branch_life()`` and the raw SQL on a private copy of the data set of
    ``scale`` (``scale_common.setup``: copy, Django set-up, plain static storage, migrate),
    after :func:`add_org_life_and_grades`."""
    meta, scratch = scale_common.setup(argparse.Namespace(scale=scale, cache_dir=None, database_url=None,
                                                          board_only=True))
    try:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from taizhang.evaluation.branchlife import branch_life
        from taizhang.orgs.models import Organization

        branches, grades = add_org_life_and_grades()
        root = Organization.objects.get(code=meta["committee_code"])
        client = Client()
        client.force_login(get_user_model().objects.get(username=meta["staff_username"]))
        url = reverse("evaluation:branch_life")
        params = {"org": root.pk, "year": YEAR}
        assert client.get(url, params).status_code == 200
        page = median_time(lambda: client.get(url, params), repeat)
        with CaptureQueriesContext(connection) as log:
            size = len(client.get(url, params).content)
        today = dt.date(YEAR + 1, 3, 1)
        build = median_time(lambda: branch_life(root, YEAR, today), repeat)

        def raw():
            with connection.cursor() as cur:
                cur.execute(RAW_SQL, [True, dt.date(YEAR, 12, 31), YEAR, root.path + "%"])
                return cur.fetchall()

        raw_rows = raw()
        raw_time = median_time(raw, max(repeat, 5))
        report = branch_life(root, YEAR, today)
        ours = {r.org.pk: (r.members, r.graded) for r in report.rows}
        bad = sum(1 for pk, n_due, n_graded in raw_rows if ours.get(pk) != (n_due, n_graded))
        return {"scale": scale, "branches": branches, "members": meta.get("members"), "grades": grades,
                "queries": len(log.captured_queries), "page": page, "build": build, "raw": raw_time,
                "bytes": size, "rows": len(report.rows), "raw_rows": len(raw_rows), "bad": bad,
                "late": len(report.late), "held": report.held}
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (1 = 500 branches)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one", action="store_true", help="measure one scale, print JSON (internal)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.scale, args.repeat)))
        return 0
    results = scale_common.two_scales(__file__, args.scale, args.repeat)
    if results is None:
        return 1
    failed = False
    for r in results:
        print(f"scale {r['scale']:g}: {r['branches']} branches, {r['members']} members, {r['grades']} grades; "
              f"{r['held']} held, {r['late']} late")
        print(f"  page (client→view→template)  median {r['page'] * 1000:8.1f} ms   queries {r['queries']}   "
              f"{r['bytes'] / 1024:.0f} KiB")
        print(f"  branch_life() alone          median {r['build'] * 1000:8.1f} ms")
        print(f"  raw SQL N and n per branch   median {r['raw'] * 1000:8.1f} ms   1 query → ratio page/raw "
              f"{r['page'] / r['raw']:.1f}×, branch_life/raw {r['build'] / r['raw']:.1f}×")
        if r["bad"] or r["rows"] != r["raw_rows"]:
            failed = True
            print(f"  !! figures differ from the raw SQL: {r['bad']} wrong, {r['rows']} rows vs {r['raw_rows']}")
        else:
            print(f"  graded n of N agree with the raw SQL for all {r['rows']} branches")
    small, large = results
    same = small["queries"] == large["queries"]
    print(f"queries at {small['branches']} vs {large['branches']} branches: {small['queries']} vs "
          f"{large['queries']} → {'independent of the number of branches' if same else 'DEPENDS ON BRANCHES'}")
    return 0 if same and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
