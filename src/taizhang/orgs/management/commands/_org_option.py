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
            raise CommandError(f"no organization with code {code!r}") from None
    roots = list(Organization.objects.get_root_nodes()[:2])
    if len(roots) != 1:
        raise CommandError(
            "--org CODE is required: there are no organizations yet (run `taizhang load_sample` "
            "or create one in the admin)" if not roots else
            "--org CODE is required: there is more than one root organization"
        )
    return roots[0]
