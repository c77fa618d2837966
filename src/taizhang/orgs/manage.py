"""The committee office manages its subtree in the product (issue 12 §2): organizations
(add a child, rename, re-date the committee's election) and who holds which role where.
Every write is scoped (``MANAGE`` on the organization), audited with the actor
(django-auditlog) and leaves a domain event; Django's admin is for the superuser only.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from taizhang.core.audit import audit_actor
from taizhang.core.scoping import MANAGE, can, clear_scope_cache, path_q, scope_paths
from taizhang.core.status import record_event

from .models import Organization, OrgKind, Role, RoleAssignment
from .services import next_code

#: Which kinds may sit under which (党章 and 支部工作条例: committees over general branches
#: and branches, branches over Party groups).
CHILD_KINDS = {
    OrgKind.COMMITTEE: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH),
    OrgKind.GENERAL_BRANCH: (OrgKind.BRANCH,),
    OrgKind.BRANCH: (OrgKind.GROUP,),
    OrgKind.GROUP: (),
}


@transaction.atomic
def add_organization(parent: Organization, data: dict, *, actor) -> Organization:
    """Add a child organization under ``parent``: ``data`` = {"name": str, "kind": an
    ``OrgKind`` value allowed under the parent (:data:`CHILD_KINDS`), "code": optional str
    (unique; default ``services.next_code``), "committee_elected_on": optional date}.
    ``PermissionDenied`` unless ``actor`` manages ``parent``; ``ValidationError`` naming the
    field for a kind not allowed there, a taken code or an empty name. Audited; ``add_child``
    event on the parent."""
    if not can(actor, MANAGE, parent):
        raise PermissionDenied(_("只有该组织的管理人员可以管理组织。"))
    name = (data.get("name") or "").strip()
    kind = data.get("kind")
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    if kind not in CHILD_KINDS.get(parent.kind, ()):
        raise ValidationError({"kind": _("%(parent)s 之下不能设立此类组织。") % {"parent": parent.name}})
    code = (data.get("code") or "").strip() or next_code(parent, kind)
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("编码 %(code)s 已被使用。") % {"code": code}})
    with audit_actor(actor):
        child = Organization.objects.add_child(parent, dict(
            name=name[:100], code=code[:32], kind=kind,
            committee_elected_on=data.get("committee_elected_on")))
    record_event(parent, "add_child", actor=actor, comment=f"{child.code} {child.name}")
    return child


@transaction.atomic
def update_organization(org: Organization, *, actor, name: str,
                        committee_elected_on: dt.date | None) -> Organization:
    """Rename ``org`` and set its committee's election date. ``PermissionDenied`` unless
    ``actor`` manages it; ``ValidationError`` for an empty name. Audited."""
    if not can(actor, MANAGE, org):
        raise PermissionDenied(_("只有该组织的管理人员可以管理组织。"))
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写名称。")})
    with audit_actor(actor):
        org.name = name.strip()[:100]
        org.committee_elected_on = committee_elected_on
        org.save(update_fields=["name", "committee_elected_on", "updated_at"])
    return org


def grantable_users(actor):
    """Users the actor may give a role to: those of members or role holders inside the
    actor's managed subtrees (never a superuser)."""
    paths = scope_paths(actor, MANAGE)
    User = get_user_model()
    if paths is None:
        return User.objects.filter(is_active=True, is_superuser=False).order_by("username")
    if not paths:
        return User.objects.none()
    inside = path_q("member__org", paths) | path_q("org_roles__org", paths)
    return (User.objects.filter(inside, is_active=True, is_superuser=False)
            .distinct().order_by("username"))


@transaction.atomic
def grant_role(org: Organization, user, role: str, *, actor) -> RoleAssignment:
    """Give ``user`` ``role`` (a ``Role`` value) on ``org`` (valid for its subtree).
    ``PermissionDenied`` unless ``actor`` manages ``org`` and ``user`` is one of
    :func:`grantable_users`; ``ValidationError`` for an unknown role or one held already.
    Audited; ``grant_role`` event on the organization."""
    if not can(actor, MANAGE, org) or not grantable_users(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("只能为您管理的组织中的用户授予角色。"))
    if role not in Role.values:
        raise ValidationError({"role": _("未知的角色。")})
    if RoleAssignment.objects.filter(user=user, org=org, role=role).exists():
        raise ValidationError({"role": _("%(user)s 已有该角色。") % {"user": user.username}})
    with audit_actor(actor):
        assignment = RoleAssignment.objects.create(user=user, org=org, role=role)
    clear_scope_cache(user)
    record_event(org, "grant_role", actor=actor, comment=f"{user.username} {Role(role).label}")
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, actor) -> None:
    """Take a role away. ``PermissionDenied`` unless ``actor`` manages its organization;
    ``ValidationError`` for the actor's own role (no one locks themselves out). Audited;
    ``revoke_role`` event on the organization."""
    if not can(actor, MANAGE, assignment.org):
        raise PermissionDenied(_("只有该组织的管理人员可以撤销角色。"))
    if assignment.user_id == actor.pk:
        raise ValidationError(_("不能取消自己的角色。"))
    with audit_actor(actor):
        assignment.delete()
    record_event(assignment.org, "revoke_role", actor=actor,
                 comment=f"{assignment.user.username} {assignment.get_role_display()}")


def roles_below(org: Organization):
    """The role assignments on ``org`` and its subtree, in tree order (one query)."""
    return (RoleAssignment.objects.filter(Q(org__path__startswith=org.path))
            .select_related("user", "org").order_by("org__path", "role", "user__username"))


def superuser_only_admin(request) -> bool:
    """Django admin's ``has_permission``: the superuser only (issue 12 §2); the committee
    office manages its subtree in the product."""
    user = request.user
    return bool(user.is_active and user.is_superuser)
