"""The main pages at city scale (issue 14), one request at a time through the URL, view and
template (Django's test client, the committee staff user who sees every branch), each beside
a raw baseline measured in the same run:

- every record list of the registry (``core.sources``, the meeting list first): p95 of
  ``--repeat`` requests, ÷ the raw SQL of the same page (one page of rows and a COUNT(*));
- the home page: p95 and size, ÷ the login page (a page without data);
- the progress board: p95, the number of rows rendered, ÷ the raw SQL aggregate of the same
  cells (``bench_scale.RAW_BOARD_SQL``), warm (``plans.boardcache`` holds the page: nothing
  changed since the last request), first after a change (one branch's period changes its
  status before each request: the cache refreshes that branch's row and the totals) and cold
  (the cache emptied before each request); the drill-down into the first child's board too.
  The ≤1.5× goal is the issue's at 500 branches (scale ≥ 1); below, a request's fixed cost
  (session, user, middleware, base template: several ms) outweighs a raw SQL of ~2 ms, so
  only the ≤300 ms goal is checked there (a line says so);
- the dashboard: p95.

Then the query count of every page is compared with the same page on the data set of a tenth
of the branches (a subprocess): it must be equal, else the exit status is 1.

    python benchmarks/bench_pages.py [--scale 1] [--repeat 20] [--only board]
    python benchmarks/bench_pages.py --database-url postgres://…/city   # filled by citygen.py

Prints ``figure:`` lines (``figures.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import figure, percentile  # noqa: E402

GOAL_MS = "<=300"
RATIO_GOAL = "<=1.5x"
RATIO_GOAL_BRANCHES = 500  # the issue states the 1.5x goal at 500 branches (scale 1)
FAILURES: list[str] = []


def branch_change(campaign_id: int):
    """A ``before`` hook changing one branch's record before each call, as a branch that
    records something: one period of the first branch with periods flips between done and
    pending, ``updated_at`` saved (as ``core.status.apply_transition`` saves it). Its
    ``restore()`` puts the period's status back."""
    from django.utils import timezone

    from taizhang.orgs.models import Organization, OrgKind
    from taizhang.plans.models import Occurrence

    periods = Occurrence.objects.filter(assignment__item__plan__campaign__pk=campaign_id,
                                        assignment__item__responsible__in=["branch", "member"])
    branch = Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path").first()
    found = periods.filter(assignment__org=branch).order_by("pk").values_list("pk", "status").first()
    pk, status = found or periods.filter(assignment__org__kind=OrgKind.BRANCH).order_by(
        "assignment__org__path", "pk").values_list("pk", "status")[0]
    state = {"status": status}

    def change():
        state["status"] = "pending" if state["status"] == "done" else "done"
        Occurrence.objects.filter(pk=pk).update(status=state["status"], updated_at=timezone.now())

    def restore():  # the period's status as it was (a database kept between runs)
        Occurrence.objects.filter(pk=pk).update(status=status, updated_at=timezone.now())

    change.restore = restore
    return change


def timed(client, url: str, repeat: int, before=None) -> dict:
    """GET ``url`` once untimed (warm), then ``repeat`` times: p50/p95 (ms), the size of the
    last answer (bytes) and its query count. ``before()``, when given, runs untimed before
    each timed request (e.g. emptying the cache for a cold figure)."""
    from bench_scale import QueryCounter

    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    if before:  # the counted request is one like the timed ones
        before()
    with QueryCounter() as counter:
        body = client.get(url).content
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "bytes": len(body),
            "queries": counter.count, "body": body}


def raw_page(model, repeat: int) -> float:
    """p95 (ms) of what a list page needs at least: one page of 50 rows (plain column values,
    the model's order) and a COUNT(*) of the table, through the ORM without scoping."""
    ordering = model._meta.ordering or ["-pk"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        list(model._base_manager.order_by(*ordering).values()[:50])
        model._base_manager.count()
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.95)


def measure(args) -> dict:
    """Every page once warm and ``args.repeat`` times timed; returns {name: result}."""
    from bench_scale import raw_board, setup, staff_client

    meta, scratch = setup(args)
    try:
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        from taizhang.core.sources import sources
        from taizhang.orgs.models import Organization
        from taizhang.plans.models import Campaign

        client, _user = staff_client(meta)
        results = {"branches": meta["branches"]}
        login = Client()
        results["login"] = timed(login, reverse("login"), args.repeat)
        ordered = sorted(sources(), key=lambda s: s.code != "meeting") if args.only != "board" else []
        for source in ordered:
            name = source.url_name("list")
            if not name:
                continue
            result = timed(client, reverse(name), args.repeat)
            result["raw"] = raw_page(source.model_class, args.repeat)
            results[f"list_{source.code}"] = result
        for source in ordered:  # the entry forms: choosers instead of every org and member
            try:
                url = reverse(source.url_name("add") or "")
            except NoReverseMatch:  # no add page, or one under its parent (a measure's problem)
                continue
            results[f"add_{source.code}"] = timed(client, url, args.repeat)
        if args.only != "board":
            results["home"] = timed(client, reverse("home"), args.repeat)
        campaign = Campaign.objects.select_related("plan").get(pk=meta["campaign_id"])
        from django.core.cache import cache

        # cold: the board's cache (plans.boardcache) emptied before every request, i.e. what
        # the first request after any change costs; warm: nothing changed since the last one
        url = reverse("plans:board", args=[campaign.pk])
        cold = timed(client, url, args.repeat, before=cache.clear)
        change = branch_change(campaign.pk)
        try:
            changed = timed(client, url, args.repeat, before=change)
        finally:
            change.restore()
        board = timed(client, url, args.repeat)
        board["cold"], board["change"] = cold["p95"], changed["p95"]
        board["change_queries"] = changed["queries"]
        board["rows"] = board["body"].count(b"<tr") - 2  # header and footer rows
        path = Organization.objects.get(code=meta["committee_code"]).path
        raw_times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            raw_board(campaign.plan.pk, path)
            raw_times.append((time.perf_counter() - start) * 1000)
        board["raw"] = percentile(raw_times, 0.95)
        results["board"] = board
        marker = b'data-drill="'
        at = board["body"].find(marker)
        if at >= 0:
            href = board["body"][at + len(marker):board["body"].index(b'"', at + len(marker))].decode()
            drill = timed(client, href.replace("&amp;", "&"), args.repeat)
            drill["rows"] = drill["body"].count(b"<tr") - 2
            results["board_drill"] = drill
        if args.only != "board":
            results["dashboard"] = timed(client, reverse("plans:dashboard", args=[campaign.pk]), args.repeat)
        for result in results.values():
            if isinstance(result, dict):
                result.pop("body", None)
        return results
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)


def small_counts(args) -> dict | None:
    """The query counts of the same pages on the data set of a tenth of the branches."""
    if args.database_url:
        return None
    cmd = [sys.executable, str(Path(__file__).resolve()), "--json", "--scale", f"{args.scale / 10:g}",
           "--repeat", "2", "--only", args.only]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
    for line in out.stdout.splitlines():
        if line.startswith("PAGES_JSON "):
            return json.loads(line[len("PAGES_JSON "):])
    FAILURES.append(f"pages at scale {args.scale / 10:g} failed: {out.stderr.strip()[-600:]}")
    return None


def report(results: dict, small: dict | None, vendor: str) -> None:
    login = results["login"]
    figure(f"login_p95_{vendor}", login["p95"], "ms")
    for key, r in results.items():
        if not key.startswith("list_"):
            continue
        figure(f"{key}_p95_{vendor}", r["p95"], "ms", r["p95"] / r["raw"], GOAL_MS)
    for key, r in results.items():
        if key.startswith("add_"):
            figure(f"{key}_p95_{vendor}", r["p95"], "ms", r["p95"] / login["p95"], GOAL_MS)
            figure(f"{key}_size_{vendor}", r["bytes"] / 1024, "KiB", None, "<=100")
    if "home" in results:
        home = results["home"]
        figure(f"home_p95_{vendor}", home["p95"], "ms", home["p95"] / login["p95"], GOAL_MS)
        figure(f"home_size_{vendor}", home["bytes"] / 1024, "KiB", None, "<=100")
    board = results["board"]
    ratio_goal = RATIO_GOAL if results["branches"] >= RATIO_GOAL_BRANCHES else None
    if ratio_goal is None:
        print(f"  (board: the ≤1.5x goal is stated at {RATIO_GOAL_BRANCHES} branches, checked at scale ≥ 1; "
              f"at {results['branches']} branches the raw SQL ({board['raw']:.1f} ms) is smaller than a "
              f"request's fixed cost, so only ≤300 ms is checked)")
    for name, key in (("board", "p95"), ("board_change", "change"), ("board_cold", "cold")):
        figure(f"{name}_p95_{vendor}", board[key], "ms", board[key] / board["raw"], GOAL_MS)
        figure(f"{name}_vs_raw_sql_{vendor}", board[key], "ms", board[key] / board["raw"], ratio_goal)
    print(f"  (board: raw SQL p95 {board['raw']:.1f} ms; warm = the board's cache holds the page, "
          f"change = one branch's period changed before each request ({board['change_queries']} "
          f"queries), cold = the cache emptied before each request)")
    figure(f"board_rows_{vendor}", board["rows"], "rows", None, "<=200")
    if "board_drill" in results:
        drill = results["board_drill"]
        figure(f"board_drill_p95_{vendor}", drill["p95"], "ms", None, GOAL_MS)
        figure(f"board_drill_rows_{vendor}", drill["rows"], "rows", None, "<=200")
    if "dashboard" in results:
        figure(f"dashboard_p95_{vendor}", results["dashboard"]["p95"], "ms", None, GOAL_MS)
    print(f"  (queries per page at {results['branches']} branches: " + ", ".join(
        f"{k} {v['queries']}" for k, v in results.items() if isinstance(v, dict)) + ")")
    if small:
        for key, r in results.items():
            if isinstance(r, dict) and key in small and small[key]["queries"] != r["queries"]:
                FAILURES.append(f"{key}: {small[key]['queries']} queries at {small['branches']} branches, "
                                f"{r['queries']} at {results['branches']}")
        from taizhang.plans.rollup import rows_limit

        # after a change: one query for the rows of an unpaged board, two (a group, the page's
        # rows) for a paged one: compared when both boards have the same shape
        if (small["branches"] > rows_limit()) != (results["branches"] > rows_limit()):
            print(f"  (board after a change: {small['board'].get('change_queries')} queries at "
                  f"{small['branches']} branches (every row shown), {board['change_queries']} at "
                  f"{results['branches']} (paged: a group and the page's rows); the tests compare each "
                  f"shape at two sizes)")
        elif small.get("board", {}).get("change_queries") != board["change_queries"]:
            FAILURES.append(f"board after a change: {small['board'].get('change_queries')} queries at "
                            f"{small['branches']} branches, {board['change_queries']} at {results['branches']}")
        if not FAILURES:
            print(f"  query counts equal at {small['branches']} and {results['branches']} branches")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (1 = 500 branches)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page (p95)")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--database-url", default=None, help="a database already filled by citygen.py")
    parser.add_argument("--only", choices=("all", "board"), default="all",
                        help="board: the login page and the board only (no record lists, home, dashboard)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.board_only = True  # bench_scale.setup: quiet
    if args.json:
        print("PAGES_JSON " + json.dumps(measure(args)))
        return 0
    small = small_counts(args)
    results = measure(args)
    from django.db import connection

    report(results, small, connection.vendor)
    if FAILURES:
        print("FAILED: " + "; ".join(FAILURES))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
