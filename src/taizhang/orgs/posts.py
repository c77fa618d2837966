"""Members' posts (职务) managed in the product by the committee office (issue 12 §2): appoint
a member to a post of an organization, end a tenure, read the history.

Which posts an organization has follows 《中国共产党支部工作条例（试行）》 ch.6 (a 支部委员会 of
书记, 组织委员, 宣传委员, 纪检委员, a 副书记 if needed; with fewer than 7 full members only a 书记
and an optional 副书记) and Art. 13 (a 党小组 has a 组长). Every write is scoped (``MANAGE``
on the organization: its office or an ancestor's), audited with the actor (django-auditlog)
and leaves a domain event on the organization.

Who holds a post is read here and nowhere else: a post is current when it started on or before
today and has not ended (:func:`.models.current_posts_q`, ``Position.objects.current()``); the
organization's page, its posts page, the roster and the member lists all use it. A tenure
appointed with a later start date is *upcoming*.

A post is a fact of the Party organization, not a permission: appointing a 书记 grants no
sign-in role. Roles are given on the organization's 角色与权限 page (:mod:`.manage`); the
posts page says so.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from taizhang.core.audit import audit_actor
from taizhang.core.scoping import MANAGE, can
from taizhang.core.status import record_event

from .models import Member, Organization, OrgKind, Position, PositionRole, RoleAssignment
from .services import SINGLE_HOLDER_ROLES

#: The posts each kind of organization has (支部工作条例 ch.6 and Art. 13).
KIND_POSTS = {
    OrgKind.COMMITTEE: (PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY,
                        PositionRole.ORGANIZATION_MEMBER, PositionRole.PROPAGANDA_MEMBER,
                        PositionRole.DISCIPLINE_MEMBER, PositionRole.COMMITTEE_MEMBER),
    OrgKind.GENERAL_BRANCH: (PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY,
                             PositionRole.ORGANIZATION_MEMBER, PositionRole.PROPAGANDA_MEMBER,
                             PositionRole.DISCIPLINE_MEMBER, PositionRole.COMMITTEE_MEMBER),
    OrgKind.BRANCH: (PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY,
                     PositionRole.ORGANIZATION_MEMBER, PositionRole.PROPAGANDA_MEMBER,
                     PositionRole.DISCIPLINE_MEMBER, PositionRole.COMMITTEE_MEMBER),
    OrgKind.GROUP: (PositionRole.GROUP_LEADER,),
}


def _require_manage(actor, org: Organization) -> None:
    if not can(actor, MANAGE, org):
        raise PermissionDenied(_("只有该组织或其上级党委的管理人员可以任免职务。"))


def eligible_members(org: Organization):
    """Active members who may hold a post of ``org``: a branch's own members, a group's
    members, a committee's or general branch's whole subtree (its leaders sit in its
    branches). One queryset, in tree and name order."""
    members = Member.objects.filter(is_active=True).select_related("org")
    if org.kind == OrgKind.GROUP:
        return members.filter(group=org).order_by("name", "pk")
    if org.kind == OrgKind.BRANCH:
        return members.filter(org=org).order_by("name", "pk")
    return members.filter(org__path__startswith=org.path).order_by("org__path", "name", "pk")


@transaction.atomic
def appoint(data: dict, *, actor) -> Position:
    """Appoint a member to a post: ``data`` = {"org": Organization, "member": Member,
    "role": a ``PositionRole`` value allowed for the org's kind (:data:`KIND_POSTS`),
    "started_on": date}.

    Raises ``PermissionDenied`` unless ``actor`` manages ``org``; ``ValidationError`` naming
    the field when the member is not an active member of the organization (for a committee:
    of its subtree; :func:`eligible_members`), the post does not exist for that kind, the
    member holds it already, a single-holder post (书记, 党小组长) is taken (end that tenure
    first), or the date is missing. Audited; ``appoint_post`` event on the organization."""
    org, member, role = data["org"], data["member"], data.get("role")
    _require_manage(actor, org)
    if role not in KIND_POSTS.get(org.kind, ()):
        raise ValidationError({"role": _("%(org)s 没有此职务。") % {"org": org.name}})
    if not eligible_members(org).filter(pk=member.pk).exists():
        raise ValidationError({"member": _("%(member)s 不是 %(org)s 的在册党员，不能在该组织任职。")
                               % {"member": member.name, "org": org.name}})
    started_on = data.get("started_on")
    if not started_on:
        raise ValidationError({"started_on": _("请填写任职日期。")})
    current = Position.objects.filter(org=org, role=role).open().select_related("member")
    label = PositionRole(role).label
    if any(p.member_id == member.pk for p in current):
        raise ValidationError({"member": _("%(member)s 已任 %(role)s。") % {"member": member.name, "role": label}})
    if role in SINGLE_HOLDER_ROLES and current:
        raise ValidationError({"role": _("%(org)s 的%(role)s现由 %(holder)s 担任，请先结束其任职。") % {
            "org": org.name, "role": label, "holder": current[0].member.name}})
    with audit_actor(actor):
        position = Position.objects.create(member=member, org=org, role=role, started_on=started_on)
    record_event(org, "appoint_post", actor=actor, comment=f"{member.name} {label} {started_on:%Y-%m-%d}")
    return position


@transaction.atomic
def end_tenure(position: Position, data: dict, *, actor) -> Position:
    """End a tenure: ``data`` = {"ended_on": date, "reason": str (optional, ≤200 chars)}.

    Raises ``PermissionDenied`` unless ``actor`` manages the post's organization;
    ``ValidationError`` when the tenure has ended already, the date is missing or before the
    start. Audited; ``end_post`` event on the organization."""
    _require_manage(actor, position.org)
    if position.ended_on is not None:
        raise ValidationError(_("该任职已于 %(date)s 结束。") % {"date": f"{position.ended_on:%Y-%m-%d}"})
    ended_on: dt.date | None = data.get("ended_on")
    if not ended_on:
        raise ValidationError({"ended_on": _("请填写离任日期。")})
    if position.started_on and ended_on < position.started_on:
        raise ValidationError({"ended_on": _("离任日期不能早于任职日期（%(date)s）。")
                               % {"date": f"{position.started_on:%Y-%m-%d}"}})
    reason = (data.get("reason") or "").strip()[:200]
    with audit_actor(actor):
        position.ended_on = ended_on
        position.end_reason = reason
        position.save(update_fields=["ended_on", "end_reason", "updated_at"])
    record_event(position.org, "end_post", actor=actor,
                 comment=f"{position.member.name} {position.get_role_display()} {ended_on:%Y-%m-%d} {reason}".strip())
    return position


def current_positions(org: Organization) -> list[Position]:
    """The current posts of ``org`` (members loaded), in :data:`KIND_POSTS` order then by name:
    what the organization's page lists. One query."""
    order = {role: i for i, role in enumerate(KIND_POSTS.get(org.kind, ()))}
    rows = Position.objects.filter(org=org).current().select_related("member")
    return sorted(rows, key=lambda p: (order.get(p.role, len(order)), p.member.name, p.pk))


def current_positions_prefetch(to_attr: str = "current_positions") -> Prefetch:
    """A ``prefetch_related`` of a member's current posts (with their organization) into
    ``to_attr``, for rosters and member lists."""
    return Prefetch("positions", queryset=Position.objects.current().select_related("org").order_by("role"),
                    to_attr=to_attr)


def posts_of(org: Organization) -> dict:
    """The posts of ``org`` for its page: {"current": [(role label, role, [Position])] in
    :data:`KIND_POSTS` order, a post without holder listed with ``[]``; "upcoming": tenures
    starting after today, soonest first; "history": ended tenures, newest first}. Each current holder carries ``account_roles``: None without a
    sign-in account, else the labels of his roles valid here (on ``org`` or an ancestor), so
    the office sees where post and permission differ. Two queries."""
    rows = list(Position.objects.filter(org=org).select_related("member", "member__org")
                .order_by("-ended_on", "-started_on", "pk"))
    today = dt.date.today()
    users = {p.member.user_id for p in rows if p.is_current(today) and p.member.user_id}
    held: dict[int, list[str]] = {}
    for assignment in RoleAssignment.objects.filter(user_id__in=users).select_related("org").order_by("role"):
        if org.path.startswith(assignment.org.path):
            held.setdefault(assignment.user_id, []).append(str(assignment.get_role_display()))
    for p in rows:
        p.account_roles = held.get(p.member.user_id, []) if p.member.user_id else None
    current = [(PositionRole(role).label, role, [p for p in rows if p.role == role and p.is_current(today)])
               for role in KIND_POSTS.get(org.kind, ())]
    upcoming = sorted((p for p in rows if p.started_on and p.started_on > today
                       and (p.ended_on is None or p.ended_on > p.started_on)), key=lambda p: (p.started_on, p.pk))
    history = [p for p in rows if p.ended_on is not None and p.ended_on <= today]
    return {"current": current, "upcoming": upcoming, "history": history}
