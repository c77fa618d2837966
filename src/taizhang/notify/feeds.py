"""iCalendar feeds (RFC 5545) of upcoming deadlines, built with the ``icalendar`` library.

Calendar apps fetch a feed without a session, so a feed URL carries the user's secret token
(:class:`~taizhang.notify.models.NotifyProfile`); everything in it goes through the scoping
mechanism as that user:

- the user's feed: work assigned to the organizations where the user holds a role (the
  user's own responsibilities, not every branch below a committee);
- an organization's feed: work assigned to that organization, if the user may see it.

An event is an all-day deadline (``DTSTART;VALUE=DATE`` = the due date, ``DTEND`` the day
after, RFC 5545 §3.6.1) for each assignment without periods and each occurrence that is not
done, due from ``NOTIFY_FEED_PAST_DAYS`` ago onward; ``UID`` is stable, so a moved deadline
updates the same event in the subscriber's calendar.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from taizhang.orgs.models import RoleAssignment
from taizhang.plans.models import Assignment, AssignmentStatus, CampaignStatus, Occurrence

from .channels import absolute_url
from .reminders import describe

STATUS_PREFIX = {
    AssignmentStatus.SUBMITTED: "【待审核】",
    AssignmentStatus.RETURNED: "【已退回】",
}


def _uid_host() -> str:
    return urlsplit(settings.TAIZHANG_BASE_URL).hostname or "taizhang"


def deadlines(user, org=None, today: dt.date | None = None) -> list:
    """Assignments (without periods) and occurrences not done, with a due date from
    ``NOTIFY_FEED_PAST_DAYS`` before ``today`` on, that ``user`` may see: of ``org`` when
    given, else of the organizations where ``user`` holds a role. Sorted by due date."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=settings.NOTIFY_FEED_PAST_DAYS)
    if org is not None:
        org_ids = [org.pk]
    else:
        org_ids = list(RoleAssignment.objects.filter(user=user).values_list("org_id", flat=True))
    published = CampaignStatus.PUBLISHED
    assignments = (Assignment.objects.visible_to(user)
                   .filter(org_id__in=org_ids, item__plan__campaign__status=published,
                           due__gte=since, delegated_to__isnull=True)
                   .exclude(status=AssignmentStatus.DONE)
                   .annotate(recurring=Exists(Occurrence.objects.filter(assignment=OuterRef("pk"))))
                   .filter(recurring=False)
                   .select_related("org", "item__plan__campaign"))
    occurrences = (Occurrence.objects.visible_to(user)
                   .filter(assignment__org_id__in=org_ids, assignment__delegated_to__isnull=True,
                           assignment__item__plan__campaign__status=published, due__gte=since)
                   .exclude(status=AssignmentStatus.DONE)
                   .select_related("assignment__org", "assignment__item__plan__campaign"))
    items = [*((a.due, a) for a in assignments), *((o.due, o) for o in occurrences)]
    items.sort(key=lambda pair: (pair[0], type(pair[1]).__name__, pair[1].pk))
    return [target for _due, target in items]


def build_calendar(targets, name: str) -> Calendar:
    """A VCALENDAR named ``name`` with one all-day VEVENT per target (see module doc)."""
    cal = Calendar()
    cal.add("prodid", "-//Taizhang//台账 截止日期//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(dt.timezone.utc).replace(microsecond=0)
    host = _uid_host()
    for target in targets:
        assignment, title = describe(target)
        kind = "occurrence" if isinstance(target, Occurrence) else "assignment"
        event = Event()
        event.add("uid", f"taizhang-{kind}-{target.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", target.due)
        event.add("dtend", target.due + dt.timedelta(days=1))
        event.add("summary", f"{STATUS_PREFIX.get(target.status, '')}{title}（{assignment.org.name}）")
        url = absolute_url(assignment.get_absolute_url())
        event.add("description", "\n".join([
            _("主题教育：%(c)s") % {"c": assignment.item.plan.campaign.title},
            _("责任组织：%(o)s") % {"o": assignment.org.name},
            _("状态：%(s)s") % {"s": target.get_status_display()},
            url,
        ]))
        event.add("url", url)
        event.add("categories", [assignment.item.plan.campaign.title])
        event.add("transp", "TRANSPARENT")
        event.add("last-modified", target.updated_at.astimezone(dt.timezone.utc).replace(microsecond=0))
        cal.add_component(event)
    return cal
