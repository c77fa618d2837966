"""The declarative registry of reminder kinds.

A reminder kind is a name, a Chinese label and a *collector*: a function that, given a
:class:`RunContext` (today's date in Asia/Shanghai and a role directory), yields
:class:`Message` objects — (target, org, recipients, subject, body, url, key). The sender
(:func:`taizhang.notify.services.send_reminders`) turns each message into one
:class:`~taizhang.notify.models.Reminder` row per recipient and channel, skipping rows that
exist already, so a collector never has to remember what it sent: it yields everything that
is currently due, every day, and the ledger makes each reminder go out once.

Any app adds kinds by declaration in its own ``<app>/reminders.py`` (imported by
``NotifyConfig.ready`` through Django's ``autodiscover_modules``)::

    from taizhang.notify.registry import Message, reminder_kind

    @reminder_kind("record_missing", "记录缺失")
    def record_missing(ctx):
        for branch, rule, period_end in ...:           # e.g. issue 5's compliance rules
            if ctx.workdays_left(period_end) == 3:
                yield Message(target=rule_row, org=branch,
                              recipients=ctx.roles.branch_officers(branch),
                              subject=..., body=..., url=..., key=period_end.isoformat())
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models

from taizhang.core.workdays import workdays_until

NOTICE, EMAIL, WEBHOOK = "notice", "email", "webhook"
ALL_CHANNELS = (NOTICE, EMAIL, WEBHOOK)

BRANCH_ROLES = ("branch_secretary", "branch_committee")
COMMITTEE_ROLES = ("committee_staff", "committee_admin")


@dataclass(frozen=True)
class Message:
    """One thing to remind people of.

    - ``target``: the saved model instance the reminder is about (Assignment, Occurrence, …);
    - ``org``: the organization it concerns; its enabled group robots get the message;
    - ``recipients``: users (notices, and e-mail to those with an address who did not opt out);
    - ``subject`` / ``body``: Chinese text; ``url``: a site-relative link (``/plans/…``);
    - ``key``: what makes this round distinct (a due date, an event id); at most 64 chars.
    """

    target: models.Model
    org: object
    recipients: Sequence
    subject: str
    body: str
    url: str
    key: str


Collector = Callable[["RunContext"], Iterable[Message]]


@dataclass(frozen=True)
class ReminderKind:
    """A declared kind: ``name`` (stored in ``Reminder.kind``), ``label`` (Chinese),
    ``collect`` and the ``channels`` it uses (default: notice, e-mail and group robots)."""

    name: str
    label: str
    collect: Collector
    channels: tuple[str, ...] = ALL_CHANNELS


REGISTRY: dict[str, ReminderKind] = {}


def reminder_kind(name: str, label: str, channels: tuple[str, ...] = ALL_CHANNELS):
    """Decorator declaring a collector as reminder kind ``name``.

    Raises ``ValueError`` for a name already declared by another function or an unknown
    channel (a typo must not silently drop reminders).
    """
    unknown = set(channels) - set(ALL_CHANNELS)
    if unknown:
        raise ValueError(f"unknown reminder channel(s): {sorted(unknown)}")
    if len(name) > 40:
        raise ValueError("a reminder kind's name has at most 40 characters")

    def decorator(fn: Collector) -> Collector:
        existing = REGISTRY.get(name)
        if existing is not None and existing.collect.__qualname__ != fn.__qualname__:
            raise ValueError(f"reminder kind {name!r} is declared twice")
        REGISTRY[name] = ReminderKind(name, label, fn, tuple(channels))
        return fn

    return decorator


def get_kinds(names: Iterable[str] | None = None) -> list[ReminderKind]:
    """The declared kinds, all or those named; raises ``KeyError`` naming an unknown kind."""
    if names is None:
        return list(REGISTRY.values())
    missing = [n for n in names if n not in REGISTRY]
    if missing:
        raise KeyError(f"unknown reminder kind(s): {', '.join(missing)}")
    return [REGISTRY[n] for n in names]


class RoleDirectory:
    """Who holds which role where, loaded once per run (one query) for every collector.

    Rules (issue 3, "recipients by role"; issue 12 §3): a notice goes to the receiving
    organization's *own* officers, roles held on that very organization: a branch's work to
    its ``branch_secretary`` and ``branch_committee`` users, a committee's work and review to
    its ``committee_staff`` / ``committee_admin`` users. Staff of an ancestor, who may see
    and manage the organization (a role is valid for its whole subtree), are never
    recipients of its notices: a city office is not told "贵组织共有任务 14 项" when a unit
    publishes its own plan. Inactive users are never recipients.
    """

    @cached_property
    def _by_path(self) -> dict[str, dict[str, list]]:
        from taizhang.orgs.models import RoleAssignment

        from django.contrib.auth import get_user_model

        table: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        rows = list(RoleAssignment.objects.filter(role__in=BRANCH_ROLES + COMMITTEE_ROLES,
                                                  user__is_active=True)
                    .values_list("org__path", "role", "user_id"))
        ids = {user_id for _path, _role, user_id in rows}
        users = get_user_model().objects.in_bulk(ids) if ids else {}
        for path, role, user_id in rows:
            table[path][role].append(users[user_id])
        return table

    def _unique(self, users: Iterable) -> list:
        seen, result = set(), []
        for user in users:
            if user.pk not in seen:
                seen.add(user.pk)
                result.append(user)
        return sorted(result, key=lambda u: u.username)

    def branch_officers(self, org) -> list:
        """Users with ``branch_secretary`` or ``branch_committee`` on ``org`` itself."""
        roles = self._by_path.get(org.path, {})
        return self._unique(u for role in BRANCH_ROLES for u in roles.get(role, []))

    def committee_staff(self, org) -> list:
        """The committee office of ``org``: users with ``committee_staff`` /
        ``committee_admin`` on ``org`` itself (never on an ancestor)."""
        roles = self._by_path.get(org.path, {})
        return self._unique(u for role in COMMITTEE_ROLES for u in roles.get(role, []))

    def responsible(self, org, exclude=()) -> list:
        """Who answers for work assigned to ``org``: its own committee office for a
        committee, its own branch officers for any other organization; ``exclude``: users
        left out (the sender of an urging or a notice is never told of his own message)."""
        from taizhang.orgs.models import OrgKind

        found = self.committee_staff(org) if org.kind == OrgKind.COMMITTEE else self.branch_officers(org)
        excluded = {getattr(u, "pk", None) for u in exclude}
        return [u for u in found if u.pk not in excluded]


@dataclass
class RunContext:
    """What a collector gets: ``today`` (a calendar date in Asia/Shanghai) and ``roles``."""

    today: dt.date
    roles: RoleDirectory = field(default_factory=RoleDirectory)

    def workdays_left(self, due: dt.date) -> int:
        """Working days from today (exclusive) to ``due`` (inclusive), 0 when due ≤ today."""
        return workdays_until(self.today, due)
