"""The generator of the province data set (``provincegen.py`` has the sizes, the loading
helpers and the command line; how and why it bypasses the services is told there):
organizations, members and posts by COPY, the seed plan published through the app, records
month by month by COPY, attendance and rectification by ``INSERT … SELECT``, indexes
rebuilt, ``ANALYZE``, the first evaluation. Runs inside a configured Django on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field

from citygen import META_TABLE, MONTHS, SEED
from citygen_content import (
    COMMITTEE_ROLES, DEPARTMENTS, READINGS, STUDY_TOPICS, TALK_TOPICS, THEMES, person_name, working_day,
)
from provincegen import (
    BULK_TABLES, COMMITTEE_CODE, DATASET, STAFF_USERNAME, Clock, copy_rows, database_size,
    drop_indexes, load_average, loading_session, raw_cursor, table_counts,
)

CITIES = ["江州", "临川", "云阳", "青原", "安平", "宁远", "东陵", "西岭", "南浦", "北辰", "长丰", "平湖",
          "清河", "白沙", "金城"]
ORG_COLS = ("id", "created_at", "updated_at", "path", "depth", "numchild", "name", "code", "kind",
            "committee_elected_on")
MEMBER_COLS = ("id", "created_at", "updated_at", "name", "gender", "birth_date", "joined_on", "status",
               "phone", "is_active", "user_id", "group_id", "org_id")
POSITION_COLS = ("id", "created_at", "updated_at", "role", "started_on", "ended_on", "member_id", "org_id",
                 "end_reason")
MEETING_COLS = ("id", "created_at", "updated_at", "date", "kind", "title", "start_time", "end_time", "place",
                "topics", "minutes", "decisions", "invitees", "notes", "sign_in_enabled", "sign_in_token",
                "host_id", "org_id", "recorder_id", "team_id", "att_expected", "att_leave",
                "att_missing_reason", "att_present", "att_voting_expected", "att_voting_present")
LECTURE_COLS = ("id", "created_at", "updated_at", "kind", "title", "date", "place", "audience_count",
                "summary", "audience_id", "org_id", "speaker_id", "meeting_id")
SESSION_COLS = ("id", "created_at", "updated_at", "date", "kind", "theme", "topic", "place", "hours",
                "speakers", "content", "outcomes", "leader_id", "org_id")
SELFSTUDY_COLS = ("id", "created_at", "updated_at", "title", "date", "hours", "notes", "member_id", "org_id",
                  "reading_id")
TALK_COLS = ("id", "created_at", "updated_at", "date", "place", "relation", "mode", "purpose", "topics",
             "opinions", "advice", "follow_up", "org_id", "party_a_id", "party_b_id")


@dataclass
class Branch:
    """A generated branch: its id, name, members ``first … first + size - 1`` (member i is in
    group i % 2), the branch committee (the first members) and its two groups' ids."""

    id: int
    name: str
    elected: dt.date
    first: int = 0
    size: int = 0
    committee: list[int] = field(default_factory=list)
    groups: tuple[int, int] = (0, 0)

    @property
    def ids(self) -> range:
        return range(self.first, self.first + self.size)

    def group_members(self, g: int) -> range:
        return range(self.first + g, self.first + self.size, 2)


def _next_id(table: str) -> int:
    with raw_cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cur.fetchone()[0]


def _reset_sequences(tables) -> None:
    with raw_cursor() as cur:
        for table in tables:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def build_orgs(n: dict, now) -> tuple[int, list[Branch], int]:
    """Province → cities → units → branches → 2 groups each, written by COPY with treebeard
    paths computed directly. Returns (province id, branches, organization count)."""
    from taizhang.orgs.models import Organization, OrgKind

    get_path, step = Organization._get_path, Organization.steplen
    units_per_city = max(1, min(n["units_per_city"], n["branches"] // n["cities"]))
    unit_count = n["cities"] * units_per_city
    per_unit = [n["branches"] // unit_count + (1 if k < n["branches"] % unit_count else 0)
                for k in range(unit_count)]
    next_id = _next_id("orgs_organization")
    rows, branches = [], []

    def add(path, depth, numchild, name, code, kind, elected):
        nonlocal next_id
        rows.append((next_id, now, now, path, depth, numchild, name, code, kind, elected))
        next_id += 1
        return next_id - 1

    root = get_path(None, 1, 1)
    province = add(root, 1, n["cities"], "省直机关工委", COMMITTEE_CODE, OrgKind.COMMITTEE, dt.date(2021, 6, 18))
    b = 0
    for c in range(n["cities"]):
        city_path = get_path(root, 2, c + 1)
        add(city_path, 2, units_per_city, f"{CITIES[c % len(CITIES)]}市直机关工委", f"C{c + 1:02d}",
            OrgKind.COMMITTEE, dt.date(2021, 7, 1))
        for u in range(units_per_city):
            dept = DEPARTMENTS[u % len(DEPARTMENTS)]
            count = per_unit[c * units_per_city + u]
            unit_path = get_path(city_path, 3, u + 1)
            add(unit_path, 3, count, f"{CITIES[c % len(CITIES)]}市{dept}机关党委", f"C{c + 1:02d}U{u + 1:02d}",
                OrgKind.COMMITTEE, dt.date(2021, 9, 1))
            for k in range(count):
                b += 1
                elected = dt.date(2021 + b % 3, 1 + b % 12, 10)
                name = f"{dept}第{k + 1}党支部"
                branch_path = get_path(unit_path, 4, k + 1)
                branch = Branch(add(branch_path, 4, 2, name, f"B{b:05d}", OrgKind.BRANCH, elected), name, elected)
                branch.groups = tuple(add(get_path(branch_path, 5, g), 5, 0, f"第{g}党小组", f"B{b:05d}-{g}",
                                          OrgKind.GROUP, None) for g in (1, 2))
                branches.append(branch)
    assert all(len(r[3]) == r[4] * step for r in rows)
    copy_rows("orgs_organization", ORG_COLS, rows)
    return province, branches, len(rows)


def build_members(n: dict, branches: list[Branch], now) -> tuple[int, int]:
    """Members (25–35 around the mean of 30), the branch committees and group leaders, by
    COPY. Fills each Branch's members and committee. Returns (members, posts)."""
    rng = random.Random(20231010)
    mean = n["members"] / n["branches"]
    raw = [max(7, round(mean + ((b * 37) % 31 - 15) * mean / 60)) for b in range(n["branches"])]
    raw[-1] = max(7, raw[-1] + n["members"] - sum(raw))
    member_id, post_id = _next_id("orgs_member"), _next_id("orgs_position")
    members, posts = [], []
    for br, size in zip(branches, raw, strict=True):
        br.first, br.size = member_id, size
        for i in range(size):
            members.append((member_id, now, now, person_name(rng), "male" if rng.random() < 0.55 else "female",
                            dt.date(rng.randint(1964, 1999), rng.randint(1, 12), 1),
                            dt.date(rng.randint(1985, 2022), rng.randint(1, 12), 1),
                            "probationary" if rng.random() < 0.06 else "full",
                            f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}", True, None,
                            br.groups[i % 2], br.id))
            member_id += 1
        roles = COMMITTEE_ROLES if size >= 30 else [r for r in COMMITTEE_ROLES if r != "deputy_secretary"]
        br.committee = list(br.ids[:len(roles)])
        for pk, role in zip(br.committee, roles, strict=True):
            posts.append((post_id, now, now, role, br.elected, None, pk, br.id, ""))
            post_id += 1
        for g in (0, 1):
            posts.append((post_id, now, now, "group_leader", br.elected, None, br.group_members(g)[-1],
                          br.groups[g], ""))
            post_id += 1
    copy_rows("orgs_member", MEMBER_COLS, members)
    copy_rows("orgs_position", POSITION_COLS, posts)
    return len(members), len(posts)


def build_leadership_and_plan(province_id: int, branches: list[Branch], log):
    """The province's leadership team (7 leaders, each the contact of a share of branches),
    the staff user, and the seed plan published through the app. Returns (campaign, team,
    leaders, readings, publish summary)."""
    from django.contrib.auth import get_user_model

    from taizhang.orgs.models import LeadershipMember, LeadershipTeam, Organization, RoleAssignment
    from taizhang.plans import services as plan_services
    from taizhang.plans.importer import parse_file
    from taizhang.records.models import Reading

    province = Organization.objects.get(pk=province_id)
    team = LeadershipTeam.objects.create(org=province, name="省直机关工委领导班子")
    titles = ["书记", "副书记", "专职副书记", "委员", "委员", "委员", "纪工委书记"]
    leaders = LeadershipMember.objects.bulk_create(
        [LeadershipMember(team=team, member_id=pk, title=title, order=i)
         for i, (pk, title) in enumerate(zip(list(branches[0].ids)[-7:], titles, strict=False))])
    through = LeadershipMember.contact_branches.through._meta.db_table
    copy_rows(through, ("leadershipmember_id", "organization_id"),
              ((leaders[i % len(leaders)].pk, br.id) for i, br in enumerate(branches)))
    user = get_user_model().objects.create_user(STAFF_USERNAME, password="bench")
    RoleAssignment.objects.create(user=user, org=province, role="committee_staff")
    draft = parse_file(SEED)
    campaign = plan_services.save_draft(plan_services.draft_to_dict(draft), province, user=user,
                                        source_name=SEED.name)
    summary = plan_services.publish_plan(campaign, user=user).summary()
    readings = Reading.objects.bulk_create(
        [Reading(org=province, campaign=campaign, title=t, order=i) for i, t in enumerate(READINGS, 1)])
    return campaign, team, leaders, [r.pk for r in readings], summary


def build_records(branches: list[Branch], province_id: int, team, leaders, readings: list[int], now,
                  copy_times: dict) -> dict[str, int]:
    """Records month by month (COPY per table and month); ``copy_times`` gathers the seconds
    per table. Returns rows per table."""
    from taizhang.records.models import LectureKind, MeetingKind, StudyKind, TalkPurpose, TalkRelation
    from taizhang.records.models.meetings import new_sign_in_token

    ids = {t: _next_id(t) for t in ("records_meeting", "records_lecture", "records_studysession",
                                     "records_selfstudy", "records_talk")}
    written = dict.fromkeys(ids, 0)
    for month_index, (year, month) in enumerate(MONTHS):
        out = {t: [] for t in ids}

        def new(table):
            ids[table] += 1
            return ids[table] - 1

        for b, br in enumerate(branches):
            r = random.Random(b * 100 + month_index)
            com, secretary = br.committee, br.committee[0]
            recorder = com[min(2, len(com) - 1)]
            place = f"{br.name[:-5] or br.name}会议室"

            def meeting(kind, org, title, host, rec, topics, minutes, decisions=""):
                pk = new("records_meeting")
                date = working_day(r, year, month)
                out["records_meeting"].append((
                    pk, now, now, date, kind, title, dt.time(r.choice((9, 10, 14, 15)), r.choice((0, 30))),
                    dt.time(r.choice((11, 16, 17)), 0), place, topics, minutes, decisions, "", "", False,
                    new_sign_in_token(), host, org, rec, None, 0, 0, 0, 0, 0, 0))
                return pk, date

            if r.random() >= 0.05:
                meeting(MeetingKind.BRANCH_COMMITTEE_MEETING, br.id, f"{month}月支委会", secretary, recorder,
                        "研究本月主题教育工作安排\n讨论党员发展和教育管理事项", "传达上级通知精神，逐项研究本月工作。",
                        "按计划推进本月各项工作。")
            skip_group = r.randrange(20)  # 0 or 1: that group skips the month (5 % each)
            for g in (0, 1):
                if skip_group != g:
                    gids = br.group_members(g)
                    meeting(MeetingKind.GROUP_MEETING, br.groups[g], f"{month}月党小组学习", gids[-1], gids[0],
                            "学习交流\n谈心谈话", "组织学习并交流心得。")
            if r.random() >= 0.05:
                meeting(MeetingKind.THEME_PARTY_DAY, br.id, f"{month}月主题党日：{STUDY_TOPICS[month_index][:12]}",
                        secretary, recorder, "集中学习\n志愿服务", "学习研讨并开展志愿服务活动。")
            meeting(MeetingKind.BRANCH_GENERAL_MEETING, br.id, f"{year}年{month}月支部党员大会", secretary,
                    recorder, "通报支部工作\n讨论主题教育推进情况", "书记通报工作，党员讨论。")
            pk, date = meeting(MeetingKind.PARTY_LECTURE, br.id, "专题党课", secretary, recorder, "专题党课", "")
            speaker = com[1] if b % 20 == 7 else secretary  # 5 % of branches: the secretary never lectures
            out["records_lecture"].append((
                new("records_lecture"), now, now, LectureKind.LECTURE,
                f"深刻领会{STUDY_TOPICS[month_index % 5][2:16]}", date, place, None,
                "结合本单位实际讲解主题教育要求。", br.id, br.id, speaker, pk))
            if r.random() >= 0.10:
                for k in range(3):
                    out["records_studysession"].append((
                        new("records_studysession"), now, now, working_day(r, year, month),
                        StudyKind.SEMINAR if k == 2 else StudyKind.CONCENTRATED, THEMES[(month_index + k) % 4],
                        STUDY_TOPICS[(month_index + k) % 5], place, 2, "", "", "党员交流学习体会，形成研讨发言材料。",
                        secretary, br.id))
            for k in range(2):
                out["records_lecture"].append((
                    new("records_lecture"), now, now, LectureKind.MICRO_LECTURE,
                    f"微党课：我身边的榜样（{month}-{k + 1}）", working_day(r, year, month), "", None, "",
                    br.id, br.id, br.first + r.randrange(br.size), None))
            if r.random() >= 0.15:
                for k in range(3):
                    out["records_selfstudy"].append((
                        new("records_selfstudy"), now, now, "", working_day(r, year, month), 1,
                        "通读篇目并撰写学习笔记。", br.first + r.randrange(br.size), br.id,
                        readings[(k + month_index) % len(readings)]))
            for _k in range(3):
                a = r.choice(com)
                other = br.first + r.randrange(br.size)
                other = other if other != a else br.first + (other - br.first + 1) % br.size
                out["records_talk"].append((
                    new("records_talk"), now, now, working_day(r, year, month), "书记办公室",
                    TalkRelation.COMMITTEE_COMMITTEE if other in com else TalkRelation.COMMITTEE_MEMBER,
                    "individual",
                    TalkPurpose.ROUTINE if month < 12 and year == 2023 else TalkPurpose.BEFORE_ORGANIZATIONAL_LIFE,
                    r.choice(TALK_TOPICS), "建议支部活动更贴近业务", "", "", br.id, a, other))
        if leaders:  # the province's monthly 理论学习中心组学习 (team attendance)
            out["records_meeting"].append((
                new("records_meeting"), now, now, dt.date(year, month, 6), MeetingKind.CENTRAL_GROUP_STUDY,
                f"{month}月理论学习中心组学习", None, None, "工委会议室", "", "", "", "", "", False,
                new_sign_in_token(), leaders[0].member_id, province_id, None, team.pk, 0, 0, 0, 0, 0, 0))
        columns = {"records_meeting": MEETING_COLS, "records_lecture": LECTURE_COLS,
                   "records_studysession": SESSION_COLS, "records_selfstudy": SELFSTUDY_COLS,
                   "records_talk": TALK_COLS}
        for table, rows in out.items():
            t0 = time.perf_counter()
            written[table] += copy_rows(table, columns[table], rows)
            copy_times[table] = copy_times.get(table, 0) + time.perf_counter() - t0
    return written


def store_meeting_counts() -> None:
    """``Meeting.att_*`` from the attendance rows: one aggregate ``UPDATE … FROM``."""
    with raw_cursor() as cur:
        cur.execute("""
            UPDATE records_meeting m SET att_expected = a.e, att_present = a.p, att_leave = a.l,
                   att_voting_expected = a.ve, att_voting_present = a.vp, att_missing_reason = a.mr
            FROM (SELECT meeting_id, COUNT(*) AS e,
                         COUNT(*) FILTER (WHERE status = 'present') AS p,
                         COUNT(*) FILTER (WHERE status = 'leave') AS l,
                         COUNT(*) FILTER (WHERE voting) AS ve,
                         COUNT(*) FILTER (WHERE voting AND status = 'present') AS vp,
                         COUNT(*) FILTER (WHERE status IN ('leave', 'absent') AND reason = '') AS mr
                  FROM records_attendance GROUP BY meeting_id) a
            WHERE a.meeting_id = m.id""")


def build_rectification(per_branch: int) -> tuple[int, int]:
    """``per_branch / 2`` problems per branch and 2 measures each, by ``INSERT … SELECT``;
    statuses ≈ 40 % closed, 10 % verified, 10 % completed, 25 % in progress, 15 % open."""
    problems = max(1, per_branch // 2)
    with raw_cursor() as cur:
        cur.execute("SELECT MIN(id), COUNT(*) FROM rectification_problemsource")
        first_source, sources = cur.fetchone()
        cur.execute(f"""
            INSERT INTO rectification_problem (created_at, updated_at, category, description, found_on,
                found_by, level, remarks, source_object_id, created_by_id, org_id, source_content_type_id,
                source_id, number)
            SELECT now(), now(), (ARRAY['政治建设', '思想建设', '组织建设', '作风建设', '纪律建设'])[1 + g % 5],
                   '对照检视发现的问题（第' || g || '项）：学习贯彻不够深入，联系实际不够紧密。',
                   DATE '2023-06-01' + ((o.id * 7 + g * 11) % 200)::int, '支部自查',
                   (ARRAY['branch', 'member', 'leadership'])[1 + g % 3], '', NULL, NULL, o.id, NULL,
                   {first_source} + (o.id + g) % {sources}, g
            FROM orgs_organization o CROSS JOIN generate_series(1, {problems}) g
            WHERE o.kind = 'branch' ORDER BY o.id, g""")
        n_problems = cur.rowcount
        cur.execute("""
            WITH x AS (SELECT p.id AS pid, p.org_id, k, ((p.id * 7 + k) % 20)::int AS roll,
                              p.found_on + (30 + (p.id * 13 + k * 29) % 150)::int AS dl
                       FROM rectification_problem p CROSS JOIN generate_series(1, 2) k)
            INSERT INTO rectification_rectification (created_at, updated_at, position, measure, target, kind,
                leader_name, department, person, deadline, due_workday, effective_due, milestone, status,
                progress, progress_on, completion_note, evidence, completed_at, verified_at, closed_on,
                extension_count, version, department_org_id, leader_id, org_id, problem_id, verified_by_id)
            SELECT now(), now(), k, '制定整改措施第' || k || '项：建立学习制度，定期开展专题研讨。',
                   '问题整改到位，形成长效机制', (ARRAY['immediate', 'deadline', 'long_term'])[1 + roll % 3],
                   '支部书记', '党支部', '组织委员', dl,
                   CASE EXTRACT(ISODOW FROM dl) WHEN 6 THEN dl - 1 WHEN 7 THEN dl - 2 END,
                   CASE EXTRACT(ISODOW FROM dl) WHEN 6 THEN dl - 1 WHEN 7 THEN dl - 2 ELSE dl END, '',
                   CASE WHEN roll < 8 THEN 'closed' WHEN roll < 10 THEN 'verified' WHEN roll < 12 THEN 'completed'
                        WHEN roll < 17 THEN 'in_progress' ELSE 'open' END,
                   CASE WHEN roll BETWEEN 12 AND 16 THEN '已制定方案，正在推进' ELSE '' END,
                   CASE WHEN roll BETWEEN 12 AND 16 THEN dl - 20 END,
                   CASE WHEN roll < 12 THEN '已按期完成整改' ELSE '' END, '',
                   CASE WHEN roll < 12 THEN (dl - 10)::timestamptz END,
                   CASE WHEN roll < 10 THEN (dl - 5)::timestamptz END,
                   CASE WHEN roll < 8 THEN dl END, 0, 1, NULL, NULL, org_id, pid, NULL
            FROM x ORDER BY pid, k""")
        return n_problems, cur.rowcount


def generate(n: dict, log=print) -> dict:
    """Build the province of sizes ``n`` (``provincegen.sizes``) into the configured, migrated,
    empty PostgreSQL database. Returns the metadata also stored in ``citygen_meta``."""
    from django.db import connection
    from django.utils import timezone

    from citygen_build import _insert_attendance, _store_member_activity
    from taizhang.plans.evidence import evaluate_campaign
    from taizhang.plans.models import Assignment, AssignmentStatus, Occurrence

    clock, now, t_all = Clock(log), timezone.now(), time.perf_counter()
    load_before = load_average()
    loading_session(True)
    t0 = time.perf_counter()
    rebuild = drop_indexes()
    clock("drop_indexes", t0, f"({len(rebuild)} indexes and unique constraints)")
    t0 = time.perf_counter()
    province_id, branches, org_count = build_orgs(n, now)
    clock("orgs_organization", t0, f"({org_count} rows)")
    t0 = time.perf_counter()
    member_count, post_count = build_members(n, branches, now)
    _reset_sequences(("orgs_organization", "orgs_member", "orgs_position"))
    clock("orgs_member+orgs_position", t0, f"({member_count} + {post_count} rows)")
    t0 = time.perf_counter()
    campaign, team, leaders, readings, summary = build_leadership_and_plan(province_id, branches, log)
    clock("publish", t0, f"({summary})")
    copy_times: dict[str, float] = {}
    t0 = time.perf_counter()
    written = build_records(branches, province_id, team, leaders, readings, now, copy_times)
    _reset_sequences(tuple(written))
    clock("records", t0, "(" + ", ".join(f"{t} {written[t]} rows, COPY {copy_times[t]:.1f} s" for t in written) + ")")
    t0 = time.perf_counter()
    attendance = _insert_attendance(store_counts=False)
    clock("attendance", t0, f"({attendance['meeting']} meeting + {attendance['study']} study rows)")
    t0 = time.perf_counter()
    store_meeting_counts()
    clock("meeting_counts", t0)
    t0 = time.perf_counter()
    _store_member_activity()  # check 20 reads the members' activity months (records 0006)
    clock("member_activity", t0)
    t0 = time.perf_counter()
    problems, measures = build_rectification(n["measures_per_branch"])
    clock("rectification", t0, f"({problems} problems, {measures} measures)")
    t0 = time.perf_counter()
    with raw_cursor() as cur:
        for statement in rebuild:
            cur.execute(statement)
    clock("rebuild_indexes", t0)
    loading_session(False)
    t0 = time.perf_counter()
    with raw_cursor() as cur:
        cur.execute("VACUUM records_meeting")
        cur.execute("ANALYZE")
    clock("analyze", t0)
    t0 = time.perf_counter()
    outcome = evaluate_campaign(campaign)
    clock("evaluate_campaign", t0, f"({outcome.evaluated} targets, {outcome.completed} completed)")
    counts = table_counts()
    records = sum(written.values())
    meta = {
        "dataset": DATASET, "scale": n["branches"] / 500, "seed": SEED.name, "committee_code": COMMITTEE_CODE,
        "staff_username": STAFF_USERNAME, "campaign_id": campaign.pk, "branches": len(branches),
        "groups": 2 * len(branches), "members": member_count, "records": records,
        "meeting_attendance": attendance["meeting"], "study_attendance": attendance["study"],
        "rows_total": records + attendance["meeting"] + attendance["study"],
        "problems": problems, "measures": measures,
        "assignments": counts["plans_assignment"], "occurrences": counts["plans_occurrence"],
        "statuses": {
            "assignments": {s: Assignment.objects.filter(status=s).count() for s in AssignmentStatus.values},
            "occurrences": {s: Occurrence.objects.filter(status=s).count() for s in AssignmentStatus.values}},
        "evaluated": outcome.evaluated, "completed": outcome.completed, "timings": clock.times,
        "seconds": round(time.perf_counter() - t_all, 1), "load_average": f"{load_before} → {load_average()}",
        "db_bytes": database_size(), "counts": counts, "vendor": connection.vendor,
        "bulk_tables": list(BULK_TABLES),
    }
    with raw_cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(50) PRIMARY KEY, value text)")
        cur.execute(f"DELETE FROM {META_TABLE}")
        cur.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", ["meta", json.dumps(meta)])
    log(f"done in {meta['seconds']} s; {meta['rows_total']} rows of records and attendance; "
        f"database {meta['db_bytes'] / 2**30:.2f} GiB; load average {meta['load_average']}")
    return meta
