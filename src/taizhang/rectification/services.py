"""Every write of the rectification app (DESIGN.md "Writes go through service functions").

Pages, the API, the ledger import, the sample data and the tests all change problems and
measures through these functions, so permissions, validation, optimistic locking, events and
the audit trail happen in one place.

Permissions (``core.scoping``): creating and editing problems, measures, progress updates,
claiming completion and asking for an extension need "change" on the organization; verifying,
returning, closing (销号), reopening and deciding extensions need "review" — the committee's
审核把关 (seed 四.2). ``user=None`` is the system (CLI, import, sample data): always allowed.
Four eyes (issue 12 §4, ``core.foureyes``): the user who claimed a measure complete does not
verify or close it himself (unless ``TAIZHANG_FOUR_EYES`` is off).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from taizhang.core import foureyes
from taizhang.core.models import Attachment
from taizhang.core.scoping import CHANGE, REVIEW, can
from taizhang.core.sources import announce
from taizhang.core.status import IllegalTransition, apply_transition, can_proceed, record_event
from taizhang.core.workdays import is_workday

from .models import (
    ACTIVE_STATUSES,
    OTHER_SOURCE,
    ExtensionRequest,
    ExtensionStatus,
    Problem,
    ProblemSource,
    ProgressUpdate,
    Rectification,
    RectificationKind,
    RectificationStatus,
    deadline_error,
)


class RectificationError(ValueError):
    """A write refused for a reason the user can fix; the message is shown as is."""


class StaleEdit(RectificationError):
    """Optimistic locking: the measure changed since the form was opened (issue 4 §2)."""

    def __init__(self, current: Rectification):
        self.current = current
        super().__init__(
            f"保存失败：这条整改措施已被他人修改（当前版本 {current.version}，"
            f"最后修改于 {timezone.localtime(current.updated_at):%Y-%m-%d %H:%M}）。"
            "您填写的内容仍保留在表单中，请核对最新内容后重新保存。")


class MeasureClosed(RectificationError):
    """A closed (已销号) measure is not edited: it has to be reopened first, with a reason."""

    def __init__(self):
        super().__init__(CLOSED_EDIT_MESSAGE)


CLOSED_EDIT_MESSAGE = ("该措施已销号，不能直接编辑。如需修改，请先重新打开"
                       "（由党委审核人员操作，须填写重新打开的理由），再编辑。")


# Which action each transition needs (issue 4 §2: completed is claimed by the owner,
# verified by the committee).
TRANSITION_ACTIONS = {
    "start": CHANGE, "complete": CHANGE,
    "verify": REVIEW, "close": REVIEW, "return_for_revision": REVIEW, "reopen": REVIEW,
}
TRANSITION_LABELS = {
    "start": gettext_lazy("开始整改"), "complete": gettext_lazy("申报完成"), "verify": gettext_lazy("核验通过"), "close": gettext_lazy("销号"),
    "return_for_revision": gettext_lazy("退回"), "reopen": gettext_lazy("重新打开"),
}
REASON_REQUIRED = {"return_for_revision", "reopen"}
# Moves that the claimant of the completion may not make himself (four eyes, issue 12 §4).
FOUR_EYES_MOVES = {
    "verify": gettext_lazy("双人把关：申报完成的人不能自己核验，请由其他审核人员核验。"),
    "close": gettext_lazy("双人把关：申报完成的人不能自己销号，请由其他审核人员销号。"),
}


def _require(user, action: str, org) -> None:
    if user is not None and not can(user, action, org):
        raise PermissionDenied("您无权在该组织执行此操作。")


def four_eyes_reason(rect: Rectification, user, name: str) -> str:
    """Why ``user`` may not make move ``name`` on ``rect`` under the four-eyes rule (issue 12
    §4): the message, or "" when nothing stands in the way (another move, the rule off, or
    ``user`` is not the one who last claimed the measure complete). One query for verify and
    close, none otherwise."""
    if name not in FOUR_EYES_MOVES or not foureyes.enabled() or user is None:
        return ""
    if foureyes.same_person(user, foureyes.last_actor_id(rect, "complete")):
        return str(FOUR_EYES_MOVES[name])
    return ""


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


# ---- "evidence changed" (core.sources; issue 9 §2) --------------------------------------------
# Problems, measures and progress updates complete plan tasks (seed 二.7, 二.8, 二.10; see
# ``rectification.evidence``). Every write below announces its change inside its transaction,
# so ``plans`` re-evaluates the tasks it touches after the commit, in the same request.

def problem_day(problem: Problem) -> dt.date:
    """The day a problem counts on: its 发现日期, else the day it was entered."""
    if problem.found_on:
        return problem.found_on
    return timezone.localdate(problem.created_at) if problem.created_at else timezone.localdate()


def measure_days(rect: Rectification) -> set:
    """The days a change of a measure concerns: its 实际截止日 (二.8), the day it was entered
    and today (二.10's months run from its entry until it is done)."""
    entered = timezone.localdate(rect.created_at) if rect.created_at else None
    return {rect.effective_due, entered, timezone.localdate()}


def _announce_problem(problem: Problem, action: str, old_day=None) -> None:
    announce(problem, action, {problem.org_id}, {problem_day(problem), old_day})


def _announce_measure(rect: Rectification, action: str, old_due=None) -> None:
    announce(rect, action, {rect.org_id}, measure_days(rect) | {old_due})


# ---- sources and duplicates ------------------------------------------------------------------

def source_named(name: str, create: bool = False) -> ProblemSource | None:
    """The problem source called ``name`` (blank → 其他); created when ``create`` is true and
    it is unknown, else None for an unknown name."""
    name = " ".join((name or "").split()) or OTHER_SOURCE
    found = ProblemSource.objects.filter(name=name).first()
    if found is None and create:
        found = ProblemSource.objects.create(name=name[:40], order=900)
    return found


def _bigrams(text: str) -> set[str]:
    text = "".join(ch for ch in text if ch.isalnum())
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of ``a`` and ``b`` (0..1); punctuation and
    spaces are ignored, so "午间窗口无人值守" and "窗口午间无人值守！" score high."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def similar_open_problems(org, description: str, exclude_pk: int | None = None,
                          threshold: float = 0.5, limit: int = 5) -> list[tuple[Problem, float]]:
    """Open problems of ``org`` (a measure not yet closed, or no measure at all) whose
    description is close to ``description`` (issue 4 §1 duplicate hint), best first."""
    if not description.strip():
        return []
    # A problem whose every measure is closed is not open; keep those with any active measure.
    closed_only = set(Problem.objects.filter(org=org).exclude(
        measures__status__in=[s for s in RectificationStatus.values if s != "closed"]
    ).filter(measures__isnull=False).values_list("pk", flat=True))
    scored = []
    for pk, text in Problem.objects.filter(org=org).values_list("pk", "description"):
        if pk == exclude_pk or pk in closed_only:
            continue
        score = similarity(description, text)
        if score >= threshold:
            scored.append((pk, score))
    scored.sort(key=lambda p: -p[1])
    scored = scored[:limit]
    problems = Problem.objects.in_bulk([pk for pk, _s in scored])
    return [(problems[pk], score) for pk, score in scored if pk in problems]


# ---- problems --------------------------------------------------------------------------------

PROBLEM_FIELDS = ("source", "category", "description", "found_on", "found_by", "level", "remarks")


def create_problem(*, org, user=None, source_record=None, **fields) -> Problem:
    """Create a problem of ``org`` (fields: see :data:`PROBLEM_FIELDS`; ``source`` a
    :class:`ProblemSource` or its name). ``source_record``: the record it was found in (any
    model instance; kept as a generic link). Raises ``PermissionDenied``."""
    _require(user, CHANGE, org)
    if isinstance(fields.get("source"), str) or fields.get("source") is None:
        fields["source"] = source_named(fields.get("source") or "", create=True)
    problem = Problem(org=org, created_by=_actor(user), **fields)
    if source_record is not None:
        from django.contrib.contenttypes.models import ContentType

        problem.source_content_type = ContentType.objects.get_for_model(source_record)
        problem.source_object_id = source_record.pk
    problem.full_clean(exclude=["org", "created_by", "source_content_type"])
    with transaction.atomic():
        problem.save()
        _announce_problem(problem, "create")
    return problem


def update_problem(problem: Problem, user=None, **fields) -> Problem:
    """Change a problem's fields (names in :data:`PROBLEM_FIELDS`). Raises ``PermissionDenied``
    or ``ValidationError`` (e.g. a 发现日期 after today)."""
    _require(user, CHANGE, problem.org)
    old_day = problem_day(Problem.objects.get(pk=problem.pk))
    for name, value in fields.items():
        if name not in PROBLEM_FIELDS:
            raise ValueError(f"not an editable problem field: {name}")
        setattr(problem, name, value)
    problem.full_clean(exclude=["org", "created_by", "source_content_type"])
    with transaction.atomic():
        problem.save()
        _announce_problem(problem, "update", old_day)
    return problem


# ---- measures --------------------------------------------------------------------------------

MEASURE_FIELDS = ("measure", "target", "kind", "leader", "leader_name", "department_org",
                  "department", "person", "milestone")


def _apply_leader(rect: Rectification) -> None:
    if rect.leader_id:
        rect.leader_name = rect.leader.member.name


def _check_deadline(kind: str, deadline: dt.date | None, problem: Problem | None = None) -> None:
    """A 限期整改 measure has a deadline; no deadline is before its problem's 发现日期
    (:func:`~.models.deadline_error`, naming both dates)."""
    if kind == RectificationKind.DEADLINE and deadline is None:
        raise RectificationError("限期整改的措施必须填写整改时限。")
    late = deadline_error(problem, deadline)
    if late:
        raise RectificationError(late)


def add_measure(problem: Problem, user=None, *, deadline: dt.date | None = None,
                status: str | None = None, **fields) -> Rectification:
    """Add a measure to ``problem`` (fields: :data:`MEASURE_FIELDS`, ``deadline``).

    ``status`` is only for imports of an existing ledger (a historical state, recorded as an
    "import" event). Raises ``PermissionDenied`` or :class:`RectificationError`.
    """
    _require(user, CHANGE, problem.org)
    kind = fields.get("kind") or RectificationKind.DEADLINE
    if status is None:
        _check_deadline(kind, deadline, problem)
    else:
        _check_deadline(RectificationKind.IMMEDIATE, deadline, problem)
    last = problem.measures.order_by("-position").values_list("position", flat=True).first() or 0
    rect = Rectification(problem=problem, org=problem.org, position=last + 1, deadline=deadline,
                         **fields)
    _apply_leader(rect)
    if status:
        rect.status = status
        if status == RectificationStatus.CLOSED:
            rect.closed_on = timezone.localdate()
    with transaction.atomic():
        rect.save()
        if status and status != RectificationStatus.OPEN:
            record_event(rect, "import", actor=user, comment="导入台账时的状态", to_state=status)
        _announce_measure(rect, "create")
    return rect


def update_measure(rect: Rectification, user=None, *, version: int | None = None,
                   **fields) -> Rectification:
    """Save edited fields of a measure under optimistic locking.

    ``version``: the version the editor started from; when the stored one differs the save is
    refused with :class:`StaleEdit` (nothing written). ``deadline`` can only be set here when
    the measure has none yet; a set deadline moves only through an extension request.
    A closed (已销号) measure is refused with :class:`MeasureClosed` (reopen it first, with a
    reason: the "reopen" transition), nothing written.
    """
    _require(user, CHANGE, rect.org)
    with transaction.atomic():
        current = Rectification.objects.select_for_update(of=("self",)).select_related(
            "leader__member").get(pk=rect.pk)
        if current.status == RectificationStatus.CLOSED:
            raise MeasureClosed()
        if version is not None and current.version != int(version):
            raise StaleEdit(current)
        if "deadline" in fields:
            new = fields.pop("deadline")
            if new != current.deadline:
                if current.deadline is not None:
                    raise RectificationError("整改时限不能直接修改，请提交延期申请。")
                current.deadline = new
        for name, value in fields.items():
            if name not in MEASURE_FIELDS:
                raise ValueError(f"not an editable measure field: {name}")
            setattr(current, name, value)
        _check_deadline(current.kind, current.deadline, current.problem)
        _apply_leader(current)
        old_due = current.effective_due
        current.save()
        _announce_measure(current, "update", old_due)
    return current


def add_update(rect: Rectification, user=None, *, reported_on: dt.date | None = None, done: str,
               difficulties: str = "", next_step: str = "", help_needed: str = "",
               files=()) -> ProgressUpdate:
    """Add a rolling progress update (滚动更新) and make it the measure's 整改进展.

    An open measure moves to "in progress" (a recorded transition). ``files``: uploaded files
    attached to the update. Raises ``PermissionDenied`` or :class:`RectificationError` (a
    closed measure takes no updates: reopen it first).
    """
    _require(user, CHANGE, rect.org)
    if not done.strip():
        raise RectificationError("请填写已开展的工作。")
    if rect.status == RectificationStatus.CLOSED:
        raise RectificationError("该措施已销号，如需继续整改请先重新打开。")
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        # As for records (不能登记尚未发生的工作): a rolling update reports work already done.
        raise RectificationError("进展日期不能晚于今天：滚动更新填报的是已开展的工作。")
    late = deadline_error(rect.problem, reported_on, gettext_lazy("进展日期"))
    if late:
        raise RectificationError(late)
    with transaction.atomic():
        rect = Rectification.objects.select_for_update().get(pk=rect.pk)
        update = ProgressUpdate.objects.create(
            rectification=rect, reported_on=reported_on, done=done.strip(),
            difficulties=difficulties.strip(), next_step=next_step.strip(),
            help_needed=help_needed.strip(), author=_actor(user))
        _attach(update, rect.org, files, user)
        latest = rect.updates.order_by("-reported_on", "-pk").first()
        if rect.status == RectificationStatus.OPEN:
            rect.progress, rect.progress_on = latest.done, latest.reported_on
            apply_transition(rect, "start", actor=user, comment="填报整改进展")
        else:
            rect.progress, rect.progress_on = latest.done, latest.reported_on
            rect.save()
        announce(update, "create", {rect.org_id}, {reported_on})
    return update


def _attach(obj, org, files, user) -> None:
    from pathlib import Path

    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(obj)
    for upload in files or ():
        Attachment.objects.create(org=org, content_type=content_type, object_id=obj.pk,
                                  file=upload, name=Path(upload.name).name[:255],
                                  size=upload.size, uploaded_by=_actor(user))


def has_evidence(rect: Rectification) -> bool:
    """True when the measure has an evidence description or a file (on it or an update)."""
    from django.contrib.contenttypes.models import ContentType

    if rect.evidence.strip():
        return True
    ct_rect = ContentType.objects.get_for_model(Rectification)
    ct_update = ContentType.objects.get_for_model(ProgressUpdate)
    update_ids = list(rect.updates.values_list("pk", flat=True))
    return Attachment.objects.filter(content_type=ct_rect, object_id=rect.pk).exists() or \
        Attachment.objects.filter(content_type=ct_update, object_id__in=update_ids).exists()


def move(rect: Rectification, name: str, user=None, comment: str = "", *,
         version: int | None = None, completion_note: str | None = None,
         evidence: str | None = None, files=()) -> Rectification:
    """Move a measure through its status machine and record who, when and why.

    ``name``: a key of :data:`TRANSITION_ACTIONS`. ``version``: refuse with :class:`StaleEdit`
    when the measure changed since the page was opened. ``complete`` needs ``completion_note``
    (完成情况) and evidence (text or a file: domain-rules.md §5 check 26); ``return`` and
    ``reopen`` need a reason. Raises ``PermissionDenied``, :class:`RectificationError`,
    ``core.status.IllegalTransition`` (not possible from the current status; nothing written).
    ``verify`` and ``close`` by the user who claimed the measure complete raise
    :class:`RectificationError` (four eyes, :func:`four_eyes_reason`; nothing written).
    """
    if name not in TRANSITION_ACTIONS:
        raise IllegalTransition(f"未知操作：{name}")
    _require(user, TRANSITION_ACTIONS[name], rect.org)
    comment = (comment or "").strip()
    if name in REASON_REQUIRED and not comment:
        raise RectificationError("请填写理由。")
    now = timezone.now()
    with transaction.atomic():
        current = Rectification.objects.select_for_update().get(pk=rect.pk)
        if version is not None and current.version != int(version):
            raise StaleEdit(current)
        kwargs = {}
        if name == "complete":
            if completion_note is not None:
                current.completion_note = completion_note.strip()
            if evidence is not None:
                current.evidence = evidence.strip()
            if current.status not in ACTIVE_STATUSES:
                raise IllegalTransition(f"当前状态“{current.get_status_display()}”下不能申报完成。")
            if not current.completion_note:
                raise RectificationError("申报完成须填写完成情况。")
            current.save()
            _attach(current, current.org, files, user)
            if not has_evidence(current):
                raise RectificationError("申报完成须提供佐证材料（文字说明或附件）。")
            kwargs = {"at": now}
        elif (name in FOUR_EYES_MOVES and can_proceed(getattr(current, name))
              and (reason := four_eyes_reason(current, user, name))):
            raise RectificationError(reason)
        if name == "verify":
            kwargs = {"at": now, "by": _actor(user)}
        elif name == "close":
            kwargs = {"on": timezone.localdate()}
        apply_transition(current, name, actor=user, comment=comment, **kwargs)
        _announce_measure(current, "update")
    return current


# ---- deadline extensions ----------------------------------------------------------------------

def request_extension(rect: Rectification, user=None, *, new_deadline: dt.date,
                      reason: str) -> ExtensionRequest:
    """Ask to move the deadline to ``new_deadline`` with ``reason`` (one pending at a time).

    Raises ``PermissionDenied`` or :class:`RectificationError`."""
    _require(user, CHANGE, rect.org)
    if not reason.strip():
        raise RectificationError("请填写延期理由。")
    if rect.status not in ACTIVE_STATUSES:
        raise RectificationError("只有待整改或整改中的措施可以申请延期。")
    if rect.deadline and new_deadline <= rect.deadline:
        raise RectificationError("申请的新时限须晚于原时限。")
    late = deadline_error(rect.problem, new_deadline, gettext_lazy("申请延至"))
    if late:
        raise RectificationError(late)
    if rect.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise RectificationError("已有一项延期申请待审批。")
    request = ExtensionRequest.objects.create(
        rectification=rect, old_deadline=rect.deadline, new_deadline=new_deadline,
        reason=reason.strip(), requested_by=_actor(user))
    record_event(rect, "request_extension", actor=user,
                 comment=f"申请延至 {new_deadline:%Y-%m-%d}：{reason.strip()}")
    return request


def decide_extension(request: ExtensionRequest, user=None, *, approve: bool,
                     comment: str = "") -> ExtensionRequest:
    """Approve (the deadline moves, 延期次数 + 1) or reject an extension request.

    Raises ``PermissionDenied`` or ``IllegalTransition`` (already decided)."""
    rect = request.rectification
    _require(user, REVIEW, rect.org)
    with transaction.atomic():
        method = "approve" if approve else "reject"
        _transition_plain(request, method, by=_actor(user), at=timezone.now())
        if approve:
            current = Rectification.objects.select_for_update().get(pk=rect.pk)
            old = current.deadline
            current.deadline = request.new_deadline
            current.extension_count += 1
            old_due = current.effective_due
            current.save()
            _announce_measure(current, "update", old_due)
            record_event(current, "extend", actor=user,
                         comment=f"时限 {old or '—'} → {request.new_deadline:%Y-%m-%d}"
                                 f"（第 {current.extension_count} 次延期）{('：' + comment) if comment else ''}")
        else:
            record_event(rect, "reject_extension", actor=user, comment=comment or "不同意延期")
    return request


def _transition_plain(obj, name: str, **kwargs) -> None:
    """Run an fsm transition of an object without its own org (events go on the measure)."""
    from django_fsm import can_proceed

    method = getattr(obj, name)
    if not can_proceed(method):
        raise IllegalTransition(f"当前状态“{obj.get_status_display()}”下不能执行此操作。")
    method(**kwargs)
    obj.save()


def amber_until(today: dt.date, workdays: int = 3) -> dt.date:
    """The last date that is "due within ``workdays`` working days" of ``today`` (issue 4 §2:
    amber when due within 3 working days): the ``workdays``-th working day after today."""
    day, count = today, 0
    while count < workdays:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
    return day
