"""In-app notices of the 对照检查材料's review (审核把关, seed 四.2; issue 12 §3), declared in
notify's registry (this app is above notify, as compliance is) and sent at once by
:func:`exam_moved`, which ``services.move_exam`` calls in its transaction:

- submitted → kind ``exam_submitted`` to the reviewers: the own office (committee staff) of
  the material's organization; after the office's approval of a material that needs the
  superior's review (需上级审核), to the superior organization's own office;
- returned (with the comment), approved by the office on the way to the superior, approved
  → kind ``exam_decided`` to the author: the user who last submitted it, the one who wrote
  its first version, and the leader's own account for a leader's material.

The user who made the move is never told of it; nobody else is told (no superior's staff
of the first step, no group robot: a material's review comments are not posted to a
group). A decision marks the reviewers' unread "waiting" notices of the material read.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.notify.registry import EMAIL, NOTICE, Message, RoleDirectory, RunContext, reminder_kind
from taizhang.orgs.models import Organization

from .models import ExamStatus, SelfExamination

SUBMITTED_KIND = "exam_submitted"
DECIDED_KIND = "exam_decided"
CHANNELS = (NOTICE, EMAIL)


@reminder_kind(SUBMITTED_KIND, gettext_lazy("对照检查材料待审核"), channels=CHANNELS)
def _waiting(ctx: RunContext):
    """Sent when a material is submitted (:func:`exam_moved`), never by the daily run."""
    return []


@reminder_kind(DECIDED_KIND, gettext_lazy("对照检查材料审核结果"), channels=CHANNELS)
def _decided(ctx: RunContext):
    """Sent when a material is returned or approved (:func:`exam_moved`), never by the daily run."""
    return []


def reviewing_org(exam: SelfExamination):
    """The organization whose approval of ``exam`` is due now: its own while submitted, the
    superior (parent) once the office approved a material that needs the superior's review;
    None in any other state."""
    if exam.status == ExamStatus.SUBMITTED:
        return exam.org
    if exam.status == ExamStatus.OFFICE_APPROVED:
        return Organization.objects.get_parent(exam.org)
    return None


def authors(exam: SelfExamination, exclude=()) -> list:
    """The users answering for ``exam``: its latest submitter, the writer of its first
    version, and, for a leader's material, the leader's own account; active users only,
    ``exclude`` left out, by user name."""
    from django.contrib.auth import get_user_model

    from taizhang.core.models import Event

    ids = set()
    submitter = (Event.objects.filter(content_type=ContentType.objects.get_for_model(exam),
                                      object_id=exam.pk, verb="submit")
                 .order_by("-created_at", "-pk").values_list("actor_id", flat=True).first())
    writer = exam.versions.order_by("number").values_list("created_by_id", flat=True).first()
    ids.update(pk for pk in (submitter, writer) if pk)
    if exam.leader_id and exam.leader.member.user_id:
        ids.add(exam.leader.member.user_id)
    ids -= {getattr(u, "pk", None) for u in exclude}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username"))


def _mark_waiting_read(exam: SelfExamination) -> None:
    """The reviewers' unread "waiting" notices of ``exam`` are done once it is decided."""
    from taizhang.notify.models import Notice

    Notice.objects.filter(read_at__isnull=True, reminder__kind=SUBMITTED_KIND,
                          reminder__content_type=ContentType.objects.get_for_model(exam),
                          reminder__object_id=exam.pk).update(read_at=timezone.now())


def messages_for(exam: SelfExamination, action: str, *, event, actor=None, comment: str = "") -> list:
    """The (kind, Message) pairs of ``exam`` having just moved by ``action`` ("submit",
    "approve", "return_for_revision"; ``exam.status`` is the new state), keyed by ``event``
    (the transition's ``core.models.Event``) so that each move is told once."""
    exclude = [actor] if getattr(actor, "pk", None) else []
    title = exam.title
    key = f"event:{event.pk}" if event is not None else f"{action}:{exam.status}"
    url = exam.get_absolute_url()
    result = []
    reviewers_org = reviewing_org(exam)
    if reviewers_org is not None:
        superior_step = exam.status == ExamStatus.OFFICE_APPROVED
        subject = (_("【待上级审核】对照检查材料：%(title)s") if superior_step
                   else _("【待审核】对照检查材料：%(title)s")) % {"title": title}
        body = (_("%(org)s 已审核通过“%(title)s”，该材料需上级党组织审核，请审核。") if superior_step
                else _("%(org)s 报送了“%(title)s”，请审核。")) % {"org": exam.org.name, "title": title}
        result.append((SUBMITTED_KIND, Message(
            target=exam, org=reviewers_org,
            recipients=RoleDirectory().responsible(reviewers_org, exclude=exclude),
            subject=subject, body=body, url=url, key=key)))
    if action == "submit":
        return result
    if action == "return_for_revision":
        subject = _("【退回修改】对照检查材料：%(title)s") % {"title": title}
        body = _("“%(title)s”被退回修改。审核意见：%(comment)s") % {
            "title": title, "comment": comment.strip() or _("（无说明）")}
    elif exam.status == ExamStatus.OFFICE_APPROVED:
        subject = _("【审核进展】对照检查材料：%(title)s") % {"title": title}
        body = _("“%(title)s”已通过本级审核，待上级党组织审核。") % {"title": title}
    else:
        subject = _("【审核通过】对照检查材料：%(title)s") % {"title": title}
        body = _("“%(title)s”已审核通过。") % {"title": title}
    result.append((DECIDED_KIND, Message(target=exam, org=exam.org, recipients=authors(exam, exclude),
                                         subject=subject, body=body, url=url, key=key)))
    return result


def exam_moved(exam: SelfExamination, action: str, *, event, actor=None, comment: str = "") -> None:
    """Tell the reviewers or the author that ``exam`` moved (see the module's rules), in the
    caller's transaction: in-app at once, e-mail after commit (notify's ledger: each move
    once). A decision first marks the reviewers' waiting notices read."""
    from taizhang.notify import services as notify

    if action != "submit":
        _mark_waiting_read(exam)
    by_kind: dict[str, list] = {}
    for kind, message in messages_for(exam, action, event=event, actor=actor, comment=comment):
        if message.recipients:
            by_kind.setdefault(kind, []).append(message)
    for kind, messages in by_kind.items():
        notify.send_messages(kind, messages)
