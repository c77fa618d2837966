"""Compliance stores nothing of its own: findings are computed from the records each time.

:class:`BranchCompliance` is a proxy of ``orgs.Organization`` so that the REST API's
branch-health endpoint has a model of this app (its route names are
``branchcompliance-list`` / ``-detail``) and goes through the one scoping mechanism.
"""

from django.utils.translation import gettext_lazy as _

from taizhang.orgs.models import Organization


class BranchCompliance(Organization):
    """A branch seen through the compliance rules (read-only proxy)."""

    class Meta:
        proxy = True
        verbose_name = _("党支部合规情况")
        verbose_name_plural = _("党支部合规情况")
