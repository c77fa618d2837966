"""``--org CODE`` for the orgs commands: the organization, or the only root when omitted."""

from django.core.management.base import CommandError

from taizhang.orgs.models import Organization


def org_from_code(code: str | None) -> Organization:
    """The organization with ``code``; without a code the only root organization.

    Raises ``CommandError`` when the code is unknown or there is not exactly one root.
    """
    if code:
        try:
            return Organization.objects.get(code=code)
        except Organization.DoesNotExist:
            raise CommandError(f"--org：没有代码为“{code}”的组织") from None
    roots = list(Organization.objects.get_root_nodes()[:2])
    if len(roots) != 1:
        raise CommandError(
            "请用 --org CODE 指定组织：还没有任何组织（先运行 `taizhang load_sample` 或在管理后台创建）"
            if not roots else "请用 --org CODE 指定组织：有不止一个顶级组织"
        )
    return roots[0]
