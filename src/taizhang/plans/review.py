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
from django.db.models import Q
from django.utils.translation import gettext_lazy

from taizhang.core import foureyes
from taizhang.core.models import Attachment
from taizhang.core.scoping import CHANGE, REVIEW, can, path_q, scope_paths
from taizhang.core.status import apply_transition, org_of

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
        raise PermissionDenied
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
        raise PermissionDenied
    comment = (comment or "").strip()
    if action == "return_for_revision" and not comment:
        raise ValidationError("退回时请写明原因。")
    if action == "approve" and target.status == AssignmentStatus.SUBMITTED:
        reason = four_eyes_reason(target, user)
        if reason:
            raise ValidationError(reason)
    return apply_transition(target, action, actor=user, comment=comment)


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


def waiting_q(prefix: str = "") -> Q:
    """Items waiting for review: submitted, or done by records and not yet confirmed."""
    return Q(**{f"{prefix}status": AssignmentStatus.SUBMITTED}) | Q(
        **{f"{prefix}status": AssignmentStatus.DONE, f"{prefix}reviewed": False})


def review_queue(user, campaign=None, org=None, limit: int = 200):
    """(assignments, occurrences) waiting for ``user``'s review, oldest first.

    Only organizations where the user holds the "review" action; a fixed number of queries.
    Assignments of recurring tasks are reviewed per occurrence, so they are not listed.
    """
    paths = scope_paths(user, REVIEW)
    assignments = Assignment.objects.filter(waiting_q(), item__recurrence="")
    occurrences = Occurrence.objects.filter(waiting_q())
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
    assignments = assignments.select_related("org", "item__plan__campaign").order_by("updated_at")
    occurrences = occurrences.select_related(
        "assignment__org", "assignment__item__plan__campaign").order_by("updated_at")
    return list(assignments[:limit]), list(occurrences[:limit])
