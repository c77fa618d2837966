"""The one attendance mechanism shared by meetings and study sessions.

An attended record (``Meeting``, ``StudySession``) subclasses :class:`AttendedRecord`; its
rows subclass :class:`AttendanceBase` with a foreign key named ``record``-specific (``meeting``
/ ``session``) and ``related_name="attendance"``, so code that reads or writes attendance
(``services.set_attendance``, the checklist form, the exports, the compliance checks of
issue 5) works on ``obj.attendance`` whatever the record kind.

Counts follow the practitioners' record (domain-rules §4: 应到人数, 实到人数, 缺席人数, 缺席人员 +
缺席原因): every expected attendee has one row, so 应到 = rows, 实到 = present rows and
缺席 = rows on leave + rows absent; 应到 = 实到 + 缺席 therefore holds by construction.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import OrgScopedModel


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


# The labels a reason may merely repeat, in every language the interface speaks.
_STATUS_WORDS = {"present": {"出席", "present"}, "leave": {"请假", "leave", "on leave"},
                 "absent": {"缺席", "absent"}}


def reason_note(status: str, reason: str | None) -> str:
    """The reason worth showing beside ``status`` ("present"|"leave"|"absent"): ``reason``
    stripped, or "" when it is empty or only repeats the status (请假 on a leave row, 缺席 on
    an absent one, ignoring case, spaces and end punctuation), so that no page or ledger
    says "请假（请假）"."""
    text = (reason or "").strip()
    bare = text.strip(" 。.，,；;：:").casefold()
    words = _STATUS_WORDS.get(str(status), set()) | {str(status).casefold()}
    try:
        words.add(str(AttendanceStatus(status).label).casefold())
    except ValueError:
        pass
    return "" if not bare or bare in words else text


class AttendanceBase(models.Model):
    """One expected attendee of a record: present, on leave (with a reason) or absent.

    ``voting`` says whether the member counts as a member with voting rights at this
    meeting (预备党员 and members under 留党察看 have none; domain-rules §1.3, TZ Art. 11);
    it defaults from the member's status when the row is created. ``signed_in_at`` is set
    when the member signed in with the meeting's QR code (never required).
    """

    member = models.ForeignKey(
        "orgs.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("出席情况"), max_length=10, choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    reason = models.CharField(_("缺席原因"), max_length=200, blank=True)
    voting = models.BooleanField(_("有表决权"), default=True)
    signed_in_at = models.DateTimeField(_("扫码签到时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"

    @property
    def is_present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT

    @property
    def reason_note(self) -> str:
        """The reason when it adds something to the status (see :func:`reason_note`)."""
        return reason_note(self.status, self.reason)


class AttendedRecord(OrgScopedModel):
    """A record with an attendance list (``self.attendance``): counts and quorum.

    The counts use annotations ``n_expected`` / ``n_present`` / ``n_leave`` /
    ``n_voting_expected`` / ``n_voting_present`` when a list queryset provides them
    (``AttendedQuerySet.with_counts()``; constant queries), else one aggregate query.
    """

    date = models.DateField(_("日期"), db_index=True)

    class Meta:
        abstract = True

    def attendance_counts(self) -> dict[str, int]:
        """{"expected", "present", "leave", "absent", "unexcused", "voting_expected",
        "voting_present"}; ``absent`` = leave + unexcused (缺席人数 in the ledger)."""
        cached = getattr(self, "_attendance_counts", None)
        if cached is not None:
            return cached
        keys = ("expected", "present", "leave", "voting_expected", "voting_present")
        if hasattr(self, "n_expected"):
            raw = {key: getattr(self, f"n_{key}") for key in keys}
        elif self.pk is None:
            raw = dict.fromkeys(keys, 0)
        else:
            found = self.attendance.aggregate(**count_expressions(prefix=""))
            raw = {key: found[f"n_{key}"] for key in keys}
        raw = {k: v or 0 for k, v in raw.items()}
        raw["absent"] = raw["expected"] - raw["present"]
        raw["unexcused"] = raw["absent"] - raw["leave"]
        self._attendance_counts = raw
        return raw

    def get_additional_data(self) -> dict | None:
        """Extra JSON for this record's django-auditlog entries (auditlog calls this hook):
        ``audit_additional_data`` when a service set it on the instance, else ``None``.
        ``services.delete_record`` stores there the attendance, motions and election
        results deleted with the record (they are not audited row by row)."""
        return getattr(self, "audit_additional_data", None)

    def forget_attendance_counts(self) -> None:
        """Drop cached counts (after the attendance rows changed)."""
        for name in ("_attendance_counts", "n_expected", "n_present", "n_leave",
                     "n_voting_expected", "n_voting_present"):
            self.__dict__.pop(name, None)

    @property
    def expected_count(self) -> int:
        """应到人数: every expected attendee."""
        return self.attendance_counts()["expected"]

    @property
    def present_count(self) -> int:
        """实到人数."""
        return self.attendance_counts()["present"]

    @property
    def absent_count(self) -> int:
        """缺席人数 (on leave + absent without leave), so 应到 = 实到 + 缺席."""
        return self.attendance_counts()["absent"]

    @property
    def leave_count(self) -> int:
        return self.attendance_counts()["leave"]

    @property
    def quorum_display(self) -> str:
        """"present/expected", e.g. "7/9" (shown on lists and detail pages)."""
        counts = self.attendance_counts()
        return f"{counts['present']}/{counts['expected']}"

    @property
    def attendance_rate(self) -> float | None:
        """present / expected as a fraction (None without expected attendees)."""
        counts = self.attendance_counts()
        return counts["present"] / counts["expected"] if counts["expected"] else None


def count_expressions(prefix: str = "attendance__") -> dict:
    """Aggregate/annotate expressions of the attendance counts (see
    :meth:`AttendedRecord.attendance_counts`); ``prefix`` is the path to the rows."""
    from django.db.models import Count, Q

    present = Q(**{f"{prefix}status": AttendanceStatus.PRESENT})
    voting = Q(**{f"{prefix}voting": True})
    rows = f"{prefix}id" if prefix else "id"
    return {
        "n_expected": Count(rows),
        "n_present": Count(rows, filter=present),
        "n_leave": Count(rows, filter=Q(**{f"{prefix}status": AttendanceStatus.LEAVE})),
        "n_voting_expected": Count(rows, filter=voting),
        "n_voting_present": Count(rows, filter=voting & present),
    }


def attach_counts(records: list) -> None:
    """Set the ``n_expected`` … ``n_voting_present`` counts (see :func:`count_expressions`) on
    ``records`` (saved instances of one attended model, e.g. a list page's rows) with one
    GROUP BY over their attendance rows only; a record without rows gets zeros. One query
    whatever the number of records (none for an empty list)."""
    if not records:
        return
    model = type(records[0])
    found = {row.pop("pk"): row for row in model._base_manager.filter(pk__in=[r.pk for r in records])
             .order_by().values("pk").annotate(**count_expressions())}
    zeros = dict.fromkeys(count_expressions(), 0)
    for record in records:
        record.forget_attendance_counts()
        for name, value in found.get(record.pk, zeros).items():
            setattr(record, name, value or 0)
