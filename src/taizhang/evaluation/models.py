"""民主评议党员 (democratic appraisal of members): one grade per member and year.

domain-rules.md §1.2: yearly, at a 党员大会; grades 优秀 / 合格 / 基本合格 / 不合格 ([C] PY);
基本合格 → name the gaps and help improve; 不合格 → 组织处置 (限期改正 / 劝其退党 / 除名);
a 预备党员 is never rated 优秀 ([S]). The compliance checks 12–14 (§5) read these rows.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import OrgScopedModel


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASICALLY_QUALIFIED = "basically_qualified", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


# Grades that need a follow-up record (check 14, PY): an improvement record / a 处置.
FOLLOW_UP_GRADES = (Grade.BASICALLY_QUALIFIED, Grade.UNQUALIFIED)


class Appraisal(OrgScopedModel):
    """The grade of ``member`` for ``year``, given by the branch ``org`` (the member's branch)
    on ``rated_on``; ``follow_up`` is the improvement record of a 基本合格 or the 处置 of a
    不合格 (限期改正 / 劝其退党 / 除名 …). One per member and year."""

    member = models.ForeignKey("orgs.Member", verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="appraisals")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评议等次"), max_length=24, choices=Grade.choices)
    rated_on = models.DateField(_("评定日期"))
    follow_up = models.TextField(
        _("后续措施"), blank=True,
        help_text=_("基本合格：改进情况记录；不合格：组织处置（限期改正、劝其退党、除名等）"))

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["org__path", "-year", "member__name"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="evaluation_appraisal_member_year")]
        indexes = [models.Index(fields=["org", "year"])]

    def __str__(self):
        return f"{self.year}年 {self.member.name} {self.get_grade_display()}"

    def get_absolute_url(self):
        return reverse("evaluation:appraisal_detail", args=[self.pk])
