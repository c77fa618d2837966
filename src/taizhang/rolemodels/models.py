"""先进典型 (role models) of the "学习身边榜样" activity (seed 二.11, 三.5).

A branch or the committee nominates a member or a collective with its deeds (``org`` is the
nominating organization); the committee (``selector``: the nearest committee at or above the
nominating organization) selects it, publicises it for a stated period (公示, objections
recorded as :class:`Objection` rows with how each was handled) and announces it. A nomination
can be returned for revision or not selected, each with a reason. Moves go only through the
transitions below (``core.status.apply_transition``).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from taizhang.core.models import OrgScopedModel
from taizhang.core.scoping import ScopedQuerySet


class NomineeKind(models.TextChoices):
    MEMBER = "member", _("党员个人")
    COLLECTIVE = "collective", _("先进集体")


class RoleModelStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    RETURNED = "returned", _("退回修改")
    SELECTED = "selected", _("已选树")
    PUBLICISED = "publicised", _("公示中")
    ANNOUNCED = "announced", _("已公布")
    REJECTED = "rejected", _("未选树")


# Statuses of a model the committee has selected (二.11's 选树), and of one made public.
SELECTED_STATUSES = (RoleModelStatus.SELECTED, RoleModelStatus.PUBLICISED, RoleModelStatus.ANNOUNCED)
PUBLIC_STATUSES = (RoleModelStatus.PUBLICISED, RoleModelStatus.ANNOUNCED)
# Statuses in which the nomination itself may still be edited by the nominating organization.
EDITABLE_STATUSES = (RoleModelStatus.NOMINATED, RoleModelStatus.RETURNED)


class RoleModel(OrgScopedModel):
    """One nominated role model: a member (``member``) or a collective (``collective``),
    with the honour (``title``), the deeds and the nomination date, nominated by ``org``
    for ``campaign`` (optional) and selected by the committee ``selector``.

    Dates of the later steps: ``selected_on``, the 公示 period ``publicity_start`` –
    ``publicity_end``, ``announced_on``; ``reason`` is the last return / rejection reason."""

    campaign = models.ForeignKey("plans.Campaign", verbose_name=_("主题教育"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=NomineeKind.choices, default=NomineeKind.MEMBER)
    member = models.ForeignKey("orgs.Member", verbose_name=_("党员"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    collective = models.CharField(_("集体名称"), max_length=100, blank=True)
    title = models.CharField(_("推荐称号"), max_length=100, default="身边榜样")
    deeds = models.TextField(_("主要事迹"))
    nominated_on = models.DateField(_("推荐日期"))
    selector = models.ForeignKey("orgs.Organization", verbose_name=_("评选党组织"), on_delete=models.PROTECT,
                                 related_name="+")
    status = FSMField(_("状态"), max_length=20, choices=RoleModelStatus.choices,
                      default=RoleModelStatus.NOMINATED, protected=False)
    selected_on = models.DateField(_("选树日期"), null=True, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    announced_on = models.DateField(_("公布日期"), null=True, blank=True)
    reason = models.TextField(_("退回或不予选树理由"), blank=True)

    objects = ScopedQuerySet.as_manager()
    # The committee's own models are read below once public (a 公示 is meant to be seen).
    scope_visible_below = True
    scope_below_filter = models.Q(status__in=[s.value for s in PUBLIC_STATUSES])

    class Meta:
        verbose_name = _("先进典型")
        verbose_name_plural = _("先进典型")
        ordering = ["-nominated_on", "pk"]
        indexes = [models.Index(fields=["org", "nominated_on"]), models.Index(fields=["selector", "status"])]

    def __str__(self):
        return f"{self.name}（{self.title}）"

    @property
    def name(self) -> str:
        """The nominee's name: the member's, or the collective's."""
        if self.kind == NomineeKind.MEMBER and self.member_id:
            return self.member.name
        return self.collective

    def get_absolute_url(self):
        return reverse("rolemodels:rolemodel_detail", args=[self.pk])

    # -- transitions (moved by services.move through core.status.apply_transition) ----------
    @transition(field=status, source=RoleModelStatus.NOMINATED, target=RoleModelStatus.SELECTED)
    def select(self, on=None):
        """The committee selects the nomination (选树)."""
        self.selected_on = on
        self.reason = ""

    @transition(field=status, source=RoleModelStatus.SELECTED, target=RoleModelStatus.PUBLICISED)
    def publicise(self, start=None, end=None):
        """The committee publicises the selected model from ``start`` to ``end`` (公示)."""
        self.publicity_start, self.publicity_end = start, end

    @transition(field=status, source=RoleModelStatus.PUBLICISED, target=RoleModelStatus.ANNOUNCED)
    def announce(self, on=None):
        """After the 公示 period with every objection handled, the model is announced."""
        self.announced_on = on

    @transition(field=status, source=RoleModelStatus.NOMINATED, target=RoleModelStatus.RETURNED)
    def return_for_revision(self, reason=""):
        """The committee returns the nomination to its organization, with the reason."""
        self.reason = reason

    @transition(field=status, source=RoleModelStatus.RETURNED, target=RoleModelStatus.NOMINATED)
    def resubmit(self):
        """The nominating organization submits the revised nomination again."""

    @transition(field=status, source=[RoleModelStatus.NOMINATED, RoleModelStatus.SELECTED,
                                      RoleModelStatus.PUBLICISED], target=RoleModelStatus.REJECTED)
    def reject(self, reason=""):
        """Not selected (or withdrawn after an objection was upheld), with the reason."""
        self.reason = reason


class Objection(OrgScopedModel):
    """An objection received during a role model's 公示: what was said (``text``), when
    (``received_on``) and how it was handled (``handling``; empty until handled).
    ``org`` is the role model's selector (the committee that handles it)."""

    role_model = models.ForeignKey(RoleModel, verbose_name=_("先进典型"), on_delete=models.CASCADE,
                                   related_name="objections")
    received_on = models.DateField(_("收到日期"))
    text = models.TextField(_("反映内容"))
    handling = models.TextField(_("核查处理情况"), blank=True)
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return self.text[:30]

    def get_absolute_url(self):
        return self.role_model.get_absolute_url()
