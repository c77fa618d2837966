"""Study: concentrated study sessions and seminars with attendance, the campaign's reading
list, and members' self-study (学习台账, domain-rules §4: 日期; 形式; 主题+篇目; 领学人; 参加人员;
应到/实到; 学时; 研讨发言人; 心得/成果)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.core.limits import HOURS_MAX
from taizhang.core.models import OrgScopedModel
from taizhang.core.scoping import ScopedQuerySet

from .attendance import AttendanceBase, AttendedRecord
from .meetings import AttendedQuerySet

#: A study session or a member's self-study has a positive duration; hours are kept to one
#: decimal place, so 0.1 is the least that can be recorded (0 or negative is a typing error).
POSITIVE_HOURS = MinValueValidator(Decimal("0.1"), message=_("学时必须大于 0。"))


class StudyKind(models.TextChoices):
    CONCENTRATED = "concentrated", _("集中学习")
    SEMINAR = "seminar", _("专题研讨")


class StudyTheme(models.TextChoices):
    """The four effects of the 2023 theme education's root task (JY; domain-rules §3)."""

    SOUL = "soul", _("以学铸魂")
    WISDOM = "wisdom", _("以学增智")
    CONDUCT = "conduct", _("以学正风")
    ACTION = "action", _("以学促干")


class StudySession(AttendedRecord):
    """A concentrated study session or seminar of ``org`` on ``date``.

    ``theme`` is one of the four 以学… effects or blank (free topic); ``topic`` is the
    subject and texts studied; ``readings`` optionally names items of the campaign's reading
    list; ``hours`` are study hours (学时) per participant.
    """

    kind = models.CharField(_("学习形式"), max_length=20, choices=StudyKind.choices,
                            default=StudyKind.CONCENTRATED)
    theme = models.CharField(_("专题"), max_length=20, choices=StudyTheme.choices, blank=True)
    topic = models.CharField(_("学习主题"), max_length=300)
    leader = models.ForeignKey(
        "orgs.Member", verbose_name=_("领学人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    place = models.CharField(_("地点"), max_length=200, blank=True)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, null=True, blank=True,
                                validators=[POSITIVE_HOURS, HOURS_MAX])
    readings = models.ManyToManyField("records.Reading", verbose_name=_("学习篇目"), blank=True,
                                      related_name="sessions")
    speakers = models.CharField(_("研讨发言人"), max_length=300, blank=True)
    content = models.TextField(_("学习内容"), blank=True)
    outcomes = models.TextField(_("心得/成果"), blank=True)

    objects = AttendedQuerySet.as_manager()

    class Meta:
        verbose_name = _("集中学习")
        verbose_name_plural = _("集中学习")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "kind", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("records:study_detail", args=[self.pk])


class StudyAttendance(AttendanceBase):
    """One expected participant of a study session (see :class:`AttendanceBase`)."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendance")

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "session__org"

    class Meta:
        verbose_name = _("学习出席情况")
        verbose_name_plural = _("学习出席情况")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="study_attendance_unique_member")
        ]
        indexes = [models.Index(fields=["member", "status"])]


class Reading(OrgScopedModel):
    """An item of a campaign's reading list (e.g. 《习近平著作选读》第一卷), set by the
    campaign's organization and read by every branch below it."""

    campaign = models.ForeignKey("plans.Campaign", verbose_name=_("主题教育"),
                                 on_delete=models.CASCADE, related_name="readings")
    title = models.CharField(_("书目/篇目"), max_length=300)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_visible_below = True

    class Meta:
        verbose_name = _("学习书目")
        verbose_name_plural = _("学习书目")
        ordering = ["campaign", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("records:reading_list") + f"?campaign={self.campaign_id}"


class SelfStudy(OrgScopedModel):
    """A member's self-study (个人自学): a reading of the list (or free ``title``), date,
    hours and notes. ``org`` is the member's branch."""

    member = models.ForeignKey("orgs.Member", verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="+")
    reading = models.ForeignKey(Reading, verbose_name=_("学习书目"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="self_studies")
    title = models.CharField(_("其他学习内容"), max_length=300, blank=True)
    date = models.DateField(_("日期"), db_index=True)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, null=True, blank=True,
                                validators=[POSITIVE_HOURS, HOURS_MAX])
    notes = models.TextField(_("学习心得"), blank=True)

    class Meta:
        verbose_name = _("个人自学")
        verbose_name_plural = _("个人自学")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["member", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.member} {self.subject}"

    def get_absolute_url(self):
        return reverse("records:selfstudy_detail", args=[self.pk])

    @property
    def subject(self) -> str:
        """What was studied: the reading's title, else the free title."""
        return self.reading.title if self.reading_id else self.title
