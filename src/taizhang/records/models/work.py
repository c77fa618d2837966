"""Lectures, research visits, heart-to-heart talks and suggestions.

Field lists follow domain-rules §4 (党课台账, 调研台账, 谈心谈话记录, 意见建议). ResearchVisit,
Talk and Suggestion (and Meeting) offer ``problem_prefill()`` for the rectification app's
problem list: one entry, many uses (DESIGN.md step 4).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from taizhang.core.limits import PEOPLE_MAX, DateOrderMixin
from taizhang.core.models import OrgScopedModel


class LectureKind(models.TextChoices):
    LECTURE = "lecture", _("党课")
    MICRO_LECTURE = "micro_lecture", _("微党课")


class Lecture(OrgScopedModel):
    """A 党课 or 微党课 given by ``speaker`` to ``audience`` (an organization).

    ``co_speakers`` are further members who spoke in the same session (a micro-lecture
    session where several members each give a short lecture is one record; it counts for
    each speaker, issue 9 §3).

    ``org`` is whose ledger holds it (normally the audience org). ``meeting`` optionally links
    the 三会一课 meeting at which it was given, whose attendance then counts for it (one
    entry, not two).
    """

    kind = models.CharField(_("类型"), max_length=20, choices=LectureKind.choices,
                            default=LectureKind.LECTURE)
    title = models.CharField(_("题目"), max_length=300)
    speaker = models.ForeignKey("orgs.Member", verbose_name=_("主讲人"), on_delete=models.PROTECT,
                                related_name="+")
    co_speakers = models.ManyToManyField(
        "orgs.Member", verbose_name=_("其他主讲人"), blank=True, related_name="+",
        help_text=_("同一次活动中也讲了党课的其他党员（如多人轮流讲微党课），每人都计入。"))
    audience = models.ForeignKey("orgs.Organization", verbose_name=_("听课对象"),
                                 on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    audience_count = models.PositiveIntegerField(
        _("听课人数"), null=True, blank=True,
        validators=[MinValueValidator(1, message=_("听课人数至少为 1 人；不清楚时请留空。")), PEOPLE_MAX])
    meeting = models.OneToOneField("records.Meeting", verbose_name=_("所在会议"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="lecture")
    summary = models.TextField(_("主要内容"), blank=True)

    class Meta:
        verbose_name = _("党课")
        verbose_name_plural = _("党课")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "kind", "date"]), models.Index(fields=["speaker", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("records:lecture_detail", args=[self.pk])


class ResearchMethod(models.TextChoices):
    FORUM = "forum", _("座谈")
    VISIT = "visit", _("走访")
    STAY = "stay", _("蹲点")
    UNANNOUNCED = "unannounced", _("四不两直")
    SURVEY = "survey", _("问卷")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    NONE = "none", _("未形成报告")
    DRAFT = "draft", _("报告起草中")
    DONE = "done", _("已形成报告")
    SHARED = "shared", _("已交流")


class ResearchVisit(DateOrderMixin, OrgScopedModel):
    """A research visit (调查研究, DY; domain-rules §4 调研台账) led by ``leader``.

    ``findings`` feed the problem list (``problem_prefill``); ``report_status`` tracks the
    调研报告 up to its 成果交流会 (``shared_on``).
    """

    topic = models.CharField(_("调研课题"), max_length=300)
    leader = models.ForeignKey("orgs.Member", verbose_name=_("牵头领导"), on_delete=models.PROTECT,
                               related_name="+")
    participants = models.CharField(_("参与人员"), max_length=300, blank=True)
    place = models.CharField(_("调研对象/地点"), max_length=300)
    date = models.DateField(_("调研时间"), db_index=True)
    method = models.CharField(_("调研方式"), max_length=20, choices=ResearchMethod.choices,
                              default=ResearchMethod.FORUM)
    findings = models.TextField(_("发现问题"), blank=True)
    suggestions = models.TextField(_("对策建议"), blank=True)
    report_status = models.CharField(_("调研报告"), max_length=10, choices=ReportStatus.choices,
                                     default=ReportStatus.NONE)
    report_title = models.CharField(_("报告标题"), max_length=300, blank=True)
    outcomes = models.TextField(_("成果转化"), blank=True, help_text=_("形成的制度、项目、实事"))
    shared_on = models.DateField(_("交流会日期"), null=True, blank=True)

    date_order = (("date", "shared_on"),)  # the 成果交流会 follows the visit

    class Meta:
        verbose_name = _("调研")
        verbose_name_plural = _("调研")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"]), models.Index(fields=["leader", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("records:research_detail", args=[self.pk])

    def problem_prefill(self) -> dict:
        """Initial problem values from the visit's findings (source 基层调研)."""
        from taizhang.orgs.models import LeadershipMember

        is_leader = LeadershipMember.objects.filter(member_id=self.leader_id).exists()
        return {
            "description": self.findings or self.topic,
            "found_on": self.date,
            "source": "基层调研",
            "level": "leadership" if is_leader else "branch",
        }


class TalkRelation(models.TextChoices):
    """Who talks with whom (domain-rules §4 谈心谈话记录; MS / TZ ch.5)."""

    SECRETARY_TEAM = "secretary_team", _("书记↔班子成员")
    TEAM_TEAM = "team_team", _("班子成员之间")
    TEAM_DEPARTMENT = "team_department", _("班子成员↔分管部门负责人")
    COMMITTEE_COMMITTEE = "committee_committee", _("支委↔支委")
    COMMITTEE_MEMBER = "committee_member", _("支委↔党员")
    MEMBER_MEMBER = "member_member", _("党员↔党员")
    OTHER = "other", _("其他")


class TalkPurpose(models.TextChoices):
    BEFORE_DEMOCRATIC_LIFE = "before_democratic_life", _("民主生活会前")
    BEFORE_ORGANIZATIONAL_LIFE = "before_organizational_life", _("组织生活会前")
    ROUTINE = "routine", _("日常谈心")
    OTHER = "other", _("其他")


class TalkMode(models.TextChoices):
    INDIVIDUAL = "individual", _("个别谈话")
    COLLECTIVE = "collective", _("集体谈话")


class Talk(OrgScopedModel):
    """A heart-to-heart talk (谈心谈话) between ``party_a`` (谈话人) and ``party_b`` (谈话对象)."""

    party_a = models.ForeignKey("orgs.Member", verbose_name=_("谈话人"), on_delete=models.PROTECT,
                                related_name="+")
    party_b = models.ForeignKey("orgs.Member", verbose_name=_("谈话对象"), on_delete=models.PROTECT,
                                related_name="+")
    date = models.DateField(_("谈话时间"), db_index=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    relation = models.CharField(_("关系类型"), max_length=30, choices=TalkRelation.choices,
                                default=TalkRelation.COMMITTEE_MEMBER)
    mode = models.CharField(_("谈话方式"), max_length=20, choices=TalkMode.choices,
                            default=TalkMode.INDIVIDUAL)
    purpose = models.CharField(_("谈话目的"), max_length=30, choices=TalkPurpose.choices,
                               default=TalkPurpose.ROUTINE)
    topics = models.TextField(_("主要内容"), blank=True)
    opinions = models.TextField(_("对方意见建议"), blank=True)
    advice = models.TextField(_("谈话人提醒或意见"), blank=True)
    follow_up = models.TextField(_("后续措施"), blank=True)

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"]), models.Index(fields=["party_a", "party_b"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.party_a}—{self.party_b}"

    def get_absolute_url(self):
        return reverse("records:talk_detail", args=[self.pk])

    def problem_prefill(self) -> dict:
        """Initial problem values from the talk's opinions (source 谈心谈话)."""
        leadership = self.relation in (TalkRelation.SECRETARY_TEAM, TalkRelation.TEAM_TEAM,
                                       TalkRelation.TEAM_DEPARTMENT)
        return {
            "description": self.opinions or self.topics or str(self),
            "found_on": self.date,
            "source": "谈心谈话",
            "level": "leadership" if leadership else "member",
        }


class SuggestionStatus(models.TextChoices):
    RECEIVED = "received", _("待办理")
    HANDLING = "handling", _("办理中")
    ANSWERED = "answered", _("已答复")


class Suggestion(DateOrderMixin, OrgScopedModel):
    """A suggestion or opinion (建言献策 / 意见建议) to ``org``, from ``member`` or anonymous.

    An anonymous suggestion stores no author at all (``member`` is empty, and the service
    writes it without an actor in the audit trail). Handling moves received → handling →
    answered through declared transitions (``core.status.apply_transition``).
    """

    date = models.DateField(_("提出日期"), db_index=True)
    member = models.ForeignKey("orgs.Member", verbose_name=_("提出人"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    anonymous = models.BooleanField(_("匿名"), default=False)
    channel = models.CharField(_("征求渠道"), max_length=100, blank=True,
                               help_text=_("如：座谈会、意见箱、谈心谈话、网上征集"))
    content = models.TextField(_("意见建议内容"))
    status = FSMField(_("办理状态"), max_length=20, choices=SuggestionStatus.choices,
                      default=SuggestionStatus.RECEIVED, protected=False)
    reply = models.TextField(_("办理答复"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    date_order = (("date", "replied_on"),)  # answered on or after the day it was made

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "status", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.content[:30]}"

    def get_absolute_url(self):
        return reverse("records:suggestion_detail", args=[self.pk])

    @property
    def author_display(self) -> str:
        return "匿名" if self.anonymous or not self.member_id else str(self.member)

    @transition(field=status, source=SuggestionStatus.RECEIVED, target=SuggestionStatus.HANDLING)
    def start_handling(self):
        """Take the suggestion into handling."""

    @transition(field=status, source=[SuggestionStatus.RECEIVED, SuggestionStatus.HANDLING],
                target=SuggestionStatus.ANSWERED)
    def answer(self, reply: str, replied_on):
        """Answer it: ``reply`` (required text) and the reply date."""
        self.reply = reply
        self.replied_on = replied_on

    @transition(field=status, source=SuggestionStatus.ANSWERED, target=SuggestionStatus.HANDLING)
    def reopen(self):
        """Reopen an answered suggestion (the answer was not enough)."""

    def problem_prefill(self) -> dict:
        """Initial problem values from the suggestion (source 建言献策)."""
        from taizhang.core.sources import found_by_text

        who = "" if self.anonymous or self.member_id is None else self.member.name
        return {"description": self.content, "found_on": self.date, "source": "建言献策",
                "level": "branch", "found_by": found_by_text(who or ("匿名" if self.anonymous else ""),
                                                             self.channel)}
