"""The problem list (问题清单) and the rectification ledger (整改清单 / 整改台账).

Seed tasks 二.7 (形成问题清单), 二.8 (检视整改: 细化整改措施, 建立工作台账, 动态管理、滚动销号),
二.10 (跟踪检视整改落实情况) and 三.6; field lists from domain-rules.md §4 (问题清单, 整改清单) and the
checks of §5 (24: every measure states measure, leader, department, person and deadline; 25:
overdue is red; 26: 销号 needs 完成情况, 佐证 and the reviewer's approval).

- :class:`ProblemSource`: the configurable list of where problems come from (seed 二.7).
- :class:`Problem`: one problem of an organization, optionally linked to the record it was
  found in (a research visit, suggestion, talk, meeting …) by a generic foreign key.
- :class:`Rectification`: one measure of a problem, with a status machine (django-fsm-2),
  a working-day-aware deadline, a version for optimistic locking and the denormalised latest
  progress (so the ledger of 100,000 measures is one query a page).
- :class:`ProgressUpdate`: the rolling progress reports of a measure (滚动更新).
- :class:`ExtensionRequest`: a deadline extension asked for with a reason and decided by the
  committee (延期次数 is counted; a deadline is never edited silently).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from taizhang.core.limits import order_error
from taizhang.core.models import OrgScopedModel
from taizhang.core.scoping import ScopedQuerySet
from taizhang.core.workdays import is_workday, last_workday_on_or_before

# The sources named by seed 二.7 plus the record kinds that feed problems (DESIGN.md step 6);
# the list lives in the database (admin-editable), this is its initial content.
DEFAULT_SOURCES = [
    "群众信访", "纪检监察监督", "巡视巡察", "政治建设考察", "绩效考核", "审计监督", "统计监督",
    "环保督察", "基层调研", "建言献策", "谈心谈话", "民主生活会", "组织生活会", "其他",
]
OTHER_SOURCE = "其他"


class ProblemSource(models.Model):
    """Where a problem came from (问题来源), e.g. 巡视巡察; ``name`` is also its code.

    The list is configurable in the admin; an import meeting an unknown source name adds it.
    """

    name = models.CharField(_("名称"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题来源")
        verbose_name_plural = _("问题来源")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ProblemLevel(models.TextChoices):
    """Whose problem it is (对象: 班子 / 支部 / 个人, domain-rules.md §4 问题清单)."""

    LEADERSHIP = "leadership", _("领导班子")
    BRANCH = "branch", _("党支部")
    MEMBER = "member", _("党员个人")


class Problem(OrgScopedModel):
    """A problem on an organization's problem list (问题清单).

    ``source_content_type``/``source_object_id`` link the record it was found in (any
    scoped model with ``problem_prefill()``, e.g. ``records.ResearchVisit``); the record's
    page lists its problems with ``{% related_problems record %}``.
    """

    number = models.PositiveIntegerField(
        _("序号"), editable=False,
        help_text=_("问题在本组织问题清单中的序号，新增时自动编排，导入台账时沿用表格中的序号"))
    source = models.ForeignKey(ProblemSource, verbose_name=_("问题来源"), on_delete=models.PROTECT,
                               related_name="problems")
    category = models.CharField(_("问题类别"), max_length=60, blank=True)
    description = models.TextField(_("问题表现"))
    found_on = models.DateField(_("发现日期"), null=True, blank=True)
    found_by = models.CharField(_("提出人/渠道"), max_length=100, blank=True)
    level = models.CharField(_("问题对象"), max_length=20, choices=ProblemLevel.choices,
                             default=ProblemLevel.BRANCH)
    remarks = models.TextField(_("备注"), blank=True)
    source_content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("来源记录类型"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+")
    source_object_id = models.PositiveBigIntegerField(_("来源记录"), null=True, blank=True)
    source_record = GenericForeignKey("source_content_type", "source_object_id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")
        ordering = ["org__path", "number"]
        indexes = [
            models.Index(fields=["source_content_type", "source_object_id"]),
            models.Index(fields=["org", "created_at"]),
            models.Index(fields=["updated_at"]),  # the ledger's version stamp (ledgercache)
        ]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="problem_number_unique_in_org"),
        ]

    def __str__(self):
        text = " ".join(self.description.split())
        return text if len(text) <= 40 else text[:39] + "…"

    def clean(self):
        """A problem is found on a past day (as records: 不能登记尚未发生的工作)."""
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        if self.found_on and self.found_on > timezone.localdate():
            raise ValidationError({"found_on": _("发现日期不能晚于今天。")})
        if self.found_on and self.pk:
            # A measure cannot be due before its problem was found (:func:`deadline_error`).
            earliest = self.measures.filter(deadline__lt=self.found_on).order_by("deadline").first()
            if earliest is not None:
                raise ValidationError({"found_on": _(
                    "发现日期（%(found)s）不能晚于其整改措施的整改时限（%(deadline)s）。") % {
                    "found": f"{self.found_on:%Y-%m-%d}", "deadline": f"{earliest.deadline:%Y-%m-%d}"}})

    def save(self, *args, **kwargs):
        """Save; a new problem without a ``number`` gets the next one of its organization
        (:func:`next_problem_number`, in the same transaction)."""
        if self.number is None:
            with transaction.atomic():
                self.number = next_problem_number(self.org_id)
                super().save(*args, **kwargs)
            return
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("rectification:problem_detail", args=[self.pk])


def next_problem_number(org_id: int) -> int:
    """The next 序号 on organization ``org_id``'s problem list: one more than the highest.

    The 序号 is stored, not computed per request: a problem keeps its number under every
    filter and on every page and export (as a filtered Excel sheet keeps its row numbers),
    and the ledger of 100,000 measures needs no ranking over the whole set. Call inside a
    transaction: the organization's row is locked (PostgreSQL; SQLite serialises writers)
    so two problems created at once do not get the same number."""
    from taizhang.orgs.models import Organization

    list(Organization.objects.select_for_update().filter(pk=org_id).values_list("pk"))
    highest = Problem.objects.filter(org_id=org_id).aggregate(n=models.Max("number"))["n"]
    return (highest or 0) + 1


class RectificationKind(models.TextChoices):
    """整改类型 (domain-rules.md §4): immediate, with a deadline, long-term."""

    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    LONG_TERM = "long_term", _("长期坚持")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    COMPLETED = "completed", _("已完成待核验")
    VERIFIED = "verified", _("已核验")
    CLOSED = "closed", _("已销号")


# Statuses in which a measure is still being worked on (overdue / amber apply only to these).
ACTIVE_STATUSES = (RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS)


def deadline_error(problem: Problem | None, deadline: dt.date | None, label: str | None = None) -> str | None:
    """The message refusing a measure's date (its 整改时限, or ``label``: an extension's 申请延至,
    a progress update's 进展日期) before its problem's 发现日期 — "整改时限（2023-09-01）不能早于
    问题的发现日期（2023-09-15）。" — or None. A problem without 发现日期 sets no bound."""
    if problem is None or deadline is None:
        return None
    return order_error(problem.found_on, deadline, str(_("问题的发现日期")), str(label or _("整改时限")))


class Rectification(OrgScopedModel):
    """One rectification measure (整改措施) of a problem: a row of the 整改台账.

    ``org`` is the problem's organization (copied, for the one-hop scoping filter).
    ``deadline`` is the date as written; ``due_workday`` the last working day before it when
    it is a weekend or public holiday; ``effective_due`` the date work is really due (either),
    stored for indexed overdue filters. ``version`` grows with every save (optimistic
    locking, see ``services.StaleEdit``). ``progress``/``progress_on`` repeat the latest
    :class:`ProgressUpdate` (the ledger's 整改进展).
    """

    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.CASCADE,
                                related_name="measures")
    position = models.PositiveIntegerField(_("序号"), default=1)
    measure = models.TextField(_("整改措施"))
    target = models.TextField(_("整改目标"), blank=True)
    kind = models.CharField(_("整改类型"), max_length=20, choices=RectificationKind.choices,
                            default=RectificationKind.DEADLINE)
    leader = models.ForeignKey("orgs.LeadershipMember", verbose_name=_("责任领导"),
                               on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    leader_name = models.CharField(_("责任领导（姓名）"), max_length=50, blank=True)
    department_org = models.ForeignKey("orgs.Organization", verbose_name=_("责任组织"),
                                       on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+")
    department = models.CharField(_("责任部门"), max_length=100, blank=True)
    person = models.CharField(_("责任人"), max_length=50, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    due_workday = models.DateField(_("顺延前工作日"), null=True, blank=True)
    effective_due = models.DateField(_("实际截止日"), null=True, blank=True, db_index=True)
    milestone = models.CharField(_("阶段目标"), max_length=200, blank=True)
    status = FSMField(_("状态"), max_length=20, choices=RectificationStatus.choices,
                      default=RectificationStatus.OPEN, protected=False)
    progress = models.TextField(_("整改进展"), blank=True)
    progress_on = models.DateField(_("进展日期"), null=True, blank=True)
    completion_note = models.TextField(_("完成情况"), blank=True)
    evidence = models.TextField(_("佐证材料"), blank=True)
    completed_at = models.DateTimeField(_("申报完成时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核验人"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改清单")
        ordering = ["problem", "position", "pk"]
        indexes = [
            models.Index(fields=["org", "status"]),
            models.Index(fields=["status", "effective_due"]),
            models.Index(fields=["updated_at"]),  # the ledger's version stamp (ledgercache)
        ]

    def __str__(self):
        text = " ".join(self.measure.split())
        return text if len(text) <= 40 else text[:39] + "…"

    def get_absolute_url(self):
        return reverse("rectification:measure_detail", args=[self.pk])

    def derive_dates(self) -> None:
        """Set ``due_workday``/``effective_due`` from ``deadline`` (a deadline on a weekend or
        public holiday is due the working day before). :meth:`save` calls it; bulk writes
        (the ledger import) call it themselves."""
        self.due_workday = None
        if self.deadline and not is_workday(self.deadline):
            self.due_workday = last_workday_on_or_before(self.deadline)
        self.effective_due = self.due_workday or self.deadline

    def save(self, *args, **kwargs):
        """Derive ``due_workday``/``effective_due`` from ``deadline``; bump ``version``."""
        self.derive_dates()
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version", "due_workday",
                                       "effective_due", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def leader_display(self) -> str:
        """The responsible leader's name (linked leader, else the name as typed)."""
        return self.leader_name

    @property
    def department_display(self) -> str:
        """责任部门: the text as typed, else the linked organization's name."""
        if self.department:
            return self.department
        return self.department_org.name if self.department_org_id else ""

    @property
    def deadline_display(self) -> str:
        """整改时限 as the ledger writes it: a date, 立行立改, 长期坚持 or both."""
        if self.deadline:
            text = self.deadline.isoformat()
            return f"长期坚持（{text}）" if self.kind == RectificationKind.LONG_TERM else text
        return {RectificationKind.IMMEDIATE: "立行立改",
                RectificationKind.LONG_TERM: "长期坚持"}.get(self.kind, "")

    def attachments_locked(self) -> bool:
        """Evidence is frozen once the measure is claimed complete, verified or closed (检视整改
        审核把关: what the reviewer checked stays as checked); a return reopens it."""
        return self.status in (RectificationStatus.COMPLETED, RectificationStatus.VERIFIED,
                               RectificationStatus.CLOSED)

    def rag(self, today: dt.date, amber_until: dt.date) -> str:
        """Colour of the measure on ``today``: "red" (overdue), "amber" (due by
        ``amber_until``, the 3rd working day after today), "green", "done" (completed or
        further) or "none" (no deadline). Issue 4 §2 "dynamic management"."""
        if self.status not in ACTIVE_STATUSES:
            return "done"
        if self.effective_due is None:
            return "none"
        if self.effective_due < today:
            return "red"
        if self.effective_due <= amber_until:
            return "amber"
        return "green"

    # ---- status machine (issue 4 §2) ---------------------------------------------------
    # Moves only through core.status.apply_transition (via services.move), which records who,
    # when and why; the checks that need a message (completion note, permissions) are there.

    @transition(field=status, source=RectificationStatus.OPEN, target=RectificationStatus.IN_PROGRESS)
    def start(self):
        """Work on the measure has begun (first progress update, or by hand)."""

    @transition(field=status, source=[RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS],
                target=RectificationStatus.COMPLETED)
    def complete(self, at=None):
        """The owner claims the measure done, with 完成情况 and evidence."""
        self.completed_at = at

    @transition(field=status, source=RectificationStatus.COMPLETED, target=RectificationStatus.VERIFIED)
    def verify(self, at=None, by=None):
        """The committee checks the claimed result (审核把关)."""
        self.verified_at = at
        self.verified_by = by

    @transition(field=status, source=RectificationStatus.VERIFIED, target=RectificationStatus.CLOSED)
    def close(self, on=None):
        """销号: the measure leaves the active ledger (a long-term one stays on the watch list)."""
        self.closed_on = on

    @transition(field=status, source=[RectificationStatus.COMPLETED, RectificationStatus.VERIFIED],
                target=RectificationStatus.IN_PROGRESS)
    def return_for_revision(self):
        """The committee sends a claimed or verified measure back, with the reason."""
        self.verified_at = None
        self.verified_by = None

    @transition(field=status, source=RectificationStatus.CLOSED, target=RectificationStatus.IN_PROGRESS)
    def reopen(self):
        """A closed measure is opened again, with the reason (e.g. the problem came back)."""
        self.closed_on = None
        self.verified_at = None
        self.verified_by = None


class ProgressUpdate(models.Model):
    """One dated rolling progress report of a measure (滚动更新): done, difficulties, next step,
    help needed; files are attached with ``core.models.Attachment``."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(_("日期"))
    done = models.TextField(_("已开展工作"))
    difficulties = models.TextField(_("存在困难"), blank=True)
    next_step = models.TextField(_("下一步计划"), blank=True)
    help_needed = models.TextField(_("需要协调事项"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"),
                               on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "rectification__org"

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["rectification", "reported_on", "pk"]

    def __str__(self):
        return f"{self.reported_on:%Y-%m-%d} {self.done[:30]}"

    def get_absolute_url(self):
        return reverse("rectification:measure_detail", args=[self.rectification_id])


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ExtensionRequest(models.Model):
    """A request to move a measure's deadline (延期申请), decided by the committee."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE,
                                      related_name="extensions")
    old_deadline = models.DateField(_("原时限"), null=True, blank=True)
    new_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    status = FSMField(_("状态"), max_length=20, choices=ExtensionStatus.choices,
                      default=ExtensionStatus.PENDING, protected=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "rectification__org"

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["rectification", "created_at", "pk"]

    def __str__(self):
        return f"{self.rectification} → {self.new_deadline}"

    def get_absolute_url(self):
        return reverse("rectification:measure_detail", args=[self.rectification_id])

    @transition(field=status, source=ExtensionStatus.PENDING, target=ExtensionStatus.APPROVED)
    def approve(self, by=None, at=None):
        """The committee agrees to the new deadline."""
        self.decided_by, self.decided_at = by, at

    @transition(field=status, source=ExtensionStatus.PENDING, target=ExtensionStatus.REJECTED)
    def reject(self, by=None, at=None):
        """The committee keeps the old deadline."""
        self.decided_by, self.decided_at = by, at


class ListReviewAction(models.TextChoices):
    SUBMIT = "submit", _("报上级审核")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")


class ProblemListReview(OrgScopedModel):
    """One step of the superior's review (审核把关, seed 四.2; issue 12 §1) of a unit's
    leadership-team problem list (``org`` the unit): the unit submits, the superior approves
    or returns it with comments. Every round is kept; ``round`` counts the submissions;
    ``problems`` is the number of leadership problems on the list at that step."""

    round = models.PositiveSmallIntegerField(_("轮次"))
    action = models.CharField(_("操作"), max_length=20, choices=ListReviewAction.choices)
    comment = models.TextField(_("意见"), blank=True)
    problems = models.PositiveIntegerField(_("问题数"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")

    class Meta:
        verbose_name = _("问题清单审核")
        verbose_name_plural = _("问题清单审核")
        ordering = ["org", "created_at", "pk"]

    def __str__(self):
        return f"{self.org} #{self.round} {self.get_action_display()}"
