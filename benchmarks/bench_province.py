"""The main pages at province scale (issue 14) on a PostgreSQL database filled by
``provincegen.py`` (10,000 branches, 300,000 members, ~10 million rows of records and
attendance, 2,000,000 rectification measures), one request at a time through the URL, view
and template (the province's committee staff user, who sees every branch), each beside a raw
baseline measured in the same run:

- the progress board rolled up (one row per city), ÷ the raw SQL aggregate of the same cells
  (``bench_scale.RAW_BOARD_SQL`` over the whole province), warm, first after one branch's
  change (``bench_pages.branch_change``, restored after) and cold; its first drill-down (one city),
  ÷ the same SQL over that city;
- the rectification ledger, ÷ one page of 50 measures and a COUNT(*) (``bench_pages.raw_page``);
- the meeting list, ÷ the same raw page of meetings;
- the compliance overview of one city for 2023, ÷ one SQL ``GROUP BY`` counting that city's
  meetings per organization × month × kind (as ``bench_compliance.py``).

    python benchmarks/bench_province.py --database-url postgres://postgres@127.0.0.1/taizhang_province
    TAIZHANG_BENCH_PROVINCE_URL=… python benchmarks/run.py    # full run only

Without a URL (option or ``TAIZHANG_BENCH_PROVINCE_URL``) it prints why it is skipped and
exits 0; generating the set takes ~20 minutes, so it is never generated here. Prints
``figure:`` lines (``figures.py``); exit status 1 only when a page fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_pages import GOAL_MS, branch_change, raw_page, timed  # noqa: E402
from figures import figure, percentile  # noqa: E402

ENV = "TAIZHANG_BENCH_PROVINCE_URL"
YEAR = "2023"
RAW_COMPLIANCE_SQL = """
SELECT m.org_id, m.kind, to_char(m.date, 'YYYY-MM'), COUNT(*) FROM records_meeting m
JOIN orgs_organization o ON o.id = m.org_id
WHERE o.path LIKE %s AND m.date BETWEEN %s AND %s GROUP BY 1, 2, 3
"""


def p95_of(func, repeat: int) -> float:
    """p95 (ms) of ``repeat`` calls of ``func`` after one untimed call."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.95)


def page(client, url: str, repeat: int) -> dict:
    """``bench_pages.timed`` of ``url``, with fewer requests for a slow page: one request is
    timed first; above 5 s the p95 is of 3 requests, above 30 s of 1 (noted as ``repeat``)."""
    start = time.perf_counter()
    client.get(url)
    first = time.perf_counter() - start
    repeat = repeat if first < 5 else min(repeat, 3) if first < 30 else 1
    result = timed(client, url, repeat)
    result["repeat"] = repeat
    return result


def raw_sql(sql: str, params: list):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def measure(args) -> dict:
    """Every page warm once then ``args.repeat`` times; returns {name: result with "raw"}."""
    from bench_scale import RAW_BOARD_SQL, setup, staff_client

    meta, scratch = setup(args)
    if meta.get("dataset") != "province":
        raise SystemExit("this database holds no province set (run provincegen.py)")
    from django.core.cache import cache
    from django.urls import reverse

    from taizhang.compliance import periods as P
    from taizhang.core.sources import sources
    from taizhang.orgs.models import Organization
    from taizhang.plans.models import Campaign
    from taizhang.records.models import Meeting
    from taizhang.rectification.models import Rectification

    client, _user = staff_client(meta)
    results = {"meta": meta}
    campaign = Campaign.objects.select_related("plan").get(pk=meta["campaign_id"])
    root = Organization.objects.get(code=meta["committee_code"])
    board_url = reverse("plans:board", args=[campaign.pk])
    board = page(client, board_url, args.repeat)
    board["rows"] = board["body"].count(b"<tr") - 2  # header and footer rows
    board["raw"] = p95_of(lambda: raw_sql(RAW_BOARD_SQL, [campaign.plan.pk, root.path + "%"]), args.repeat)
    # cold: the board's cache (plans.boardcache) emptied before every request, i.e. the first
    # request after any change in the province (the figures above are warm: nothing changed)
    board["cold"] = timed(client, board_url, args.repeat, before=cache.clear)["p95"]
    # first after a change: one branch's period changes before each request (restored after);
    # the cache counts again that branch's city only (plans.boardparts.refresh)
    change = branch_change(campaign.pk)
    try:
        board["change"] = timed(client, board_url, args.repeat, before=change)["p95"]
    finally:
        change.restore()
    results["board"] = board
    marker = b'data-drill="'
    at = board["body"].find(marker)
    if at >= 0:
        href = board["body"][at + len(marker):board["body"].index(b'"', at + len(marker))].decode()
        href = href.replace("&amp;", "&")
        if href.startswith("?"):  # relative to the board (bench_pages requested "/?under=…", the home page)
            href = board_url + href
        child = Organization.objects.get(pk=parse_qs(urlsplit(href).query)["under"][0])
        drill = page(client, href, args.repeat)
        drill["rows"] = drill["body"].count(b"<tr") - 2
        drill["raw"] = p95_of(lambda: raw_sql(RAW_BOARD_SQL, [campaign.plan.pk, child.path + "%"]), args.repeat)
        drill["cold"] = timed(client, href, args.repeat, before=cache.clear)["p95"]
        drill["org"] = child.name
        results["board_drill"] = drill
    ledger = page(client, reverse("rectification:ledger"), args.repeat)
    ledger["raw"] = raw_page(Rectification, args.repeat)
    # cold: the kept figures (rectification.ledgercache) emptied before every request, i.e. the
    # first request after any change (the figure above is warm: nothing changed)
    ledger["cold"] = timed(client, reverse("rectification:ledger"), min(args.repeat, 3), before=cache.clear)["p95"]
    results["ledger"] = ledger
    meeting_source = next(s for s in sources() if s.code == "meeting")
    meetings = page(client, reverse(meeting_source.url_name("list")), args.repeat)
    meetings["raw"] = raw_page(Meeting, args.repeat)
    results["list_meeting"] = meetings
    city = Organization.objects.filter(depth=root.depth + 1, path__startswith=root.path).order_by("path").first()
    period = P.parse(YEAR)
    overview = page(client, f"{reverse('compliance:overview')}?org={city.pk}&period={YEAR}", args.repeat)
    overview["raw"] = p95_of(lambda: raw_sql(RAW_COMPLIANCE_SQL, [city.path + "%", period.start, period.end]),
                             args.repeat)
    overview["org"] = city.name
    # cold: the kept summary (compliance.overview) emptied before every request; the kept
    # findings (compliance.store) stay, as after a change outside the city
    overview["cold"] = timed(client, f"{reverse('compliance:overview')}?org={city.pk}&period={YEAR}",
                             min(args.repeat, 3), before=cache.clear)["p95"]
    results["compliance_city"] = overview
    for result in results.values():
        if isinstance(result, dict):
            result.pop("body", None)
    from django.db import connection

    connection.close()
    return results


def report(results: dict) -> None:
    meta = results["meta"]
    print(f"province set: {meta['branches']} branches, {meta['members']} members, {meta['records']} records + "
          f"{meta['meeting_attendance'] + meta['study_attendance']} attendance rows, {meta['measures']} measures "
          f"(generated in {meta['seconds']} s)")
    board = results["board"]
    figure("province_board_p95_postgresql", board["p95"], "ms", board["p95"] / board["raw"], GOAL_MS)
    figure("province_board_vs_raw_sql_postgresql", board["p95"], "ms", board["p95"] / board["raw"], "<=1.5x")
    figure("province_board_change_p95_postgresql", board["change"], "ms", board["change"] / board["raw"], GOAL_MS)
    figure("province_board_change_vs_raw_sql_postgresql", board["change"], "ms", board["change"] / board["raw"],
           "<=1.5x")
    figure("province_board_cold_p95_postgresql", board["cold"], "ms", board["cold"] / board["raw"], GOAL_MS)
    figure("province_board_cold_vs_raw_sql_postgresql", board["cold"], "ms", board["cold"] / board["raw"], "<=1.5x")
    figure("province_board_rows_postgresql", board["rows"], "rows", None, "<=200")
    figure("province_board_size_postgresql", board["bytes"] / 1024, "KiB", None, None)
    if "board_drill" in results:
        drill = results["board_drill"]
        print(f"  drill-down into {drill['org']}")
        figure("province_board_drill_p95_postgresql", drill["p95"], "ms", drill["p95"] / drill["raw"], GOAL_MS)
        figure("province_board_drill_vs_raw_sql_postgresql", drill["p95"], "ms", drill["p95"] / drill["raw"],
               "<=1.5x")
        figure("province_board_drill_cold_p95_postgresql", drill["cold"], "ms", drill["cold"] / drill["raw"],
               GOAL_MS)
        figure("province_board_drill_cold_vs_raw_sql_postgresql", drill["cold"], "ms", drill["cold"] / drill["raw"],
               "<=1.5x")
        figure("province_board_drill_rows_postgresql", drill["rows"], "rows", None, "<=200")
    ledger = results["ledger"]
    figure("province_ledger_p95_postgresql", ledger["p95"], "ms", ledger["p95"] / ledger["raw"], GOAL_MS)
    figure("province_ledger_cold_p95_postgresql", ledger["cold"], "ms", ledger["cold"] / ledger["raw"], GOAL_MS)
    meetings = results["list_meeting"]
    figure("province_list_meeting_p95_postgresql", meetings["p95"], "ms", meetings["p95"] / meetings["raw"], GOAL_MS)
    overview = results["compliance_city"]
    print(f"  compliance overview of {overview['org']} for {YEAR}")
    figure("province_compliance_city_p95_postgresql", overview["p95"], "ms", overview["p95"] / overview["raw"],
           "<=5x")
    figure("province_compliance_city_cold_p95_postgresql", overview["cold"], "ms", overview["cold"] / overview["raw"],
           "<=5x")
    print("  raw baselines (p95 ms): " + ", ".join(
        f"{k} {v['raw']:.1f}" for k, v in results.items() if isinstance(v, dict) and "raw" in v))
    print("  requests per p95: " + ", ".join(
        f"{k} {v['repeat']}" for k, v in results.items() if isinstance(v, dict) and "repeat" in v))
    print("  queries per page: " + ", ".join(
        f"{k} {v['queries']}" for k, v in results.items() if isinstance(v, dict) and "queries" in v))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(ENV),
                        help=f"a database filled by provincegen.py (default ${ENV})")
    parser.add_argument("--repeat", type=int, default=10, help="requests per page (p95)")
    args = parser.parse_args(argv)
    if not args.database_url:
        print(f"skipped: no province database (set {ENV} or pass --database-url; fill it with "
              "benchmarks/provincegen.py, about 20 minutes)")
        return 0
    args.board_only = True  # scale_common.setup: quiet
    report(measure(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
