"""Scoping-walk cases of the orgs URLs (see taizhang.core.testing)."""

from taizhang.core.testing import HIDDEN, LISTED, Case
from taizhang.orgs.models import Position, RoleAssignment


def cases(world):
    b = world.branch_b
    post_b, _new = Position.objects.get_or_create(member=world.member_b, org=b, role="secretary", ended_on=None)
    return [
        Case("orgs:posts", {"pk": b.pk}, post=True,
             data={"role": "secretary", "member": world.member_b.pk, "started_on": "2024-01-01"}),
        Case("orgs:posts", {"pk": world.branch_a.pk}, post=True, data={}),
        Case("orgs:post_end", {"pk": post_b.pk}, post=True, data={"ended_on": "2024-02-01"}),
        Case("orgs:organization_list", expect=LISTED),
        Case("orgs:organization_detail", {"pk": b.pk}),
        Case("orgs:organization_detail", {"pk": world.committee.pk}),
        Case("orgs:leadership", expect=LISTED),
        Case("orgs:choose", expect=LISTED),
        Case("orgs:choose", expect=LISTED, query="q=%E7%AC%AC2"),  # 第2: branch B's name
        Case("orgs:choose", expect=LISTED, query="q=ZB02&kind=branch"),
        Case("orgs:choose", expect=LISTED, query="q=ZB02&action=change&show=kind"),
        Case("orgs:choose_members", expect=LISTED),
        Case("orgs:choose_members", expect=LISTED, query="q=%E4%B9%99"),  # 乙: member B's name
        Case("orgs:choose_members", expect=LISTED,
             query=f"keep=people&people={world.member_b.pk}&show=status&action=change"),
        Case("orgs:member_list", expect=LISTED),
        Case("orgs:accounts_create", post=True, data={"org": b.pk, "rule": "code"}),
        Case("orgs:accounts_create", query=f"org={b.pk}"),
        Case("orgs:password_change", expect=LISTED),
        Case("orgs:organization_add", {"pk": b.pk}, post=True, data={"name": "x", "kind": "group"}),
        Case("orgs:organization_edit", {"pk": b.pk}, post=True, data={"name": "x"}),
        Case("orgs:organization_edit", {"pk": world.branch_a.pk}, post=True, data={"name": "x"}),
        Case("orgs:roles", {"pk": b.pk}),
        Case("orgs:roles", {"pk": world.branch_a.pk}),
        Case("orgs:role_revoke", {"pk": RoleAssignment.objects.get(user=world.secretary_b).pk}, post=True),
        Case("orgs:member_list", expect=LISTED, query=f"org={b.pk}"),
        Case("orgs:member_detail", {"pk": world.member_b.pk}),
        Case("orgs:roster_import", expect=HIDDEN, post=True),
        Case("orgs:roster_import_confirm", expect=HIDDEN, post=True),
        Case("orgs:roster_export", expect=LISTED),
        Case("orgs:roster_export", expect=LISTED, query=f"org={b.pk}"),
    ]
