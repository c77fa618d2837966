"""Meetings (三会一课 and the other meetings of organizational life) with attendance, motions
and optional election results.

Kinds are DESIGN.md's glossary codes. The fields follow the practitioners' record
(domain-rules §4 "三会一课 / 主题党日 record", after owip's Pm3Meeting): time, place, 主持人,
记录人, 议题, 内容, 决议事项, 列席人员, attendance per member (→ 应到/实到/缺席 and reasons) and
表决结果 per motion. Quorum and vote-counting rules (TZ Art. 11–12, XJ) are checked on top of
these rows by the compliance app (issue 5); this module only stores the facts.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.core.limits import NOT_NEGATIVE, VOTES_MAX, DateOrderMixin
from taizhang.core.scoping import ScopedQuerySet

from .attendance import AttendanceBase, AttendanceStatus, AttendedRecord, count_expressions


class MeetingKind(models.TextChoices):
    BRANCH_GENERAL_MEETING = "branch_general_meeting", _("支部党员大会")
    BRANCH_COMMITTEE_MEETING = "branch_committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_PARTY_DAY = "theme_party_day", _("主题党日")
    COMMITTEE_MEETING = "committee_meeting", _("党委会")
    ENLARGED_COMMITTEE_MEETING = "enlarged_committee_meeting", _("党委扩大会议")
    CENTRAL_GROUP_STUDY = "central_group_study", _("理论学习中心组学习")
    DEMOCRATIC_LIFE_MEETING = "democratic_life_meeting", _("民主生活会")
    ORGANIZATIONAL_LIFE_MEETING = "organizational_life_meeting", _("组织生活会")


# 三会一课 proper (the 三会一课记录台账); the other kinds are organizational life around it.
THREE_MEETINGS_ONE_LECTURE = (
    MeetingKind.BRANCH_GENERAL_MEETING, MeetingKind.BRANCH_COMMITTEE_MEETING,
    MeetingKind.GROUP_MEETING, MeetingKind.PARTY_LECTURE,
)
# Meetings of the leadership team: expected attendees default to the team (LeadershipTeam).
TEAM_KINDS = (
    MeetingKind.COMMITTEE_MEETING, MeetingKind.ENLARGED_COMMITTEE_MEETING,
    MeetingKind.CENTRAL_GROUP_STUDY, MeetingKind.DEMOCRATIC_LIFE_MEETING,
)


class AttendedQuerySet(ScopedQuerySet):
    """Scoped queryset of attended records with :meth:`with_counts` for constant-query lists."""

    def with_counts(self):
        """Annotate ``n_expected``, ``n_present``, ``n_leave``, ``n_voting_expected``,
        ``n_voting_present`` (one GROUP BY, no query per row)."""
        return self.annotate(**count_expressions())


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(18)


class Meeting(DateOrderMixin, AttendedRecord):
    """A meeting held by ``org`` (a branch, a group, or the committee) on ``date``.

    ``team`` is set for meetings of the leadership team (党委会, 中心组学习, 民主生活会 …):
    its members are then the default expected attendees instead of the org's members.
    ``sign_in_enabled`` turns on the optional QR sign-in (off by default: attendance typed
    by the recorder is always enough, DESIGN.md step 4); ``sign_in_token`` is the secret in
    the code's URL, valid through the meeting day (Asia/Shanghai).
    """

    kind = models.CharField(_("会议类型"), max_length=40, choices=MeetingKind.choices)
    title = models.CharField(_("会议主题"), max_length=200, blank=True)
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    date_order = (("start_time", "end_time"),)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    team = models.ForeignKey(
        "orgs.LeadershipTeam", verbose_name=_("领导班子"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    host = models.ForeignKey(
        "orgs.Member", verbose_name=_("主持人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    recorder = models.ForeignKey(
        "orgs.Member", verbose_name=_("记录人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    topics = models.TextField(_("议题"), blank=True, help_text=_("每行一个议题"))
    minutes = models.TextField(_("会议内容"), blank=True, help_text=_("发言摘要、学习内容等"))
    decisions = models.TextField(_("决议事项"), blank=True)
    invitees = models.CharField(_("列席人员"), max_length=300, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    sign_in_enabled = models.BooleanField(_("启用扫码签到"), default=False)
    sign_in_token = models.CharField(
        _("签到码"), max_length=40, unique=True, default=new_sign_in_token, editable=False
    )

    # Attendance counts kept on the meeting (issue 14: the regulations of a year read them
    # instead of joining every attendance row). Written only by ``records.services``
    # (``set_attendance``, the QR sign-in) and bulk loaders through
    # :func:`stored_count_values`; never edited in a form. Pages keep using the live counts.
    att_expected = models.PositiveIntegerField(default=0, editable=False)
    att_present = models.PositiveIntegerField(default=0, editable=False)
    att_leave = models.PositiveIntegerField(default=0, editable=False)
    att_voting_expected = models.PositiveIntegerField(default=0, editable=False)
    att_voting_present = models.PositiveIntegerField(default=0, editable=False)
    att_missing_reason = models.PositiveIntegerField(default=0, editable=False)

    objects = AttendedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [models.Index(fields=["org", "kind", "date"])]

    def __str__(self):
        label = self.title or self.get_kind_display()
        return f"{self.date:%Y-%m-%d} {label}"

    def save(self, *args, **kwargs):
        """Save; an existing meeting's stored attendance counts (``att_*``) are left out of
        a plain save: only the attendance writers set them (a form's instance read before a
        QR sign-in must not write the counts back)."""
        if not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None \
                and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()  # as Django does: loaded fields only
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name not in STORED_COUNTS
                                       and f.attname not in deferred]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("records:meeting_detail", args=[self.pk])

    @property
    def topic_list(self) -> list[str]:
        """The 议题, one per non-empty line."""
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def problem_prefill(self) -> dict:
        """Initial values for a problem found at this meeting (rectification app).

        Only 民主生活会 / 组织生活会 are problem sources of their own (domain-rules §4 问题来源);
        other meetings report "其他". Level: a team meeting → leadership, else branch.
        """
        source = {
            MeetingKind.DEMOCRATIC_LIFE_MEETING: "民主生活会",
            MeetingKind.ORGANIZATIONAL_LIFE_MEETING: "组织生活会",
        }.get(self.kind, "其他")
        text = "\n".join(part for part in (self.decisions, self.minutes) if part).strip()
        return {
            "description": text or str(self),
            "found_on": self.date,
            "source": source,
            "level": "leadership" if self.team_id or self.kind in TEAM_KINDS else "branch",
        }


class Attendance(AttendanceBase):
    """One expected attendee of a meeting (see :class:`AttendanceBase`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "meeting__org"

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")
        ]
        indexes = [models.Index(fields=["member", "status"])]


class MotionKind(models.TextChoices):
    ORDINARY = "ordinary", _("一般事项")
    ADMISSION = "admission", _("接收预备党员")
    CONFIRMATION = "confirmation", _("预备党员转正")
    DISCIPLINE = "discipline", _("党员处置")
    OTHER = "other", _("其他")


class Motion(models.Model):
    """A matter voted on at a meeting with its 表决结果 (赞成/反对/弃权).

    Pass/fail is not stored as a fact of arithmetic: TZ Art. 11 measures yes votes against
    the members with voting rights who *should* attend, which the compliance checks compute
    from the attendance; ``declared_passed`` is what the meeting itself announced.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    title = models.CharField(_("表决事项"), max_length=300)
    kind = models.CharField(_("事项类型"), max_length=20, choices=MotionKind.choices,
                            default=MotionKind.ORDINARY)
    yes = models.PositiveIntegerField(_("赞成"), default=0, validators=[NOT_NEGATIVE, VOTES_MAX])
    no = models.PositiveIntegerField(_("反对"), default=0, validators=[NOT_NEGATIVE, VOTES_MAX])
    abstain = models.PositiveIntegerField(_("弃权"), default=0, validators=[NOT_NEGATIVE, VOTES_MAX])
    declared_passed = models.BooleanField(_("会议宣布通过"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "meeting__org"

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def votes_cast(self) -> int:
        return self.yes + self.no + self.abstain

    def outcome(self, voting_expected: int, voting_present: int) -> str:
        """The motion's result by TZ Art. 11 (domain-rules §1.3, check 17): "no_quorum" unless
        more than half of the ``voting_expected`` members with voting rights who should attend
        are present (``voting_present``); then "passed" when the yes votes exceed half of
        ``voting_expected`` (not of those present), else "failed". "unknown" without an
        attendance list (``voting_expected`` 0). ``declared_passed`` is not consulted."""
        if voting_expected <= 0:
            return "unknown"
        if voting_present * 2 <= voting_expected:
            return "no_quorum"
        return "passed" if self.yes * 2 > voting_expected else "failed"


class ElectionResult(models.Model):
    """One candidate's result at an election meeting (optional; XJ 基层组织选举工作条例).

    ``candidate`` is a member when known, else ``candidate_name``; ``post`` is what was
    elected (e.g. 支部委员会委员, 书记). Checks (winner's yes votes > half of the voting
    members present, XJ) run in the compliance app.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="election_results")
    post = models.CharField(_("选举职务"), max_length=100)
    candidate = models.ForeignKey(
        "orgs.Member", verbose_name=_("候选人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    candidate_name = models.CharField(_("候选人姓名"), max_length=50, blank=True)
    yes = models.PositiveIntegerField(_("得票数"), default=0, validators=[NOT_NEGATIVE, VOTES_MAX])
    elected = models.BooleanField(_("当选"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "meeting__org"

    class Meta:
        verbose_name = _("选举结果")
        verbose_name_plural = _("选举结果")
        ordering = ["meeting", "post", "-yes"]

    def __str__(self):
        return f"{self.post} {self.candidate or self.candidate_name}"


STORED_COUNTS = ("att_expected", "att_present", "att_leave", "att_voting_expected", "att_voting_present",
                 "att_missing_reason")


def stored_count_values(states) -> dict[str, int]:
    """The stored attendance counts of a meeting (``Meeting.att_*``) from its rows' states,
    an iterable of ``(status, reason, voting)``: expected = rows, present, on leave, voting
    rows, voting rows present, and rows on leave or absent without a reason."""
    values = dict.fromkeys(STORED_COUNTS, 0)
    for status, reason, voting in states:
        values["att_expected"] += 1
        values["att_present"] += status == AttendanceStatus.PRESENT
        values["att_leave"] += status == AttendanceStatus.LEAVE
        values["att_voting_expected"] += bool(voting)
        values["att_voting_present"] += bool(voting) and status == AttendanceStatus.PRESENT
        values["att_missing_reason"] += (status in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)
                                         and not reason)
    return values


def stored_count_expressions(prefix: str = "attendance__") -> dict:
    """Aggregate expressions computing the ``Meeting.att_*`` counts from the attendance rows
    (the data migration and the consistency tests; ``prefix`` is the path to the rows)."""
    from django.db.models import Count, Q

    live = count_expressions(prefix)
    missing = Q(**{f"{prefix}status__in": (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT),
                   f"{prefix}reason": ""})
    return {"att_expected": live["n_expected"], "att_present": live["n_present"], "att_leave": live["n_leave"],
            "att_voting_expected": live["n_voting_expected"], "att_voting_present": live["n_voting_present"],
            "att_missing_reason": Count(f"{prefix}id", filter=missing)}
