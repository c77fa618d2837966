"""The compliance app's tables: the findings kept between evaluations (issue 14).

Findings are computed from the records (:mod:`.engine`); :mod:`.store` keeps the result of an
evaluation per committee-view row (:class:`StoredFindings`) and renews only the rows whose
organizations changed since (:class:`FindingsChange`, written by :mod:`.marks` when a record,
a member, a post or an organization is written). They are a cache: deleting every row of
these tables loses nothing.

:class:`BranchCompliance` is a proxy of ``orgs.Organization`` so that the REST API's
branch-health endpoint has a model of this app (its route names are
``branchcompliance-list`` / ``-detail``) and goes through the one scoping mechanism.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.models import Organization


class BranchCompliance(Organization):
    """A branch seen through the compliance rules (read-only proxy)."""

    class Meta:
        proxy = True
        verbose_name = _("党支部合规情况")
        verbose_name_plural = _("党支部合规情况")


class FindingsChange(models.Model):
    """The organization ``org_id`` changed (its findings must be recomputed); ``org_id``
    None: anything may have changed (the tree, a setting) — recompute everything. The id
    orders the changes; an evaluation remembers the last one it has seen."""

    org_id = models.BigIntegerField(null=True)

    def __str__(self):
        return f"{self.pk}: {self.org_id or '*'}"


class StoredEvaluation(models.Model):
    """One evaluation kept: ``key`` = root, period, today and the settings' fingerprint
    (:func:`.store.evaluation_key`); ``seen`` = the last :class:`FindingsChange` id it
    includes."""

    key = models.CharField(max_length=200, unique=True)
    root_id = models.BigIntegerField()
    seen = models.BigIntegerField(default=0)

    def __str__(self):
        return self.key


class StoredFindings(models.Model):
    """The findings and calendar cells of one committee-view row (``row_id``) of a kept
    evaluation, pickled (rules by id)."""

    evaluation = models.ForeignKey(StoredEvaluation, on_delete=models.CASCADE, related_name="rows")
    row_id = models.BigIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "row_id"], name="compliance_stored_row")]
