"""When each member last took part in organizational life, kept per calendar month.

:class:`MemberActivity` holds, for each member and each month in which the member took part
in a meeting or a study session (present, or absent *with* a recorded reason), the first and
the last such day of that month. The regulations' check 20 (a member who took part in
nothing for 6 months; DZ Art. 9) reads these rows instead of every attendance row of the
window (1.2 million at city scale; issue 14). With the first and the last day of each month
the question "any day in [start, end]" is answered exactly for every window whose inner
months are whole (the first month needs a day ≥ start, the last a day ≤ end).

Derived data: written only by :func:`taizhang.records.activity.refresh` (called by the
records services that write attendance, change a record's date or delete a record) and by
bulk loaders (the data migration, the benchmarks' generator); never edited.
"""

from __future__ import annotations

from django.db import models


class MemberActivity(models.Model):
    """One member's participation in one month: ``month`` (its first day), the ``first``
    and ``last`` day of that month with a qualifying attendance row."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    first = models.DateField()
    last = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="records_activity_member_month")]
        indexes = [models.Index(fields=["month", "member"], name="records_activity_month")]

    def __str__(self):
        return f"{self.member_id} {self.month:%Y-%m} {self.first}–{self.last}"
