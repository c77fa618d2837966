"""The city-scale data set of issue 3 §5, reused by the benchmarks (bench_scale, issue 5's
compliance benchmark): one committee, 500 branches (2 Party groups each, a secretary and a
branch committee per domain-rules §1: ≥ 7 full members → 书记, 副书记, 组织/宣传/纪检委员),
20,000 members, the real seed task list imported and published (assignments and monthly
occurrences), 200,000 records from 2023-09 to 2024-01 with attendance rows, and the evidence
evaluated once so that assignment and occurrence statuses are real.

``--scale`` multiplies branches, members and records (0.1 → 50 branches, 2,000 members,
20,000 records); a small scale takes seconds. The generated SQLite file is cached between
runs, keyed by scale, generator version and the seed's content::

    python benchmarks/citygen.py [--scale 1] [--force] [--cache-dir DIR]
    python benchmarks/citygen.py --database-url postgres://…/city   # into PostgreSQL (no cache)

From Python (before ``django.setup()``, which this module never calls at import)::

    from citygen import ensure, working_copy, use_database
    path = ensure(0.1)                 # cached file, generated in a subprocess when missing
    work = working_copy(0.1, tmpdir)   # a private copy to write into (WAL checkpointed)
    use_database(f"sqlite:///{work}", tmpdir); django.setup()
    info = read_meta()                 # {"scale", "branches", "members", "records", …}

How it is built (speed over realism of the write path, documented on purpose):
- organizations are written with ``bulk_create`` and their treebeard ``path``/``depth``/
  ``numchild`` computed directly (``Organization._get_path``), not through ``add_child``;
- members, positions, the leadership team and every record are written with ``bulk_create``
  in batches of 5,000 — no service functions, so no validation, no audit-trail entries and no
  ``evidence_changed`` signals for the generated records;
- attendance rows (≈ 1.25 M meeting rows + 0.8 M study rows at full scale) are written by
  one ``INSERT … SELECT`` per attendee rule joining records to members: a branch meeting
  expects every active member of the branch, a 党小组会 the group's members, a 支委会 the
  branch committee (current posts); the status (≈ 7 % on leave with a reason, 2 % absent) is
  a deterministic function of the ids; ``voting`` follows the member's status;
- only the plan goes through the app: ``plans.importer.parse_file`` →
  ``services.save_draft`` → ``services.publish_plan`` (before any record exists), then
  ``plans.evidence.evaluate_campaign`` once after the records (its time is kept in the
  metadata table ``citygen_meta``).

Records per branch and month (80 at full scale): 20 meetings (4 支委会, 4 党小组会 per group,
3 主题党日, 2 党员大会, 3 党课 each with its Lecture), 8 study sessions, 9 micro-lectures,
10 self-studies, and talks for the rest. A deterministic few branch-months skip a kind
(≈ 10 % study sessions, 15 % self-study, 5 % 支委会 / 主题党日 / one group's 党小组会) — the
skipped records become talks — so the board and issue 5's checks have real gaps. No
``ANALYZE`` is run on SQLite (a deployed SQLite file is not analysed either); PostgreSQL is
analysed at the end, as its autovacuum would have done in a deployment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT.parent / "shared" / "seed" / "000_2284f9ce5468ae96.txt"
GENERATOR_VERSION = 1
FULL = {"branches": 500, "members": 20_000, "records": 200_000}
MONTHS = [(2023, 9), (2023, 10), (2023, 11), (2023, 12), (2024, 1)]
COMMITTEE_CODE = "CITY"
STAFF_USERNAME = "city_staff"
BATCH = 5000
META_TABLE = "citygen_meta"


# --- where the database lives -------------------------------------------------------------

def default_cache_dir() -> Path:
    """``$TAIZHANG_BENCH_CACHE`` or ``<tmp>/taizhang-citygen``."""
    return Path(os.environ.get("TAIZHANG_BENCH_CACHE") or Path(tempfile.gettempdir()) / "taizhang-citygen")


def cache_key(scale: float) -> str:
    """The cache file name for ``scale``: scale, generator version, the seed's hash and a
    hash of the migration file names (a file generated before a new migration lacks its
    tables or columns: the benchmarks then failed with "no such table")."""
    digest = hashlib.sha256(SEED.read_bytes())
    for name in sorted(str(p.relative_to(ROOT)) for p in (ROOT / "src").glob("taizhang/*/migrations/0*.py")):
        digest.update(name.encode())
    return f"city-s{scale:g}-v{GENERATOR_VERSION}-{digest.hexdigest()[:8]}.sqlite3"


def cached_path(scale: float, cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / cache_key(scale)


def use_database(database_url: str, var_dir: str | Path) -> None:
    """Point the settings at ``database_url`` with ``var_dir`` as TAIZHANG_VAR_DIR (call
    before ``django.setup()``)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ["TAIZHANG_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")


def ensure(scale: float, cache_dir: Path | None = None, force: bool = False, quiet: bool = False) -> Path:
    """The cached SQLite file of ``scale``, generated first (in a subprocess, so that the
    caller's Django is not tied to it) when missing or when ``force``. Raises
    ``RuntimeError`` when generation fails."""
    path = cached_path(scale, cache_dir)
    if path.exists() and not force:
        return path
    cmd = [sys.executable, str(Path(__file__).resolve()), "--scale", f"{scale:g}", "--force",
           "--cache-dir", str(path.parent)]
    if quiet:
        cmd.append("--quiet")
    if subprocess.call(cmd) != 0 or not path.exists():
        raise RuntimeError(f"generating the scale-{scale:g} data set failed")
    return path


def working_copy(scale: float, directory: str | Path, cache_dir: Path | None = None) -> Path:
    """A private copy of the cached file of ``scale`` in ``directory`` (generated first when
    missing), for a benchmark that writes."""
    source = ensure(scale, cache_dir)
    target = Path(directory) / f"work-{source.name}"
    shutil.copyfile(source, target)
    return target


# --- deterministic content -----------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞宇浩凯俊晨欣怡婷雪琳颖慧倩丹蕾佳琪思雨欣然子涵梓轩宏志国庆海燕春梅晓东振"
DEPARTMENTS = ["办公室", "组织部", "宣传部", "发展改革委", "教育局", "科技局", "工信局", "公安局", "民政局", "司法局",
               "财政局", "人社局", "自然资源局", "生态环境局", "住建局", "交通运输局", "水务局", "农业农村局",
               "商务局", "文旅局", "卫健委", "应急管理局", "审计局", "市场监管局", "统计局", "医保局",
               "城管局", "信访局", "政务服务中心", "机关事务局"]
REASONS = ["出差", "病假", "参加培训", "公出", "事假", "轮休"]
STUDY_TOPICS = [
    "学习习近平新时代中国特色社会主义思想的世界观和方法论",
    "学习党的二十大报告关于高质量发展的论述",
    "学习习近平关于调查研究的重要论述",
    "学习《中国共产党纪律处分条例》，以学正风",
    "学习贯彻主题教育总结要求，推动成果转化",
]
THEMES = ["soul", "wisdom", "conduct", "action"]
READINGS = ["《习近平著作选读》第一卷", "《习近平著作选读》第二卷",
            "《习近平新时代中国特色社会主义思想专题摘编》", "《习近平关于调查研究论述摘编》"]
TALK_TOPICS = ["交流思想和工作情况，相互提出批评意见", "了解思想动态和工作困难", "谈学习体会和岗位履职情况",
               "听取对支部工作的意见建议"]
COMMITTEE_ROLES = ["secretary", "deputy_secretary", "organization_member", "propaganda_member",
                   "discipline_member"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _day(rng: random.Random, year: int, month: int) -> dt.date:
    """A working day (Mon–Fri) of the month, uniformly."""
    while True:
        date = dt.date(year, month, rng.randint(1, 28))
        if date.weekday() < 5:
            return date


def sizes(scale: float) -> dict[str, int]:
    """Branch, member and record counts of ``scale`` (at least 1 branch, 7 members each)."""
    branches = max(1, round(FULL["branches"] * scale))
    return {"branches": branches,
            "members": max(branches * 7, round(FULL["members"] * scale)),
            "records": max(branches * 80, round(FULL["records"] * scale))}


# --- generation (runs inside Django) ------------------------------------------------------

def generate(scale: float, log=print) -> dict:
    """Build the data set of ``scale`` into the configured (empty, migrated) database.
    Returns the metadata dict also stored in ``citygen_meta``."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from taizhang.orgs.models import (
        LeadershipMember, LeadershipTeam, Member, Organization, OrgKind, Position, RoleAssignment,
    )
    from taizhang.plans import services as plan_services
    from taizhang.plans.evidence import evaluate_campaign
    from taizhang.plans.importer import parse_file
    from taizhang.plans.models import Assignment, AssignmentStatus, Occurrence
    from taizhang.records.models import (
        Lecture, LectureKind, Meeting, MeetingKind, Reading, SelfStudy, StudyKind, StudySession, Talk,
        TalkPurpose, TalkRelation,
    )

    n = sizes(scale)
    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-262144")  # 256 MiB page cache while building
            cur.execute("PRAGMA temp_store=MEMORY")

    # Organizations: committee → branches → 2 groups each, paths computed directly.
    t0 = time.perf_counter()
    with transaction.atomic():
        root_path = Organization._get_path(None, 1, 1)
        committee = Organization.objects.create(
            name="市直机关党委", code=COMMITTEE_CODE, kind=OrgKind.COMMITTEE, path=root_path, depth=1,
            numchild=n["branches"], committee_elected_on=dt.date(2021, 6, 18))
        branches = []
        for b in range(1, n["branches"] + 1):
            dept = DEPARTMENTS[(b - 1) % len(DEPARTMENTS)]
            branches.append(Organization(
                name=f"{dept}第{(b - 1) // len(DEPARTMENTS) + 1}党支部", code=f"ZB{b:03d}",
                kind=OrgKind.BRANCH, path=Organization._get_path(root_path, 2, b), depth=2, numchild=2,
                committee_elected_on=dt.date(2021 + b % 3, 1 + b % 12, 10)))
        Organization.objects.bulk_create(branches, batch_size=BATCH)
        branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path"))
        groups = [Organization(name=f"第{g}党小组", code=f"{br.code}-{g}", kind=OrgKind.GROUP,
                               path=Organization._get_path(br.path, 3, g), depth=3, numchild=0)
                  for br in branches for g in (1, 2)]
        Organization.objects.bulk_create(groups, batch_size=BATCH)
        groups_of: dict[int, list] = {br.pk: [] for br in branches}
        by_path = {br.path: br.pk for br in branches}
        for grp in Organization.objects.filter(kind=OrgKind.GROUP).order_by("path"):
            groups_of[by_path[grp.path[:-Organization.steplen]]].append(grp)
    timings["orgs"] = time.perf_counter() - t0

    # Members (sizes vary 25–55 around the mean), posts, the committee's leadership team.
    t0 = time.perf_counter()
    rng = random.Random(20231010)
    mean = n["members"] / n["branches"]
    raw = [max(7, round(mean + ((b * 37) % 31 - 15) * mean / 40)) for b in range(n["branches"])]
    raw[-1] = max(7, raw[-1] + n["members"] - sum(raw))
    members = []
    for br, size in zip(branches, raw, strict=True):
        grp = groups_of[br.pk]
        for i in range(size):
            members.append(Member(
                org=br, group=grp[i % 2], name=_name(rng), gender="male" if rng.random() < 0.55 else "female",
                birth_date=dt.date(rng.randint(1964, 1999), rng.randint(1, 12), 1),
                joined_on=dt.date(rng.randint(1985, 2022), rng.randint(1, 12), 1),
                status="probationary" if rng.random() < 0.06 else "full",
                phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"))
    with transaction.atomic():
        Member.objects.bulk_create(members, batch_size=BATCH)
        people: dict[int, list[int]] = {br.pk: [] for br in branches}
        group_people: dict[int, list[int]] = {}
        for pk, org_id, group_id in Member.objects.order_by("pk").values_list("pk", "org_id", "group_id"):
            people[org_id].append(pk)
            group_people.setdefault(group_id, []).append(pk)
        posts = []
        committee_of: dict[int, list[int]] = {}
        for br in branches:
            ids = people[br.pk]
            roles = COMMITTEE_ROLES if len(ids) >= 30 else [r for r in COMMITTEE_ROLES if r != "deputy_secretary"]
            if len(ids) < 7:
                roles = ["secretary"]
            committee_of[br.pk] = ids[:len(roles)]
            posts += [Position(member_id=pk, org=br, role=role, started_on=br.committee_elected_on)
                      for pk, role in zip(ids, roles, strict=False)]
            for grp in groups_of[br.pk]:
                members_of_group = group_people.get(grp.pk, [])
                if members_of_group:
                    posts.append(Position(member_id=members_of_group[-1], org=grp, role="group_leader",
                                          started_on=br.committee_elected_on))
        Position.objects.bulk_create(posts, batch_size=BATCH)
        team = LeadershipTeam.objects.create(org=committee, name="市直机关党委领导班子")
        first = people[branches[0].pk]
        titles = ["书记", "副书记", "专职副书记", "委员", "委员", "委员", "纪工委书记"]
        leaders = LeadershipMember.objects.bulk_create(
            [LeadershipMember(team=team, member_id=pk, title=title, order=i)
             for i, (pk, title) in enumerate(zip(first[-7:], titles, strict=False))])
        Through = LeadershipMember.contact_branches.through
        Through.objects.bulk_create(
            [Through(leadershipmember_id=lm.pk, organization_id=br.pk)
             for i, br in enumerate(branches) for lm in [leaders[i % len(leaders)]]], batch_size=BATCH)
        user = get_user_model().objects.create_user(STAFF_USERNAME, password="bench")
        RoleAssignment.objects.create(user=user, org=committee, role="committee_staff")
    timings["members"] = time.perf_counter() - t0

    # The real seed: import, store, publish (before any record exists, as in real life).
    t0 = time.perf_counter()
    draft = parse_file(SEED)
    campaign = plan_services.save_draft(plan_services.draft_to_dict(draft), committee, user=user,
                                        source_name=SEED.name)
    publish = plan_services.publish_plan(campaign, user=user)
    timings["publish"] = time.perf_counter() - t0
    log(f"  published: {publish.summary()} ({timings['publish']:.1f} s)")
    readings = Reading.objects.bulk_create(
        [Reading(org=committee, campaign=campaign, title=t, order=i) for i, t in enumerate(READINGS, 1)])

    # Records, month by month (ids grow with the date, as records entered over time do).
    t0 = time.perf_counter()
    per_branch_month = n["records"] // (n["branches"] * len(MONTHS))
    extra = n["records"] - per_branch_month * n["branches"] * len(MONTHS)
    record_count = 0
    for month_index, (year, month) in enumerate(MONTHS):
        meetings, lectures_for_meeting, sessions, lectures, studies, talks = [], [], [], [], [], []
        for b, br in enumerate(branches):
            r = random.Random(b * 100 + month_index)
            ids, com = people[br.pk], committee_of[br.pk]
            secretary, recorder = com[0], com[min(2, len(com) - 1)]
            place = f"{br.name[:-5] or br.name}会议室"
            quota = per_branch_month + (1 if b < extra // len(MONTHS) else 0)
            made = 0

            def meeting(kind, org, title, host, rec, **kw):
                meetings.append(Meeting(
                    org=org, kind=kind, date=_day(r, year, month), title=title, host_id=host,
                    recorder_id=rec, place=place, start_time=dt.time(r.choice((9, 10, 14, 15)), r.choice((0, 30))),
                    end_time=dt.time(r.choice((11, 16, 17)), 0), **kw))

            if len(com) > 1 and r.random() >= 0.05:
                for k in range(4):
                    meeting(MeetingKind.BRANCH_COMMITTEE_MEETING, br, f"{month}月第{k + 1}次支委会", secretary, recorder,
                            topics="研究本月主题教育工作安排\n讨论党员发展和教育管理事项",
                            minutes="传达上级通知精神，逐项研究本月工作。", decisions="按计划推进本月各项工作。")
                made += 4
            skip_group = r.randrange(20)  # 0 or 1: that group skips the month (5 % each)
            for g, grp in enumerate(groups_of[br.pk]):
                gids = group_people.get(grp.pk, [])
                if not gids or skip_group == g:
                    continue
                for k in range(4):
                    meeting(MeetingKind.GROUP_MEETING, grp, f"{month}月党小组学习（{k + 1}）", gids[-1], gids[0],
                            topics="学习交流\n谈心谈话", minutes="组织学习并交流心得。")
                made += 4
            if r.random() >= 0.05:
                for k in range(3):
                    meeting(MeetingKind.THEME_PARTY_DAY, br, f"{month}月主题党日：{STUDY_TOPICS[month_index][:12]}",
                            secretary, recorder, topics="集中学习\n志愿服务", minutes="学习研讨并开展志愿服务活动。")
                made += 3
            for k in range(2):
                meeting(MeetingKind.BRANCH_GENERAL_MEETING, br, f"{year}年{month}月支部党员大会", secretary,
                        recorder, topics="通报支部工作\n讨论主题教育推进情况", minutes="书记通报工作，党员讨论。")
            made += 2
            no_secretary_lecture = b % 20 == 7  # 5 % of branches: the secretary never lectures
            for k in range(3):
                speaker = com[(k + 1) % len(com)] if no_secretary_lecture or k else secretary
                meeting(MeetingKind.PARTY_LECTURE, br, "专题党课", secretary, recorder, topics="专题党课")
                lectures_for_meeting.append(Lecture(
                    org=br, audience=br, speaker_id=speaker, kind=LectureKind.LECTURE,
                    date=meetings[-1].date, place=place, title=f"深刻领会{STUDY_TOPICS[(month_index + k) % 5][2:16]}",
                    summary="结合本单位实际讲解主题教育要求。"))
            made += 6
            if r.random() >= 0.10:
                for k in range(8):
                    sessions.append(StudySession(
                        org=br, date=_day(r, year, month), kind=StudyKind.SEMINAR if k == 7 else StudyKind.CONCENTRATED,
                        theme=THEMES[(month_index + k) % 4], topic=STUDY_TOPICS[(month_index + k) % 5],
                        leader_id=secretary, place=place, hours=2, 
                        outcomes="党员交流学习体会，形成研讨发言材料。"))
                made += 8
            for k in range(9):
                lectures.append(Lecture(
                    org=br, audience=br, speaker_id=r.choice(ids), kind=LectureKind.MICRO_LECTURE,
                    date=_day(r, year, month), title=f"微党课：我身边的榜样（{month}-{k + 1}）"))
            made += 9
            if r.random() >= 0.15:
                for k in range(10):
                    studies.append(SelfStudy(
                        org=br, member_id=r.choice(ids), reading=readings[(k + month_index) % len(readings)],
                        date=_day(r, year, month), hours=1, notes="通读篇目并撰写学习笔记。"))
                made += 10
            for _k in range(max(0, quota - made)):
                a = r.choice(com)
                other = r.choice([i for i in ids if i != a] or ids)
                talks.append(Talk(
                    org=br, party_a_id=a, party_b_id=other, date=_day(r, year, month), place="书记办公室",
                    relation=TalkRelation.COMMITTEE_COMMITTEE if other in com else TalkRelation.COMMITTEE_MEMBER,
                    purpose=TalkPurpose.ROUTINE if month < 12 and year == 2023 else TalkPurpose.BEFORE_ORGANIZATIONAL_LIFE,
                    topics=r.choice(TALK_TOPICS), opinions="建议支部活动更贴近业务"))
        if leaders:  # the committee's monthly 理论学习中心组学习 (team attendance below)
            meetings.append(Meeting(org=committee, team=team, kind=MeetingKind.CENTRAL_GROUP_STUDY,
                                    date=dt.date(year, month, 6), title=f"{month}月理论学习中心组学习",
                                    host_id=leaders[0].member_id, place="党委会议室"))
        with transaction.atomic():
            Meeting.objects.bulk_create(meetings, batch_size=BATCH)
            lecture_meetings = [m for m in meetings if m.kind == MeetingKind.PARTY_LECTURE]
            for lec, m in zip(lectures_for_meeting, lecture_meetings, strict=True):
                lec.meeting_id = m.pk
            Lecture.objects.bulk_create(lectures_for_meeting + lectures, batch_size=BATCH)
            StudySession.objects.bulk_create(sessions, batch_size=BATCH)
            SelfStudy.objects.bulk_create(studies, batch_size=BATCH)
            Talk.objects.bulk_create(talks, batch_size=BATCH)
        made_month = len(meetings) + len(sessions) + len(lectures_for_meeting) + len(lectures) + len(studies) + len(talks)
        record_count += made_month
        log(f"  {year}-{month:02d}: {made_month} records ({len(meetings)} meetings, {len(sessions)} study "
            f"sessions, {len(lectures_for_meeting) + len(lectures)} lectures, {len(studies)} self-studies, "
            f"{len(talks)} talks)")
    timings["records"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    attendance = _insert_attendance()
    timings["attendance"] = time.perf_counter() - t0
    log(f"  attendance: {attendance['meeting']} meeting rows, {attendance['study']} study rows "
        f"({timings['attendance']:.1f} s)")

    t0 = time.perf_counter()
    outcome = evaluate_campaign(campaign)
    timings["evaluate_campaign"] = time.perf_counter() - t0
    log(f"  evaluate_campaign: {outcome.evaluated} targets, {outcome.completed} completed "
        f"({timings['evaluate_campaign']:.1f} s)")

    status_counts = {
        "assignments": {s: Assignment.objects.filter(status=s).count() for s in AssignmentStatus.values},
        "occurrences": {s: Occurrence.objects.filter(status=s).count() for s in AssignmentStatus.values},
    }
    meta = {
        "scale": scale, "generator_version": GENERATOR_VERSION, "seed": SEED.name,
        "committee_code": COMMITTEE_CODE, "staff_username": STAFF_USERNAME, "campaign_id": campaign.pk,
        "branches": len(branches), "groups": len(groups), "members": len(members),
        "records": record_count, "meeting_attendance": attendance["meeting"],
        "study_attendance": attendance["study"],
        "assignments": Assignment.objects.count(), "occurrences": Occurrence.objects.count(),
        "statuses": status_counts, "evaluated": outcome.evaluated, "completed": outcome.completed,
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "seconds": round(time.perf_counter() - t_all, 1), "vendor": connection.vendor,
    }
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(50) PRIMARY KEY, value text)")
        cur.execute(f"DELETE FROM {META_TABLE}")
        cur.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", ["meta", json.dumps(meta)])
        if connection.vendor == "postgresql":
            # A deployed PostgreSQL has statistics (autovacuum); without them the planner
            # joins every meeting of the city before LIMIT 50 (85 ms instead of 2 ms).
            cur.execute("ANALYZE")
    return meta


def _insert_attendance() -> dict[str, int]:
    """Attendance rows of every generated meeting and study session, written by
    ``INSERT … SELECT`` (one statement per attendee rule; portable SQLite / PostgreSQL)."""
    from django.db import connection, transaction

    from taizhang.orgs.models import LeadershipMember, Member, Position
    from taizhang.records.models import Attendance, Meeting, MeetingKind, StudyAttendance, StudySession

    qn = connection.ops.quote_name
    mem, pos, lm = Member._meta.db_table, Position._meta.db_table, LeadershipMember._meta.db_table
    reason_cases = " ".join(f"WHEN {i} THEN '{r}'" for i, r in enumerate(REASONS))
    # ``%%``: the statements carry parameters, so a literal modulo must be escaped (the
    # PostgreSQL driver rejects a bare ``%``; Django's SQLite backend unescapes ``%%`` too).
    roll = "((r.id * 7919 + p.id * 104729) %% 100)"
    values = (f"CASE WHEN {roll} < 7 THEN 'leave' WHEN {roll} < 9 THEN 'absent' ELSE 'present' END, "
              f"CASE WHEN {roll} < 7 THEN CASE ((r.id + p.id) %% {len(REASONS)}) {reason_cases} END ELSE '' END, "
              "(p.status = 'full'), NULL")

    def insert(table, fk, source, join, where, params):
        sql = (f"INSERT INTO {table} ({qn(fk)}, member_id, status, reason, voting, signed_in_at) "
               f"SELECT r.id, p.id, {values} FROM {source} r {join} WHERE {where} ORDER BY r.id, p.id")
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.rowcount

    m, s = Meeting._meta.db_table, StudySession._meta.db_table
    team_kinds = (MeetingKind.CENTRAL_GROUP_STUDY,)
    counts = {"meeting": 0, "study": 0}
    with transaction.atomic():
        a = Attendance._meta.db_table
        counts["meeting"] += insert(
            a, "meeting_id", m, f"JOIN {mem} p ON p.org_id = r.org_id",
            "p.is_active = %s AND r.kind NOT IN (%s, %s, %s)",
            [True, MeetingKind.GROUP_MEETING, MeetingKind.BRANCH_COMMITTEE_MEETING, team_kinds[0]])
        counts["meeting"] += insert(
            a, "meeting_id", m, f"JOIN {mem} p ON p.group_id = r.org_id",
            "p.is_active = %s AND r.kind = %s", [True, MeetingKind.GROUP_MEETING])
        counts["meeting"] += insert(
            a, "meeting_id", m,
            f"JOIN {pos} q ON q.org_id = r.org_id AND q.ended_on IS NULL AND q.role <> 'group_leader' "
            f"JOIN {mem} p ON p.id = q.member_id",
            "p.is_active = %s AND r.kind = %s", [True, MeetingKind.BRANCH_COMMITTEE_MEETING])
        counts["meeting"] += insert(
            a, "meeting_id", m, f"JOIN {lm} t ON t.team_id = r.team_id JOIN {mem} p ON p.id = t.member_id",
            "p.is_active = %s AND r.kind = %s", [True, team_kinds[0]])
        counts["study"] += insert(
            StudyAttendance._meta.db_table, "session_id", s, f"JOIN {mem} p ON p.org_id = r.org_id",
            "p.is_active = %s", [True])
        _store_meeting_counts()
    return counts


def _store_meeting_counts() -> None:
    """Fill the stored attendance counts of every meeting (``Meeting.att_*``, kept by the
    records services for the regulations; issue 14) from the rows inserted above: one
    ``UPDATE`` with a correlated count per column (portable SQLite / PostgreSQL)."""
    from django.db import connection

    from taizhang.records.models import Attendance, Meeting

    m, a = Meeting._meta.db_table, Attendance._meta.db_table
    conditions = {
        "att_expected": "1 = 1",
        "att_present": "x.status = 'present'",
        "att_leave": "x.status = 'leave'",
        "att_voting_expected": "x.voting",
        "att_voting_present": "x.voting AND x.status = 'present'",
        "att_missing_reason": "x.status IN ('leave', 'absent') AND x.reason = ''",
    }
    sets = ", ".join(f"{col} = (SELECT COUNT(*) FROM {a} x WHERE x.meeting_id = {m}.id AND {cond})"
                     for col, cond in conditions.items())
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {m} SET {sets}")


def read_meta() -> dict:
    """The metadata of the data set in the configured database ({} when absent)."""
    from django.db import connection

    try:
        with connection.cursor() as cur:
            cur.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", ["meta"])
            row = cur.fetchone()
    except Exception:  # noqa: BLE001 — no table: not a generated database
        return {}
    return json.loads(row[0]) if row else {}


# --- command line -------------------------------------------------------------------------

def _build_sqlite(scale: float, target: Path, quiet: bool) -> dict:
    """Generate into ``target.building`` then move it to ``target`` (never a half file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    var_dir = tempfile.mkdtemp(prefix="tz-citygen-")
    use_database(f"sqlite:///{building}", var_dir)
    meta = _generate_here(scale, quiet)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    os.replace(building, target)
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(var_dir, ignore_errors=True)
    return meta


def _generate_here(scale: float, quiet: bool) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"generating the city data set at scale {scale:g} {sizes(scale)} (migrated in "
        f"{time.perf_counter() - t0:.1f} s)")
    existing = read_meta()
    if existing:
        raise SystemExit(f"the database already holds a generated data set (scale {existing.get('scale')})")
    return generate(scale, log)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (1 = 500 branches)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where cached SQLite files live")
    parser.add_argument("--force", action="store_true", help="regenerate even when cached")
    parser.add_argument("--database-url", default=None,
                        help="generate into this (empty) database instead, e.g. PostgreSQL; not cached")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.database_url:
        var_dir = tempfile.mkdtemp(prefix="tz-citygen-")
        use_database(args.database_url, var_dir)
        meta = _generate_here(args.scale, args.quiet)
    else:
        target = cached_path(args.scale, args.cache_dir)
        if target.exists() and not args.force:
            print(f"cached: {target}")
            return 0
        meta = _build_sqlite(args.scale, target, args.quiet)
        print(f"written: {target} ({target.stat().st_size / 2**20:.0f} MiB)")
    if not args.quiet:
        print(json.dumps({k: meta[k] for k in ("branches", "members", "records", "meeting_attendance",
                                               "study_attendance", "assignments", "occurrences",
                                               "statuses", "timings", "seconds")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
