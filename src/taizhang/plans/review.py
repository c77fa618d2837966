"""Submissions and the committee's review (审核把关, seed 四.2; issue 3 §3).

A branch answers a task that no record proves with a submission (text and attachments); the
committee approves it or returns it with a comment; work completed by records is confirmed
or returned the same way. Every move goes through the declared transitions and leaves an
event with who, when and why, so the history keeps every round.

Four eyes (issue 12 §4, ``core.foureyes``): a submission is not approved by the user who
submitted it (the latest "submit" of the target), unless ``TAIZHANG_FOUR_EYES`` is off.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core import foureyes
from taizhang.core.models import Attachment
from taizhang.core.scoping import CHANGE, REVIEW, can, path_q, scope_paths
from taizhang.core.status import apply_transition, org_of

from . import delegation
from .models import Assignment, AssignmentStatus, Occurrence, Submission

REVIEW_ACTIONS = {
    "approve": gettext_lazy("通过"),
    "confirm": gettext_lazy("确认"),
    "return_for_revision": gettext_lazy("退回"),
}
OWN_SUBMISSION = gettext_lazy("双人把关：不能审核通过自己报送的材料，请由其他审核人员审核。")


@transaction.atomic
def submit_work(target: Assignment | Occurrence, user, text: str, files=()) -> Submission:
    """Submit ``text`` (and uploaded ``files``) as the work of ``target``.

    Needs the "change" action on the target's organization (PermissionDenied otherwise);
    the text must not be empty (ValidationError). Moves the target pending/returned →
    submitted (IllegalTransition from other states).
    """
    org = org_of(target)
    if not can(user, CHANGE, org):
        raise PermissionDenied(_("您无权报送该组织的工作。"))
    refuse_delegated(target)
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写完成情况。")
    assignment = target if isinstance(target, Assignment) else target.assignment
    submission = Submission.objects.create(
        org=org, assignment=assignment,
        occurrence=target if isinstance(target, Occurrence) else None,
        text=text, submitted_by=user,
    )
    content_type = ContentType.objects.get_for_model(Submission)
    for upload in files:
        Attachment.objects.create(
            org=org, content_type=content_type, object_id=submission.pk, file=upload,
            name=upload.name[:255], size=upload.size, uploaded_by=user,
        )
    apply_transition(target, "submit", actor=user, comment=text)
    delegation.follow([target])
    return submission


def review(target: Assignment | Occurrence, action: str, user, comment: str = ""):
    """The committee's decision on ``target``: "approve" (submitted → done), "confirm"
    (done by records → done, reviewed) or "return_for_revision" (→ returned; a comment is
    required, ValidationError otherwise). Needs the "review" action on the target's
    organization (PermissionDenied); "approve" by the user who submitted the work is refused
    with ValidationError (four eyes, :func:`four_eyes_reason`). Returns the event."""
    if action not in REVIEW_ACTIONS:
        raise ValidationError(f"未知的审核操作：{action}")
    if not can(user, REVIEW, org_of(target)):
        raise PermissionDenied(_("只有党委（上级组织）的审核人员可以审核该组织的工作。"))
    comment = (comment or "").strip()
    if action == "return_for_revision" and not comment:
        raise ValidationError("退回时请写明原因。")
    refuse_delegated(target)
    if action == "approve" and target.status == AssignmentStatus.SUBMITTED:
        reason = four_eyes_reason(target, user)
        if reason:
            raise ValidationError(reason)
    event = apply_transition(target, action, actor=user, comment=comment)
    delegation.follow([target])  # the superior's delegated assignment mirrors it
    return event


def refuse_delegated(target: Assignment | Occurrence) -> None:
    """Refuse work on a superior's assignment delegated to a unit's (``plans.delegation``):
    it is done and reviewed on the unit's assignment (``ValidationError``)."""
    assignment = target if isinstance(target, Assignment) else target.assignment
    if assignment.delegated_to_id:
        raise ValidationError(_("该任务已由本单位党委清单中的同一任务承接，请在该任务中办理。"))


#: The queue's status filter: submissions (报送待审核) or work completed by records of a
#: task the office marked as needing review (记录完成待确认).
SUBMITTED, BY_RECORDS = "submitted", "records"
QUEUE_STATUSES = {SUBMITTED: gettext_lazy("报送待审核"), BY_RECORDS: gettext_lazy("记录完成待确认")}


def four_eyes_reason(target: Assignment | Occurrence, user, submitter_id: int | None = None) -> str:
    """Why ``user`` may not approve ``target``: :data:`OWN_SUBMISSION` when the rule is on and
    ``user`` made its latest submission (``submitter_id`` if the caller knows it, else one
    query), else ""."""
    if not foureyes.enabled() or user is None:
        return ""
    if submitter_id is None:
        submitter_id = foureyes.last_actor_id(target, "submit")
    return str(OWN_SUBMISSION) if foureyes.same_person(user, submitter_id) else ""


def mark_four_eyes(user, targets) -> None:
    """Set ``four_eyes`` on each of ``targets`` (assignments and occurrences) waiting for
    approval: the reason ``user`` may not approve it, or "" (pages show the button disabled
    with the reason). One query per model, none when the rule is off."""
    targets = list(targets)
    waiting = [t for t in targets if t.status == AssignmentStatus.SUBMITTED]
    submitters = foureyes.last_actor_ids(waiting, "submit") if waiting and foureyes.enabled() else {}
    for target in targets:
        submitter = submitters.get((type(target), target.pk))
        target.four_eyes = four_eyes_reason(target, user, submitter) if submitter is not None else ""


def waiting_q(prefix: str = "", item: str = "item__", status: str | None = None) -> Q:
    """Items waiting for review: submitted, or done by records and not yet confirmed on a
    task whose ``records_need_review`` the office set (by default a record that meets the
    task's rules completes it, and nobody has to confirm it: 不增加基层负担, seed 四.3).
    ``item``: the path from the filtered model to its plan item; ``status``: one of
    :data:`QUEUE_STATUSES` to keep only that kind of wait."""
    submitted = Q(**{f"{prefix}status": AssignmentStatus.SUBMITTED})
    by_records = Q(**{f"{prefix}status": AssignmentStatus.DONE, f"{prefix}reviewed": False,
                      f"{item}records_need_review": True})
    if status == SUBMITTED:
        return submitted
    if status == BY_RECORDS:
        return by_records
    return submitted | by_records


def review_queue(user, campaign=None, org=None, limit: int = 200, status: str | None = None):
    """(assignments, occurrences) waiting for ``user``'s review: submissions first, then
    work completed by records (where the task needs it), each oldest first.

    Only organizations where the user holds the "review" action; a fixed number of queries.
    Assignments of recurring tasks are reviewed per occurrence, so they are not listed.
    ``status``: one of :data:`QUEUE_STATUSES`, or None for both.
    """
    paths = scope_paths(user, REVIEW)
    # a superior's assignment delegated to a unit's is reviewed there (plans.delegation)
    assignments = Assignment.objects.filter(waiting_q(status=status), item__recurrence="",
                                            delegated_to__isnull=True)
    occurrences = Occurrence.objects.filter(waiting_q(item="assignment__item__", status=status),
                                            assignment__delegated_to__isnull=True)
    if paths is not None:
        if not paths:
            return [], []
        assignments = assignments.filter(path_q("org", paths))
        occurrences = occurrences.filter(path_q("assignment__org", paths))
    if campaign is not None:
        assignments = assignments.filter(item__plan__campaign=campaign)
        occurrences = occurrences.filter(assignment__item__plan__campaign=campaign)
    if org is not None:
        assignments = assignments.filter(org=org)
        occurrences = occurrences.filter(assignment__org=org)
    first = Case(When(status=AssignmentStatus.SUBMITTED, then=Value(0)), default=Value(1),
                 output_field=IntegerField())
    assignments = assignments.select_related("org", "item__plan__campaign").order_by(first, "updated_at")
    occurrences = occurrences.select_related(
        "assignment__org", "assignment__item__plan__campaign").order_by(first, "updated_at")
    return list(assignments[:limit]), list(occurrences[:limit])


def queue_rows(assignments: list[Assignment], occurrences: list[Occurrence]) -> list[dict]:
    """One row per waiting target for the queue page, submissions first: {"obj", "assignment",
    "submission" (the latest, or None), "files" (its attachments)}; three queries whatever
    the number of rows."""
    submissions: dict[tuple[str, int], Submission] = {}
    wanted = Q(pk__in=[])
    if assignments:
        wanted |= Q(assignment__in=assignments, occurrence__isnull=True)
    if occurrences:
        wanted |= Q(occurrence__in=occurrences)
    found = list(Submission.objects.filter(wanted).select_related("submitted_by").order_by("created_at", "pk"))
    for s in found:  # the latest wins
        submissions[("occurrence", s.occurrence_id) if s.occurrence_id else ("assignment", s.assignment_id)] = s
    files: dict[int, list[Attachment]] = {}
    if found:
        content_type = ContentType.objects.get_for_model(Submission)
        for a in Attachment.objects.filter(content_type=content_type,
                                           object_id__in=[s.pk for s in submissions.values()]):
            files.setdefault(a.object_id, []).append(a)
    rows = []
    for obj in [*assignments, *occurrences]:
        kind = "occurrence" if isinstance(obj, Occurrence) else "assignment"
        submission = submissions.get((kind, obj.pk)) if obj.status == AssignmentStatus.SUBMITTED else None
        rows.append({"obj": obj, "kind": kind,
                     "assignment": obj.assignment if kind == "occurrence" else obj,
                     "submission": submission,
                     "files": files.get(submission.pk, []) if submission else []})
    rows.sort(key=lambda r: (r["obj"].status != AssignmentStatus.SUBMITTED, r["obj"].updated_at))
    return rows


def review_many(targets: list[Assignment | Occurrence], user) -> tuple[int, list[str]]:
    """Approve every submitted target and confirm every record-completed one of ``targets``
    (the queue's bulk approval), each through :func:`review` in its own transaction so one
    refusal does not undo the others. Returns (number decided, messages of the refused,
    each naming its organization and task)."""
    from taizhang.core.status import IllegalTransition

    done, refused = 0, []
    for target in targets:
        action = "approve" if target.status == AssignmentStatus.SUBMITTED else "confirm"
        try:
            with transaction.atomic():
                review(target, action, user)
        except (PermissionDenied, ValidationError, IllegalTransition) as exc:
            refused.append(f"{target}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
        else:
            done += 1
    return done, refused
