"""立足岗位作贡献 (seed 三.4): "设立党员示范岗，引导党员亮身份、强服务、争先锋，组建党员志愿服务队，
结合在职党员进社区，开展结对共建等活动".

- :class:`ModelPost` 党员示范岗: a post held up as an example, its member and public commitment.
- :class:`VolunteerActivity` 志愿服务: one activity of a branch's volunteer team, its
  participants (from the roster) and the hours each served.
- :class:`CommunityRegistration` 在职党员进社区报到: a member's registration with the community
  where he or she lives, with a service commitment.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.core.limits import HOURS_MAX
from taizhang.core.models import OrgScopedModel


class ModelPost(OrgScopedModel):
    """党员示范岗 ``name`` of ``org`` held by ``member`` from ``start`` (the day it was set up,
    the date counted for seed 三.4) until ``end`` (empty: still running), with the member's
    public ``commitment`` (亮身份、作承诺)."""

    name = models.CharField(_("示范岗名称"), max_length=200)
    member = models.ForeignKey("orgs.Member", verbose_name=_("岗位党员"), on_delete=models.PROTECT,
                               related_name="model_posts")
    commitment = models.TextField(_("承诺内容"), blank=True)
    start = models.DateField(_("设岗日期"), db_index=True)
    end = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党员示范岗")
        verbose_name_plural = _("党员示范岗")
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["org", "start"])]

    def __str__(self):
        return f"{self.name}（{self.member.name}）"


class VolunteerActivity(OrgScopedModel):
    """One activity of ``org``'s volunteer team ``team`` on ``date`` at ``place`` (a place or
    a community): ``participants`` from the roster, each serving ``hours`` hours."""

    team = models.CharField(_("志愿服务队"), max_length=200)
    date = models.DateField(_("活动日期"), db_index=True)
    place = models.CharField(_("地点或社区"), max_length=200)
    participants = models.ManyToManyField("orgs.Member", verbose_name=_("参加党员"),
                                          related_name="volunteer_activities")
    hours = models.DecimalField(_("每人服务时长（小时）"), max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.1")), HOURS_MAX])
    content = models.TextField(_("服务内容"))

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.team}（{self.place}）"


class CommunityRegistration(OrgScopedModel):
    """在职党员进社区报到: ``member`` (of ``org``) registered with ``community`` on
    ``registered_on`` and commits to ``commitment``. One per member and community."""

    member = models.ForeignKey("orgs.Member", verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="community_registrations")
    community = models.CharField(_("报到社区"), max_length=200)
    registered_on = models.DateField(_("报到日期"), db_index=True)
    commitment = models.TextField(_("服务承诺"), blank=True)

    class Meta:
        verbose_name = _("在职党员进社区报到")
        verbose_name_plural = _("在职党员进社区报到")
        ordering = ["-registered_on", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["member", "community"], name="volunteering_registration_member_community",
            violation_error_message=_("该党员已在此社区报到。"))]

    def __str__(self):
        return f"{self.member.name} → {self.community}"
