"""The project's own sample organization, with invented names (deterministic, fixed seed).

One committee ``DW`` (某某局机关党委), 6 branches ``ZB01``…``ZB06`` with 2 Party groups each
(``ZB01-1``, ``ZB01-2`` …), 80 members (a few probationary), posts by the rules of
支部工作条例 ch.6 (domain-rules.md §1.1: every branch has a 书记; a branch with 7 or more
full members also has 组织/宣传/纪检委员), a 党小组长 per group, and the committee's
7-person leadership team, each leader contacting 1–2 branches. Names are drawn from surname
and given-name character lists: any resemblance to a real person is chance.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    LeadershipMember,
    LeadershipTeam,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    Role,
    RoleAssignment,
)

SEED = 20230901
COMMITTEE = ("DW", "某某局机关党委")
# With ``with_city``: a city committee over DW and a second, smaller unit committee (issue 12
# §1: a superior publishes to its units, each derives its own plan).
CITY = ("SW", "某某市委")
SECOND_UNIT = ("XW", "某某中心党委", [("XZ01", "综合科党支部", 9), ("XZ02", "业务科党支部", 5)])
# (code, name, number of members) — ZB06 is small on purpose: fewer than 7 full members.
BRANCHES = [
    ("ZB01", "办公室党支部", 17),
    ("ZB02", "政策法规处党支部", 15),
    ("ZB03", "财务审计处党支部", 14),
    ("ZB04", "业务一处党支部", 14),
    ("ZB05", "业务二处党支部", 14),
    ("ZB06", "离退休干部党支部", 6),
]
GROUPS = ("第一党小组", "第二党小组")
PROBATIONARY = {"ZB02": 1, "ZB03": 1, "ZB04": 1, "ZB05": 2}
# The leadership team: title, committee post, the branch the leader belongs to (双重组织生活),
# contact branches.
LEADERS = [
    ("党委书记", PositionRole.SECRETARY, "ZB01", ["ZB01", "ZB06"]),
    ("党委副书记", PositionRole.DEPUTY_SECRETARY, "ZB01", ["ZB02"]),
    ("党委副书记", PositionRole.DEPUTY_SECRETARY, "ZB02", ["ZB03", "ZB04"]),
    ("纪委书记", PositionRole.COMMITTEE_MEMBER, "ZB03", ["ZB05"]),
    ("党委委员", PositionRole.COMMITTEE_MEMBER, "ZB04", ["ZB04"]),
    ("党委委员", PositionRole.COMMITTEE_MEMBER, "ZB05", ["ZB05", "ZB06"]),
    ("党委委员", PositionRole.COMMITTEE_MEMBER, "ZB02", ["ZB01"]),
]
BRANCH_COMMITTEE_ROLES = (
    PositionRole.ORGANIZATION_MEMBER, PositionRole.PROPAGANDA_MEMBER, PositionRole.DISCIPLINE_MEMBER)
FULL_COMMITTEE_MIN = 7  # 支部工作条例 ch.6

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN_MALE = list("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
GIVEN_FEMALE = list("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽")
PHONE_PREFIXES = ("138", "139", "135", "186", "158", "177")
# A fixed reference day keeps the sample the same whatever the date it is loaded on.
REFERENCE_DAY = dt.date(2023, 9, 1)

DEMO_ACCOUNTS = [("dangwei", "DW", Role.COMMITTEE_STAFF), ("ducha", "DW", Role.INSPECTOR)] + [
    (f"zhibu{i}", code, Role.BRANCH_SECRETARY) for i, (code, _n, _c) in enumerate(BRANCHES, start=1)
]
#: The accounts of the city and the second unit (when the sample has them, ``with_city``).
CITY_ACCOUNTS = [("shiwei", "SW", Role.COMMITTEE_STAFF), ("danwei2", "XW", Role.COMMITTEE_STAFF)]


def _name(rng: random.Random, female: bool, used: set[str]) -> str:
    pool = GIVEN_FEMALE if female else GIVEN_MALE
    while True:
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        if name not in used:
            used.add(name)
            return name


def _member(rng: random.Random, branch: Organization, group: Organization, used: set, probationary: bool) -> Member:
    female = rng.random() < 0.45
    if probationary:
        birth = dt.date(rng.randint(1994, 2000), rng.randint(1, 12), 1)
        joined = REFERENCE_DAY - dt.timedelta(days=rng.randint(60, 330))
    elif branch.code == "ZB06":  # retired cadres
        birth = dt.date(rng.randint(1948, 1962), rng.randint(1, 12), 1)
        joined = dt.date(birth.year + rng.randint(20, 30), rng.randint(1, 12), 1)
    else:
        birth = dt.date(rng.randint(1966, 1996), rng.randint(1, 12), 1)
        joined = dt.date(min(birth.year + rng.randint(19, 27), 2021), rng.randint(1, 12), 1)
        joined = joined.replace(day=rng.choice([1, 15, 28]))
    return Member(
        org=branch, group=group, name=_name(rng, female, used), gender="female" if female else "male",
        birth_date=birth, joined_on=joined,
        status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
        phone=rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
    )


@transaction.atomic
def create_sample_orgs(with_city: bool = False) -> dict:
    """Create the sample committee, branches, groups, members, posts and leadership team.

    With ``with_city`` (``load_sample``) the committee sits under a city committee
    :data:`CITY` next to a second, smaller unit committee :data:`SECOND_UNIT` (branches with
    a secretary each, no groups); the committee's own part is the same either way.
    Returns {"committee": Organization, "branches": [Organization], "groups": [Organization],
    "members": int, "probationary": int, "positions": int, "leaders": int, "city":
    Organization or None, "units": [Organization], "unit_branches": [Organization]} —
    ``branches``, ``members`` and ``positions`` count the committee DW only. Raises
    ``ValueError`` when an organization with code ``DW`` already exists.
    """
    if Organization.objects.filter(code=COMMITTEE[0]).exists():
        raise ValueError(f"organization {COMMITTEE[0]} already exists")
    rng = random.Random(SEED)
    used: set[str] = set()
    tree = Organization.objects
    dw = dict(code=COMMITTEE[0], name=COMMITTEE[1], kind=OrgKind.COMMITTEE,
              committee_elected_on=dt.date(2021, 6, 18))
    city = tree.add_root(dict(code=CITY[0], name=CITY[1], kind=OrgKind.COMMITTEE)) if with_city else None
    committee = tree.add_child(city, dw) if city else tree.add_root(dw)
    branches, groups, members_by_branch = [], [], {}
    positions: list[Position] = []
    for code, name, size in BRANCHES:
        branch = tree.add_child(committee, dict(
            code=code, name=name, kind=OrgKind.BRANCH, committee_elected_on=dt.date(2022, 3, 10)))
        branches.append(branch)
        branch_groups = [
            tree.add_child(branch, dict(code=f"{code}-{i}", name=g, kind=OrgKind.GROUP))
            for i, g in enumerate(GROUPS, start=1)
        ]
        groups.extend(branch_groups)
        n_prob = PROBATIONARY.get(code, 0)
        members = [
            _member(rng, branch, branch_groups[i % 2], used, probationary=i >= size - n_prob)
            for i in range(size)
        ]
        for member in members:  # one by one: each gets its "created" audit entry
            member.save()
        members_by_branch[code] = members
        full = [m for m in members if m.status == MemberStatus.FULL]
        roles = [PositionRole.SECRETARY]
        if len(full) >= FULL_COMMITTEE_MIN:
            roles += list(BRANCH_COMMITTEE_ROLES)
        for member, role in zip(full, roles, strict=False):
            positions.append(Position(member=member, org=branch, role=role, started_on=branch.committee_elected_on))
        for group in branch_groups:
            leader = next(m for m in reversed(full) if m.group_id == group.pk)
            positions.append(Position(member=leader, org=group, role=PositionRole.GROUP_LEADER))
    team = LeadershipTeam.objects.create(org=committee, name=f"{committee.name}领导班子")
    by_code = {b.code: b for b in branches}
    taken: set[int] = set()
    for order, (title, role, home, contacts) in enumerate(LEADERS, start=1):
        member = next(m for m in members_by_branch[home]
                      if m.pk not in taken and m.status == MemberStatus.FULL and not _holds(positions, m))
        taken.add(member.pk)
        leader = LeadershipMember.objects.create(team=team, member=member, title=title, order=order)
        leader.contact_branches.set([by_code[c] for c in contacts])
        positions.append(Position(member=member, org=committee, role=role,
                                  started_on=committee.committee_elected_on))
    for position in positions:
        position.save()
    all_members = [m for ms in members_by_branch.values() for m in ms]
    units, unit_branches = [committee], []
    if city is not None:
        units.append(_second_unit(rng, city, used))
        unit_branches = list(Organization.objects.filter(
            path__startswith=units[1].path, kind=OrgKind.BRANCH))
    return {
        "committee": committee, "branches": branches, "groups": groups, "team": team,
        "members": len(all_members),
        "probationary": sum(1 for m in all_members if m.status == MemberStatus.PROBATIONARY),
        "positions": len(positions), "leaders": len(LEADERS),
        "city": city, "units": units if city else [], "unit_branches": unit_branches,
    }


def _second_unit(rng: random.Random, city: Organization, used: set[str]) -> Organization:
    """The second, smaller unit committee under ``city``: its branches, members (all full)
    and each branch's secretary."""
    code, name, branch_specs = SECOND_UNIT
    unit = Organization.objects.add_child(city, dict(
        code=code, name=name, kind=OrgKind.COMMITTEE, committee_elected_on=dt.date(2022, 5, 20)))
    for branch_code, branch_name, size in branch_specs:
        branch = Organization.objects.add_child(unit, dict(
            code=branch_code, name=branch_name, kind=OrgKind.BRANCH,
            committee_elected_on=dt.date(2022, 6, 1)))
        members = [_member(rng, branch, None, used, probationary=False) for _ in range(size)]
        for member in members:
            member.save()
        roles = [PositionRole.SECRETARY]  # 支部工作条例 ch.6, as for DW's branches
        if size >= FULL_COMMITTEE_MIN:
            roles += list(BRANCH_COMMITTEE_ROLES)
        for member, role in zip(members, roles, strict=False):
            Position.objects.create(member=member, org=branch, role=role,
                                    started_on=branch.committee_elected_on)
    return unit


def _holds(positions: list[Position], member: Member) -> bool:
    return any(p.member_id == member.pk for p in positions)


def create_demo_accounts(password: str) -> list[tuple[str, str, str]]:
    """Create (or reset) the demo login accounts of :data:`DEMO_ACCOUNTS` (and of
    :data:`CITY_ACCOUNTS` when those organizations exist) with ``password``;
    each branch secretary's account is linked to the branch's 书记. Returns
    [(username, organization name, role label)]."""
    User = get_user_model()
    rows = []
    codes = set(Organization.objects.filter(code__in=[c for _u, c, _r in CITY_ACCOUNTS])
                .values_list("code", flat=True))
    for username, code, role in DEMO_ACCOUNTS + [a for a in CITY_ACCOUNTS if a[1] in codes]:
        org = Organization.objects.get(code=code)
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_active = True
        if role == Role.BRANCH_SECRETARY:
            secretary = Member.objects.filter(
                positions__org=org, positions__role=PositionRole.SECRETARY, positions__ended_on__isnull=True
            ).first()
            if secretary is not None and secretary.user_id in (None, user.pk):
                user.first_name = secretary.name
                user.save()
                secretary.user = user
                secretary.save(update_fields=["user", "updated_at"])
        user.save()
        RoleAssignment.objects.get_or_create(user=user, org=org, role=role)
        rows.append((username, org.name, str(Role(role).label)))
    return rows
