"""Campaigns and their plans (task lists), assignments to organizations and occurrences.

Glossary (DESIGN.md): 主题教育 ``Campaign``; 任务清单 ``Plan`` / ``PlanItem``; 责任到组织的任务
``Assignment``; 周期任务的每一期 ``Occurrence``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from taizhang.core.models import OrgScopedModel, TimeStampedModel
from taizhang.core.scoping import ScopedQuerySet


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class ReviewStatus(models.TextChoices):
    """Where a unit's derived plan stands in the superior's review (审核把关, seed 四.2)."""

    DRAFT = "", _("未报审")
    SUBMITTED = "submitted", _("待上级审核")
    RETURNED = "returned", _("上级退回")
    APPROVED = "approved", _("上级已审核")


#: The longest campaign period accepted (days). A 主题教育 or 专项工作 runs for months, a
#: work plan for a year, a term's plan for five; a longer period is a typing slip (a year
#: 2204 for 2024) that would give a weekly task thousands of periods per branch.
MAX_CAMPAIGN_DAYS = 5 * 366


def period_problem(start: dt.date | None, end: dt.date | None) -> str:
    """Why ``start``–``end`` cannot be a campaign's period, or "" when it can: the end
    before the start, or more than :data:`MAX_CAMPAIGN_DAYS` days."""
    if not (start and end):
        return ""
    if end < start:
        return str(_("结束日期不能早于开始日期。"))
    if (end - start).days > MAX_CAMPAIGN_DAYS:
        return str(_("起止日期相隔超过 5 年（%(start)s 至 %(end)s），请检查年份是否填错。") % {
            "start": start.isoformat(), "end": end.isoformat()})
    return ""


class Campaign(OrgScopedModel):
    """A campaign (主题教育 / 专项工作) run by a committee over a period, with one plan.

    A unit committee's campaign may be derived from its superior's (``derived_from``, seed
    四.1–四.2: the unit adds tasks and sets earlier deadlines); such a plan counts as final
    once the superior approved it (``review_status``, rounds in ``PlanReview``).
    """

    title = models.CharField(_("名称"), max_length=200)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    derived_from = models.ForeignKey(
        "self", verbose_name=_("上级任务清单"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="derived",
    )
    review_status = models.CharField(
        _("上级审核"), max_length=20, choices=ReviewStatus.choices, blank=True, default="",
    )

    scope_visible_below = True  # the branches under the committee read its campaign …
    scope_below_filter = models.Q(status__in=["published", "closed"])  # … once published

    class Meta:
        verbose_name = _("主题教育")
        verbose_name_plural = _("主题教育")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def clean(self):
        """Refuse an end before the start and an implausible period (:func:`period_problem`)."""
        problem = period_problem(self.start, self.end)
        if problem:
            from django.core.exceptions import ValidationError

            raise ValidationError({"end": problem})

    def get_absolute_url(self):
        return reverse("plans:campaign_detail", args=[self.pk])

    #: Characters of :attr:`short_title`.
    SHORT_TITLE = 16

    @property
    def short_title(self) -> str:
        """The title cut to :data:`SHORT_TITLE` characters (an ellipsis included): lists that
        show each task's campaign beside it (home page, 督办), so that an organization with
        two published plans tells their tasks apart (issue 12 §3)."""
        title = " ".join(self.title.split())
        return title if len(title) <= self.SHORT_TITLE else title[:self.SHORT_TITLE - 1] + "…"


class Plan(TimeStampedModel):
    """The task list of a campaign, as imported (source name, preamble, diagnostics)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="plan")
    source_name = models.CharField(_("来源文件"), max_length=255, blank=True)
    preamble = models.TextField(_("前言"), blank=True)
    diagnostics = models.JSONField(_("导入诊断"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "campaign__org"
    scope_visible_below = True
    scope_below_filter = models.Q(campaign__status__in=["published", "closed"])

    class Meta:
        verbose_name = _("任务清单")
        verbose_name_plural = _("任务清单")

    def __str__(self):
        return str(self.campaign)


class ItemKind(models.TextChoices):
    SECTION = "section", _("部分")
    TASK = "task", _("任务")
    NOTE = "note", _("说明")


class Responsible(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    BRANCH = "branch", _("党支部")
    MEMBER = "member", _("党员")


class EvidencePer(models.TextChoices):
    """What the minimum count counts (seed 三.2（2）: the secretary's lecture; every member's
    micro-lecture; seed 二.4: a lecture by each member of the committee's leadership team in
    a branch he or she belongs to or contacts, see ``plans.counting``)."""

    RECORD = "record", _("记录条数")
    SECRETARY = "secretary", _("书记本人")
    EACH_MEMBER = "each_member", _("每名党员")
    EACH_LEADER = "each_leader", _("班子成员每人")


class EvidenceWindow(models.TextChoices):
    PERIOD = "period", _("每一期（无周期时为截止日期前）")
    CAMPAIGN = "campaign", _("整个主题教育期间")


class PlanItem(TimeStampedModel):
    """One node of the plan tree (section, task or note), as imported and then edited.

    ``ref`` is the item's dotted outline reference built from the labels (e.g. ``三.2（1）``),
    ``position`` its order among siblings. ``recurrence`` is an RFC 5545 RRULE; ``evidence``
    the suggested record kind (an evidence code, ``core.sources``).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(_("序号"), default=0)
    ref = models.CharField(_("编号"), max_length=64, blank=True)
    label = models.CharField(_("标号"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices)
    title = models.CharField(_("标题"), max_length=500)
    text = models.TextField(_("内容"), blank=True)
    responsible = models.CharField(
        _("责任层级"), max_length=20, choices=Responsible.choices, blank=True
    )
    lead_unit = models.CharField(_("牵头单位"), max_length=200, blank=True)
    responsible_units = models.CharField(_("责任单位"), max_length=200, blank=True)
    due = models.DateField(_("完成时限"), null=True, blank=True)
    due_workday = models.DateField(_("顺延前工作日"), null=True, blank=True)
    ongoing = models.BooleanField(_("长期坚持"), default=False)
    recurrence = models.CharField(_("周期"), max_length=100, blank=True)
    min_count = models.PositiveSmallIntegerField(_("每期最少次数"), default=1)
    evidence = models.CharField(_("佐证记录类型"), max_length=40, blank=True)
    records_need_review = models.BooleanField(
        _("记录完成后仍需党委审核"), default=False,
        help_text=_("默认不需要：工作记录满足佐证规则即完成任务，党委只审核报送的材料。"
                    "勾选后，由记录完成的每期工作也进入审核把关，由党委确认或退回。"))
    source_item = models.ForeignKey(
        "self", verbose_name=_("上级清单条目"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="derived_items",
    )
    line_first = models.PositiveIntegerField(_("起始行"), default=0)
    line_last = models.PositiveIntegerField(_("结束行"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "plan__campaign__org"
    scope_visible_below = True
    scope_below_filter = models.Q(plan__campaign__status__in=["published", "closed"])

    class Meta:
        verbose_name = _("清单条目")
        verbose_name_plural = _("清单条目")
        ordering = ["plan", "line_first", "position"]
        indexes = [models.Index(fields=["plan", "kind"])]

    def __str__(self):
        return f"{self.ref} {self.title}".strip()

    @property
    def body(self) -> str:
        """The item's text after its label and title (what the heading line does not show)."""
        text = self.text.strip()
        if self.label and text.startswith(self.label):
            text = text[len(self.label):]
        if self.title and text.startswith(self.title):
            text = text[len(self.title):]
        return text.lstrip("。．.：:，, \n")

    @property
    def effective_due(self) -> dt.date | None:
        """The date work is really due: the last working day when ``due`` is a holiday."""
        return self.due_workday or self.due


class EvidenceRule(TimeStampedModel):
    """What satisfies a plan task (DESIGN.md "Evidence rules"): at least ``min_count``
    records of ``record_kind`` (an evidence code of the ``core.sources`` registry) of the responsible
    organization in each period (or over the whole campaign), counting records, the
    secretary's own records, or every member. A task is met when all its rules are met.
    Suggested at import from the task's wording and editable.
    """

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    record_kind = models.CharField(_("记录类型"), max_length=40)
    per = models.CharField(_("计数方式"), max_length=20, choices=EvidencePer.choices,
                           default=EvidencePer.RECORD)
    min_count = models.PositiveSmallIntegerField(_("最少次数"), default=1)
    window = models.CharField(_("计数区间"), max_length=20, choices=EvidenceWindow.choices,
                              default=EvidenceWindow.PERIOD)
    filters = models.JSONField(_("记录筛选条件"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "item__plan__campaign__org"
    scope_visible_below = True

    class Meta:
        verbose_name = _("佐证规则")
        verbose_name_plural = _("佐证规则")
        ordering = ["item", "position", "pk"]

    def __str__(self):
        return f"{self.record_kind} ≥{self.min_count} ({self.per})"


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("未完成")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    DONE = "done", _("已完成")


class WorkflowMixin:
    """The declared status moves of an assignment or an occurrence (DESIGN.md "Status
    machines"; issue 3 §2–3). Evidence moves are made by the evidence rules, review moves by
    the committee; ``core.status.apply_transition`` refuses anything else.

    pending ──complete_by_evidence──▶ done ──lose_evidence──▶ pending
    pending/returned ──submit──▶ submitted ──approve──▶ done
    submitted/done ──return_for_revision──▶ returned;  done ──confirm──▶ done (reviewed)
    """

    @transition(field="status", source=AssignmentStatus.PENDING, target=AssignmentStatus.DONE)
    def complete_by_evidence(self):
        """The records now satisfy the evidence rule (one entry, many uses)."""
        self.reviewed = False

    @transition(field="status", source=AssignmentStatus.DONE, target=AssignmentStatus.PENDING)
    def lose_evidence(self):
        """A record was deleted or changed and the rule is no longer met."""
        self.reviewed = False

    @transition(field="status", source=[AssignmentStatus.PENDING, AssignmentStatus.RETURNED],
                target=AssignmentStatus.SUBMITTED)
    def submit(self):
        """The responsible org reports the work (a submission, or records after a return)."""

    @transition(field="status", source=AssignmentStatus.SUBMITTED, target=AssignmentStatus.DONE)
    def approve(self):
        """The committee accepts the submission (审核把关)."""
        self.reviewed = True

    @transition(field="status", source=AssignmentStatus.DONE, target=AssignmentStatus.DONE)
    def confirm(self):
        """The committee confirms work completed by records."""
        self.reviewed = True

    @transition(field="status", source=[AssignmentStatus.SUBMITTED, AssignmentStatus.DONE],
                target=AssignmentStatus.RETURNED)
    def return_for_revision(self):
        """The committee sends the work back with a comment."""
        self.reviewed = False

    @transition(field="status", source="*", target=RETURN_VALUE(*AssignmentStatus.values))
    def follow(self, status: str) -> str:
        """A superior's assignment delegated to its unit's (``Assignment.delegated_to``,
        ``plans.delegation``) takes the status of the unit's assignment (or period)."""
        return status


class Assignment(WorkflowMixin, OrgScopedModel):
    """A plan task made the responsibility of one organization (unique per task and org).

    Status moves only through the declared transitions; for a recurring task the status
    follows its occurrences. ``delegated_to``: the unit's assignment that answers for this
    superior's one once the unit published its derived plan (issue 12 §1, ``plans.delegation``):
    this one is then hidden from the organization's own lists and mirrors that one's status.
    """

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("责任组织"), on_delete=models.PROTECT,
        related_name="assignments",
    )
    due = models.DateField(_("完成时限"), null=True, blank=True)
    status = FSMField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices,
        default=AssignmentStatus.PENDING, protected=False,
    )
    evidence_count = models.PositiveIntegerField(_("已有佐证"), default=0)
    evidence_needed = models.PositiveIntegerField(_("应有佐证"), default=0)
    reviewed = models.BooleanField(_("已审核"), default=False)
    delegated_to = models.ForeignKey(
        "self", verbose_name=_("由下级清单承接"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="delegates",
        help_text=_("下级党委分解并发布本级清单后，本任务由其对应任务承接，状态随其同步。"),
    )

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        constraints = [
            models.UniqueConstraint(fields=["item", "org"], name="assignment_unique_item_org")
        ]
        # updated_at: the board cache's version stamp (plans.boardcache), a MAX by index
        indexes = [models.Index(fields=["org", "status"]),
                   models.Index(fields=["updated_at"], name="assignment_updated_at")]

    def __str__(self):
        return f"{self.org} · {self.item}"

    def get_absolute_url(self):
        return reverse("plans:assignment_detail", args=[self.pk])


class Occurrence(WorkflowMixin, TimeStampedModel):
    """One period of a recurring assignment (e.g. October 2023 of a monthly study task)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="occurrences")
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    due = models.DateField(_("完成时限"))
    status = FSMField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices,
        default=AssignmentStatus.PENDING, protected=False,
    )
    evidence_count = models.PositiveIntegerField(_("已有佐证"), default=0)
    evidence_needed = models.PositiveIntegerField(_("应有佐证"), default=0)
    reviewed = models.BooleanField(_("已审核"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "assignment__org"

    class Meta:
        verbose_name = _("周期任务")
        verbose_name_plural = _("周期任务")
        ordering = ["assignment", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period_start"], name="occurrence_unique_period"
            )
        ]
        indexes = [models.Index(fields=["updated_at"], name="occurrence_updated_at")]  # plans.boardcache

    def __str__(self):
        return f"{self.assignment} {self.period_start:%Y-%m}"

    def get_absolute_url(self):
        """A period has no page of its own: its task's page at the period's row (the row's
        id in ``plans/assignment_detail.html``); used by 督办 and notices."""
        return f"{self.assignment.get_absolute_url()}#target-occurrence-{self.pk}"



class PlanImportStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    CANCELLED = "cancelled", _("已取消")


class PlanImport(OrgScopedModel):
    """An uploaded task-list document awaiting confirmation: the importer's draft, editable.

    ``draft`` holds the importer's JSON contract (``PlanDraft.to_dict()``) with the extra
    storage fields of each node (see ``plans.services.draft_to_dict``). Confirming it creates
    the campaign; nothing else is written before that.
    """

    source_name = models.CharField(_("来源文件"), max_length=255)
    draft = models.JSONField(_("解析结果"))
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanImportStatus.choices, default=PlanImportStatus.PENDING
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("清单导入")
        verbose_name_plural = _("清单导入")

    def __str__(self):
        return self.source_name

    def get_absolute_url(self):
        return reverse("plans:import_preview", args=[self.pk])


class Submission(OrgScopedModel):
    """A written answer to a task that no record kind proves (issue 3 §2): text and
    attachments, for one assignment or one occurrence of it; reviewed by the committee."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, null=True, blank=True, related_name="submissions"
    )
    text = models.TextField(_("完成情况"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("任务报送")
        verbose_name_plural = _("任务报送")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.assignment} {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.assignment.get_absolute_url()


class PlanReviewAction(models.TextChoices):
    SUBMIT = "submit", _("报上级审核")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")


class PlanReview(TimeStampedModel):
    """One step of the superior's review of a unit's derived plan (审核把关, seed 四.2):
    the unit submits, the superior approves or returns it with a comment. Every round is
    kept; ``round`` counts the submissions (1, 2, …)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("轮次"))
    action = models.CharField(_("操作"), max_length=20, choices=PlanReviewAction.choices)
    comment = models.TextField(_("意见"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "campaign__org"

    class Meta:
        verbose_name = _("清单审核")
        verbose_name_plural = _("清单审核")
        ordering = ["campaign", "created_at", "pk"]

    def __str__(self):
        return f"{self.campaign} #{self.round} {self.get_action_display()}"
