"""Which organizations changed since an evaluation was kept (issue 14): the marks that
:mod:`.store` reads to renew only the committee-view rows concerned.

A write marks the organizations whose findings it can change; the marks are gathered per
thread and written as :class:`~.models.FindingsChange` rows when the transaction commits
(and by :func:`flush`, which :mod:`.store` calls before it reads them, so a test that never
commits sees its own writes). Marks are conservative: an extra mark costs a recomputation,
a missing one a stale finding, so anything unclear marks everything (``None``).

Sources of marks:

- the "evidence changed" announcement (``core.sources.evidence_changed``, sent by every
  record service after its commit with the old and new organizations of the record); a
  talk also marks the organizations of both parties (check 15 counts a talk wherever it was
  recorded);
- ``records.activity.activity_changed`` (members whose activity months were rewritten:
  check 20 for their organizations, wherever the meeting was);
- the model signals of the models of the apps whose data the checks read (orgs, records,
  rectification, evaluation, democratic; the deletes only of rows with an organization of
  their own, see :func:`connect`), so that a write outside the services (the admin,
  a fixture, a migration's data) is seen too: the instance's ``org``/``group`` (or that of
  its meeting, session, measure, problem or team, or of the members it names); a member or
  post moved to another organization also marks the old one; an organization written
  marks everything (the tree and its paths may have changed).

Bulk writes (``QuerySet.update``, ``bulk_create``) send no model signal: the services that
use them announce the change (attendance rows through their meeting).
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from taizhang.core.sources import evidence_changed
from taizhang.records.activity import activity_changed

WATCHED_APPS = {"orgs", "records", "rectification", "evaluation", "democratic"}
#: Foreign keys to an object whose ``org_id`` is the organization of a row without one.
PARENTS = ("meeting", "session", "rectification", "problem", "team", "life_meeting")
#: Foreign keys to members whose organizations a row concerns, read for the models whose
#: findings are counted at the people's organizations (a talk: check 15; a grade: check 12).
PEOPLE = ("member", "party_a", "party_b")
PEOPLE_MODELS = {"talk", "appraisal"}
#: Models whose rows can move to another organization on update (the old one is marked too).
MOVABLE = {("orgs", "member"), ("orgs", "position")}
IGNORED = {("records", "memberactivity")}

_local = threading.local()


def _pending() -> set:
    if not hasattr(_local, "orgs"):
        _local.orgs = set()
    return _local.orgs


def mark(org_ids) -> None:
    """Mark ``org_ids`` (an iterable of org ids; a ``None`` in it marks everything) as
    changed; written when the current transaction commits (at once outside one)."""
    pending = _pending()
    before = len(pending)
    pending.update(org_ids)
    if len(pending) > before:  # (marks of a rolled-back write stay pending: an extra recomputation)
        transaction.on_commit(flush)


def mark_all() -> None:
    """Mark everything as changed (the tree, a setting, anything unclear)."""
    mark([None])


def flush() -> None:
    """Write the pending marks (one INSERT; nothing when there are none)."""
    from .models import FindingsChange

    pending = _pending()
    if not pending:
        return
    rows = [FindingsChange(org_id=None)] if None in pending else [FindingsChange(org_id=o) for o in sorted(pending)]
    pending.clear()
    FindingsChange.objects.bulk_create(rows)


def _member_orgs(member_ids) -> set:
    from taizhang.orgs.models import Member

    ids = [i for i in member_ids if i]
    if not ids:
        return set()
    result = set()
    for org_id, group_id in Member.objects.filter(pk__in=ids).values_list("org_id", "group_id"):
        result.update((org_id, group_id))
    result.discard(None)
    return result


def orgs_of(instance) -> set:
    """The organizations whose findings a write of ``instance`` can change (``{None}``:
    everything)."""
    from taizhang.orgs.models import Organization

    if isinstance(instance, Organization):
        return {None}
    result = set()
    for name in ("org_id", "group_id"):
        value = getattr(instance, name, None)
        if value:
            result.add(value)
    if not result:  # a row of a record: its record's organization (no query when loaded)
        for name in PARENTS:
            if getattr(instance, f"{name}_id", None):
                parent = getattr(instance, name, None)
                if parent is not None and getattr(parent, "org_id", None):
                    result.add(parent.org_id)
    if instance._meta.model_name in PEOPLE_MODELS:  # findings counted where the people are
        result |= _member_orgs(getattr(instance, f"{name}_id", None) for name in PEOPLE)
    return result


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return (meta is not None and meta.app_label in WATCHED_APPS
            and (meta.app_label, meta.model_name) not in IGNORED)


@receiver(pre_save, dispatch_uid="compliance.marks.pre_save")
def _before_save(sender, instance, raw=False, **kwargs):
    meta = getattr(sender, "_meta", None)
    if raw or meta is None or (meta.app_label, meta.model_name) not in MOVABLE or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).values_list("org_id", flat=True).first()
    if old is not None:
        mark([old])


def _after_write(sender, instance, raw=False, **kwargs):
    if raw:
        return
    mark(orgs_of(instance))


def connect() -> None:
    """Connect :func:`_after_write` to the saves of every watched model and to the deletes
    of those with an organization of their own (and the team members). Not to the deletes
    of the rows that go with a record (attendance, motions, election results): a delete
    listener on them would make Django delete them row by row instead of in one statement;
    their record is marked instead. Called from ``ComplianceConfig.ready``."""
    from django.apps import apps

    for model in apps.get_models():
        if not _watched(model):
            continue
        uid = f"compliance.marks.{model._meta.label_lower}"
        post_save.connect(_after_write, sender=model, dispatch_uid=f"{uid}.save")
        fields = {f.name for f in model._meta.get_fields()}
        if "org" in fields or model._meta.model_name in ("organization", "leadershipmember"):
            post_delete.connect(_after_write, sender=model, dispatch_uid=f"{uid}.delete")


@receiver(evidence_changed, dispatch_uid="compliance.marks.evidence_changed")
def _evidence_changed(sender, instance=None, org_ids=(), **kwargs):
    orgs = set(org_ids)
    if instance is not None and sender._meta.model_name == "talk":
        orgs |= _member_orgs([getattr(instance, "party_a_id", None), getattr(instance, "party_b_id", None)])
    mark(orgs)


@receiver(activity_changed, dispatch_uid="compliance.marks.activity_changed")
def _activity_changed(sender, member_ids=(), **kwargs):
    mark(_member_orgs(member_ids))
