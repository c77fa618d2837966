"""民主生活会 of a leadership team: before (征求意见, 谈心谈话 matrix, 对照检查材料), during (the
meeting record) and after (report within 15 days, problems to the problem list).

Sources: MS 《县以上党和国家机关党员领导干部民主生活会若干规定》 (2016) and practice (domain-rules
§2 "民主生活会", §4 "民主生活会 record"); seed 二.9 "做好年度民主生活会会前准备。党委班子成员认真开展
谈心谈话，广泛收集意见建议，着手撰写对照检查材料", 二.12 "召开专题民主生活会", 四.2 "加强对……专题民主
生活会对照检查材料等审核把关".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from taizhang.core.models import OrgScopedModel
from taizhang.core.scoping import ScopedQuerySet


class Supervision(models.Model):
    """A department that team member ``leader`` supervises (分管部门) and its head: the third
    kind of pair of the talk matrix (班子成员↔分管部门负责人, domain-rules §2 step 3)."""

    leader = models.ForeignKey("orgs.LeadershipMember", verbose_name=_("班子成员"), on_delete=models.CASCADE,
                               related_name="supervisions")
    department = models.CharField(_("分管部门"), max_length=100)
    head = models.ForeignKey("orgs.Member", verbose_name=_("部门负责人"), on_delete=models.PROTECT,
                             related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "leader__team__org"

    class Meta:
        verbose_name = _("分管部门")
        verbose_name_plural = _("分管部门")
        ordering = ["leader__order", "department", "pk"]
        constraints = [models.UniqueConstraint(fields=["leader", "head"], name="supervision_unique_head")]

    def __str__(self):
        return f"{self.leader.member} → {self.department} {self.head}"


class OpinionChannel(models.TextChoices):
    FORUM = "forum", _("座谈会")
    QUESTIONNAIRE = "questionnaire", _("问卷")
    INTERVIEW = "interview", _("个别访谈")
    WRITTEN = "written", _("书面")


class Opinion(OrgScopedModel):
    """An opinion gathered before the meeting (征求意见): from ``channel``, given by ``giver``
    (a unit or "群众", optional), addressed to the ``team`` or to one ``addressee``, with the
    ``answer`` fed back (``answered_on``). ``year``: the 年度 of the meeting it prepares."""

    team = models.ForeignKey("orgs.LeadershipTeam", verbose_name=_("领导班子"), on_delete=models.PROTECT,
                             related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    date = models.DateField(_("征求日期"))
    channel = models.CharField(_("征求方式"), max_length=20, choices=OpinionChannel.choices,
                               default=OpinionChannel.FORUM)
    giver = models.CharField(_("提出人或单位"), max_length=100, blank=True)
    text = models.TextField(_("意见内容"))
    addressee = models.ForeignKey("orgs.LeadershipMember", verbose_name=_("针对的班子成员"),
                                  on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  help_text=_("留空表示针对领导班子"))
    answer = models.TextField(_("反馈答复"), blank=True)
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"]), models.Index(fields=["team", "year"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.text[:30]}"

    def get_absolute_url(self):
        return reverse("democratic:opinion_detail", args=[self.pk])

    @property
    def addressed_to(self) -> str:
        return str(self.addressee.member) if self.addressee_id else str(_("领导班子"))

    def problem_prefill(self) -> dict:
        """Initial problem values (rectification contract): source 征求意见, the team's or the
        leader's problem, 提出人/渠道 from the giver and the channel."""
        from taizhang.core.sources import found_by_text

        return {"description": self.text, "found_on": self.date, "source": "征求意见",
                "level": "member" if self.addressee_id else "leadership",
                "found_by": found_by_text(self.giver, str(self.get_channel_display()))}


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审核")
    OFFICE_APPROVED = "office_approved", _("党委已审核，待上级审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")


class SelfExamination(OrgScopedModel):
    """对照检查材料 (personal: 发言提纲) of the ``team`` (``leader`` empty) or of one leader, for the
    ``year``'s meeting. Written in ``content`` or uploaded as Word (``document``); every save
    keeps a :class:`ExamVersion`. Reviewed (审核把关, seed 四.2): draft → submitted →
    returned with comments / approved by the committee office; with ``needs_superior`` the
    office's approval leads to the superior's (office_approved → approved / returned).
    Every round is a :class:`ExamReview`."""

    team = models.ForeignKey("orgs.LeadershipTeam", verbose_name=_("领导班子"), on_delete=models.PROTECT,
                             related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    leader = models.ForeignKey("orgs.LeadershipMember", verbose_name=_("班子成员"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+", help_text=_("留空表示班子对照检查材料"))
    title = models.CharField(_("标题"), max_length=200)
    date = models.DateField(_("撰写日期"))
    content = models.TextField(_("材料内容"), blank=True)
    document = models.FileField(_("Word 文件"), upload_to="democratic/%Y/%m/", blank=True)
    needs_superior = models.BooleanField(_("需上级审核"), default=False)
    status = FSMField(_("状态"), max_length=20, choices=ExamStatus.choices, default=ExamStatus.DRAFT,
                      protected=False)
    approved_on = models.DateField(_("审核通过日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("对照检查材料")
        verbose_name_plural = _("对照检查材料")
        ordering = ["team", "-year", "leader__order", "pk"]
        indexes = [models.Index(fields=["team", "year", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("democratic:exam_detail", args=[self.pk])

    @property
    def whose(self) -> str:
        return str(self.leader.member) if self.leader_id else str(_("领导班子"))

    def get_document_url(self) -> str | None:
        """The download address of the current Word file (its latest version), or None."""
        if not self.document:
            return None
        number = self.versions.filter(document=self.document.name).order_by("-number").values_list(
            "number", flat=True).first()
        return reverse("democratic:exam_version_file", args=[self.pk, number]) if number else None

    # -- status machine (core.status.apply_transition) --
    @transition(field=status, source=[ExamStatus.DRAFT, ExamStatus.RETURNED], target=ExamStatus.SUBMITTED)
    def submit(self):
        """Hand the material in for review."""

    @transition(field=status, source=[ExamStatus.SUBMITTED, ExamStatus.OFFICE_APPROVED],
                target=RETURN_VALUE(ExamStatus.OFFICE_APPROVED, ExamStatus.APPROVED))
    def approve(self, on=None):
        """The office approves (then the superior, when ``needs_superior``)."""
        if self.status == ExamStatus.SUBMITTED and self.needs_superior:
            return ExamStatus.OFFICE_APPROVED
        self.approved_on = on
        return ExamStatus.APPROVED

    @transition(field=status, source=[ExamStatus.SUBMITTED, ExamStatus.OFFICE_APPROVED], target=ExamStatus.RETURNED)
    def return_for_revision(self):
        """Return with comments (the comment is the review's)."""


class ExamVersion(models.Model):
    """One saved version of a material (number 1, 2, …): its text and Word file as then."""

    exam = models.ForeignKey(SelfExamination, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    content = models.TextField(_("材料内容"), blank=True)
    document = models.CharField(_("Word 文件"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "exam__org"

    class Meta:
        verbose_name = _("材料版本")
        verbose_name_plural = _("材料版本")
        ordering = ["exam", "number"]
        constraints = [models.UniqueConstraint(fields=["exam", "number"], name="exam_version_unique")]


class ReviewLevel(models.TextChoices):
    OFFICE = "office", _("党委办公室")
    SUPERIOR = "superior", _("上级党组织")


class ExamReview(models.Model):
    """One review round of a material: the ``version`` reviewed, by whom (``level``), the
    ``decision`` (approved / returned) and the ``comment``."""

    exam = models.ForeignKey(SelfExamination, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("轮次"))
    version = models.ForeignKey(ExamVersion, verbose_name=_("版本"), on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    level = models.CharField(_("审核层级"), max_length=20, choices=ReviewLevel.choices)
    approved = models.BooleanField(_("审核通过"))
    comment = models.TextField(_("审核意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(_("审核时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "exam__org"

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["exam", "created_at", "pk"]


class LifeMeeting(OrgScopedModel):
    """The 民主生活会 of ``team`` for ``year`` held on ``date`` (domain-rules §4 record).

    Its attendance is a ``records.Meeting`` of kind democratic_life_meeting (``meeting``, the
    team as expected attendees), written by this app's service. ``observers``: the superior's
    督导 present. ``reported_on``: the day the 情况报告 and the meeting record went to the
    superior (≤ 15 days, check 23). Problems raised link to it (the problem's source record).
    """

    team = models.ForeignKey("orgs.LeadershipTeam", verbose_name=_("领导班子"), on_delete=models.PROTECT,
                             related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("会议主题"), max_length=200)
    date = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    observers = models.CharField(_("上级督导人员"), max_length=300, blank=True)
    summary = models.TextField(_("会议情况"), blank=True)
    reported_on = models.DateField(_("报告和记录报送日期"), null=True, blank=True,
                                   help_text=_("会后15日内向上级报送情况报告和会议记录"))
    notice_scope = models.CharField(_("通报范围"), max_length=200, blank=True)
    meeting = models.OneToOneField("records.Meeting", verbose_name=_("出席记录"), on_delete=models.SET_NULL,
                                   null=True, blank=True, editable=False, related_name="life_meeting")

    class Meta:
        verbose_name = _("民主生活会")
        verbose_name_plural = _("民主生活会")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"]), models.Index(fields=["team", "year"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("democratic:meeting_detail", args=[self.pk])

    def problem_prefill(self) -> dict:
        """Initial problem values: source 民主生活会, the team's problem."""
        return {"description": self.summary or str(self), "found_on": self.date, "source": "民主生活会",
                "level": "leadership"}


class Statement(models.Model):
    """One person's part at the meeting: his 对照检查 (``self_criticism``), the criticism he
    received and the criticism he gave."""

    life_meeting = models.ForeignKey(LifeMeeting, on_delete=models.CASCADE, related_name="statements")
    leader = models.ForeignKey("orgs.LeadershipMember", verbose_name=_("班子成员"), on_delete=models.PROTECT,
                               related_name="+")
    self_criticism = models.TextField(_("对照检查发言"), blank=True)
    criticism_received = models.TextField(_("收到的批评意见"), blank=True)
    criticism_given = models.TextField(_("提出的批评意见"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "life_meeting__org"

    class Meta:
        verbose_name = _("发言")
        verbose_name_plural = _("发言")
        ordering = ["life_meeting", "leader__order"]
        constraints = [models.UniqueConstraint(fields=["life_meeting", "leader"], name="statement_unique_leader")]
