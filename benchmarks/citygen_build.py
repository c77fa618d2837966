"""The generator of the city data set (``citygen.py`` keeps the cache, the database set-up
and the command line): organizations, members and posts, the seed plan published, the
records month by month, their attendance rows by ``INSERT … SELECT``, and the first
evaluation. How and why it bypasses the services is told in ``citygen.py``'s docstring.
Runs inside a configured Django (``citygen.use_database`` then ``django.setup()``)."""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from citygen import (
    BATCH, COMMITTEE_CODE, GENERATOR_VERSION, META_TABLE, MONTHS, SEED, STAFF_USERNAME, sizes,
)
from citygen_content import (
    COMMITTEE_ROLES, DEPARTMENTS, READINGS, REASONS, STUDY_TOPICS, TALK_TOPICS, THEMES, person_name,
    working_day,
)

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
                org=br, group=grp[i % 2], name=person_name(rng), gender="male" if rng.random() < 0.55 else "female",
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
                    org=org, kind=kind, date=working_day(r, year, month), title=title, host_id=host,
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
                        org=br, date=working_day(r, year, month), kind=StudyKind.SEMINAR if k == 7 else StudyKind.CONCENTRATED,
                        theme=THEMES[(month_index + k) % 4], topic=STUDY_TOPICS[(month_index + k) % 5],
                        leader_id=secretary, place=place, hours=2, 
                        outcomes="党员交流学习体会，形成研讨发言材料。"))
                made += 8
            for k in range(9):
                lectures.append(Lecture(
                    org=br, audience=br, speaker_id=r.choice(ids), kind=LectureKind.MICRO_LECTURE,
                    date=working_day(r, year, month), title=f"微党课：我身边的榜样（{month}-{k + 1}）"))
            made += 9
            if r.random() >= 0.15:
                for k in range(10):
                    studies.append(SelfStudy(
                        org=br, member_id=r.choice(ids), reading=readings[(k + month_index) % len(readings)],
                        date=working_day(r, year, month), hours=1, notes="通读篇目并撰写学习笔记。"))
                made += 10
            for _k in range(max(0, quota - made)):
                a = r.choice(com)
                other = r.choice([i for i in ids if i != a] or ids)
                talks.append(Talk(
                    org=br, party_a_id=a, party_b_id=other, date=working_day(r, year, month), place="书记办公室",
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
    _store_member_activity()  # after every attendance row (a province generator calls it too)
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


def _insert_attendance(store_counts: bool = True) -> dict[str, int]:
    """Attendance rows of every generated meeting and study session, written by
    ``INSERT … SELECT`` (one statement per attendee rule; portable SQLite / PostgreSQL).
    ``store_counts=False`` leaves ``Meeting.att_*`` to the caller (``provincegen_build``
    fills them with one aggregate ``UPDATE … FROM`` while the indexes are dropped)."""
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
        if store_counts:
            _store_meeting_counts()
    return counts


def _store_member_activity() -> None:
    """Fill the members' activity months (``records.MemberActivity``, kept by the records
    services for check 20; issue 14) from the attendance rows inserted above: one
    ``INSERT … SELECT … GROUP BY`` (SQLite / PostgreSQL month expressions)."""
    from django.db import connection

    from taizhang.records.models import Attendance, Meeting, MemberActivity, StudyAttendance, StudySession

    month = ("date(r.date, 'start of month')" if connection.vendor == "sqlite"
             else "CAST(date_trunc('month', r.date) AS date)")
    parts = [f"SELECT x.member_id, {month} AS month, r.date AS day FROM {att} x JOIN {rec} r ON r.id = x.{fk} "
             f"WHERE x.status = 'present' OR x.reason <> ''"
             for att, rec, fk in ((Attendance._meta.db_table, Meeting._meta.db_table, "meeting_id"),
                                  (StudyAttendance._meta.db_table, StudySession._meta.db_table, "session_id"))]
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {MemberActivity._meta.db_table} (member_id, month, first, last) "
                    f"SELECT member_id, month, MIN(day), MAX(day) FROM ({' UNION ALL '.join(parts)}) u "
                    f"GROUP BY member_id, month")


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

