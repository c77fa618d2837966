"""建章立制 (rules and mechanisms made, revised or abolished) and 典型案例 / 经验做法.

Seed 二.14 "对主题教育中的好做法好经验，及时以制度形式固定下来，建立健全行得通、做得实、长期管用的
制度机制，及时发现典型案例和成功经验，进行总结推广"; 三.6 "抓好建章立制". The 整改台账's
"建章立制成果 (制度名称)" column (domain-rules §4) is an :class:`Institution` linked to the
problems and measures it answers.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import OrgScopedModel


class InstitutionAction(models.TextChoices):
    MADE = "made", _("制定")
    REVISED = "revised", _("修订")
    ABOLISHED = "abolished", _("废止")


# Actions that count as 建章立制 for the plan (a rule made or improved, not one abolished).
COUNTED_ACTIONS = (InstitutionAction.MADE, InstitutionAction.REVISED)


class Institution(OrgScopedModel):
    """A rule or mechanism ``name`` that ``org`` made, revised or abolished (``action``) on
    ``date`` (文号 ``doc_number``, content ``summary``; the document itself is an attachment),
    for ``campaign`` (optional), answering ``problems`` and ``measures`` of the problem list
    and the rectification ledger."""

    campaign = models.ForeignKey("plans.Campaign", verbose_name=_("主题教育"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    name = models.CharField(_("制度名称"), max_length=200)
    action = models.CharField(_("类型"), max_length=20, choices=InstitutionAction.choices,
                              default=InstitutionAction.MADE)
    date = models.DateField(_("印发日期"))
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    summary = models.TextField(_("主要内容"), blank=True)
    problems = models.ManyToManyField("rectification.Problem", verbose_name=_("针对的问题"), blank=True,
                                      related_name="institutions")
    measures = models.ManyToManyField("rectification.Rectification", verbose_name=_("针对的整改措施"),
                                      blank=True, related_name="institutions")

    class Meta:
        verbose_name = _("制度机制")
        verbose_name_plural = _("建章立制")
        ordering = ["org__path", "-date", "pk"]
        indexes = [models.Index(fields=["org", "date"])]

    def __str__(self):
        return f"{self.name}（{self.get_action_display()}）"

    def get_absolute_url(self):
        return reverse("institutions:institution_detail", args=[self.pk])


class CaseKind(models.TextChoices):
    CASE = "case", _("典型案例")
    PRACTICE = "practice", _("经验做法")


class TypicalCase(OrgScopedModel):
    """A typical case or good practice (``kind``) of ``org``, written up on ``date``, with
    the record it comes from (``source_record``: any scoped record, e.g. a meeting, a
    research visit, a rectification measure) and, once made a rule, the ``institution``."""

    campaign = models.ForeignKey("plans.Campaign", verbose_name=_("主题教育"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=CaseKind.choices, default=CaseKind.PRACTICE)
    title = models.CharField(_("标题"), max_length=200)
    date = models.DateField(_("总结日期"))
    summary = models.TextField(_("主要内容"))
    institution = models.ForeignKey(Institution, verbose_name=_("固化为制度"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="cases")
    source_content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("来源记录类型"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+", editable=False)
    source_object_id = models.PositiveBigIntegerField(_("来源记录"), null=True, blank=True, editable=False)
    source_record = GenericForeignKey("source_content_type", "source_object_id")

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例和经验做法")
        ordering = ["org__path", "-date", "pk"]
        indexes = [models.Index(fields=["org", "date"]),
                   models.Index(fields=["source_content_type", "source_object_id"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("institutions:case_detail", args=[self.pk])
