"""观看党员教育电视片: a branch watches a Party-education film together (seed 三.2（2）:
"观看党员教育电视片、参加社会活动")."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.core.limits import PEOPLE_MAX
from taizhang.core.models import OrgScopedModel


class FilmViewing(OrgScopedModel):
    """One viewing of a Party-education film (党员教育电视片) by ``org`` on ``date``:
    the film's title, where, how many watched, and what was discussed."""

    title = models.CharField(_("片名"), max_length=300)
    date = models.DateField(_("观看日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    viewers = models.PositiveIntegerField(
        _("观看人数"), null=True, blank=True,
        validators=[MinValueValidator(1, message=_("观看人数至少为 1 人；不清楚时请留空。")), PEOPLE_MAX])
    notes = models.TextField(_("交流讨论"), blank=True)

    class Meta:
        verbose_name = _("观看党员教育电视片")
        verbose_name_plural = _("观看党员教育电视片")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"
