"""Every write of the democratic app: validate, save, audit (django-auditlog, domain events),
announce (``core.sources``). ``actor=None`` is the system (sample data, command line);
otherwise "change" on the record's organization is needed (the committee office). The
superior's review needs "change" on the parent of the team's organization (四.2 审核把关).

Raises ``ValidationError`` (field → messages) and ``PermissionDenied``; nothing is written then.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core import sources
from taizhang.core.audit import audit_actor
from taizhang.core.scoping import CHANGE, can
from taizhang.core.status import IllegalTransition, apply_transition, record_event
from taizhang.core.uploads import check_upload
from taizhang.orgs.models import LeadershipMember, Organization
from taizhang.records import services as records
from taizhang.records.models import MeetingKind
from taizhang.rectification import services as rectification

from .models import ExamReview, ExamStatus, ExamVersion, LifeMeeting, Opinion, ReviewLevel, SelfExamination, \
    Statement, Supervision
from .reminders import exam_moved

WORD_SUFFIXES = {".docx"}


def _require(actor, org) -> None:
    if actor is not None and org is not None and not can(actor, CHANGE, org):
        raise PermissionDenied(_("您无权修改该组织的数据。"))


def _merge(errors: dict, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))


def _check_team(obj, errors: dict) -> None:
    """The team belongs to the record's organization; the leader (``leader``/``addressee``) to the team."""
    if obj.team_id and obj.org_id and obj.team.org_id != obj.org_id:
        errors.setdefault("team", []).append(_("领导班子不属于本组织。"))
    for name in ("leader", "addressee"):
        value = getattr(obj, f"{name}_id", None)
        if value and obj.team_id and getattr(obj, name).team_id != obj.team_id:
            errors.setdefault(name, []).append(_("该班子成员不属于所选领导班子。"))


def _save(obj, actor, extra_check=None):
    errors: dict[str, list[str]] = {}
    if obj.org_id:
        _require(actor, obj.org)
        team = team_of(obj.org)
        if team is None:
            errors.setdefault("org", []).append(_("该组织没有领导班子。"))
        else:
            obj.team = team
    _check_team(obj, errors)
    if getattr(obj, "date", None) and obj.date > timezone.localdate():
        errors.setdefault("date", []).append(_("日期不能晚于今天"))
    if extra_check:
        extra_check(obj, errors)
    try:
        obj.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    old_orgs, old_dates = sources.snapshot(obj)
    creating = obj.pk is None
    obj.save()
    orgs, dates = sources.current(obj)
    sources.announce(obj, "create" if creating else "update", orgs | old_orgs, dates | old_dates)
    return creating


def _delete(obj, actor) -> None:
    _require(actor, obj.org)
    orgs, dates = sources.current(obj)
    sources.announce(obj, "delete", orgs, dates)
    obj.delete()


def team_of(org):
    """The leadership team of ``org`` or None."""
    return getattr(org, "leadership_team", None) if org is not None and hasattr(org, "leadership_team") else None


# -- 分管部门 ------------------------------------------------------------------------------------

def set_supervision(leader: LeadershipMember, department: str, head, *, actor=None) -> Supervision:
    """Record that ``leader`` supervises ``department`` headed by ``head`` (a Member of the
    team organization's subtree); audited. Raises ``ValidationError``, ``PermissionDenied``."""
    _require(actor, leader.team.org)
    department = (department or "").strip()
    errors = {}
    if not department:
        errors["department"] = [_("请填写分管部门")]
    if not head.org.path.startswith(leader.team.org.path):
        errors["head"] = [_("部门负责人不属于本组织")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit_actor(actor):
        obj, _created = Supervision.objects.update_or_create(leader=leader, head=head,
                                                             defaults={"department": department})
    return obj


def remove_supervision(obj: Supervision, *, actor=None) -> None:
    """Delete a supervised-department row (audited)."""
    _require(actor, obj.leader.team.org)
    with transaction.atomic(), audit_actor(actor):
        obj.delete()


# -- 征求意见 ------------------------------------------------------------------------------------

def save_opinion(obj: Opinion, *, actor=None) -> Opinion:
    """Validate and save an opinion (audited, announced). The answer needs its date and
    vice versa."""
    def check(o, errors):
        o.text = (o.text or "").strip()
        if o.answered_on and not o.answer.strip():
            errors.setdefault("answer", []).append(_("填写反馈日期时请填写反馈答复"))
    with transaction.atomic(), audit_actor(actor):
        _save(obj, actor, check)
    return obj


def create_opinion(data: dict, *, actor=None) -> Opinion:
    """Create an opinion from ``data`` (field values; ``team`` defaults to the org's team,
    ``year`` to the year of ``date``)."""
    obj = Opinion(**data)
    if not obj.team_id and obj.org_id:
        obj.team = team_of(obj.org)
    if not obj.year and obj.date:
        obj.year = obj.date.year
    return save_opinion(obj, actor=actor)


def delete_opinion(obj: Opinion, *, actor=None) -> None:
    with transaction.atomic(), audit_actor(actor):
        _delete(obj, actor)


def make_problem(opinion: Opinion, *, actor=None, **fields):
    """Turn ``opinion`` into a problem of the problem list (source 征求意见, the opinion as its
    source record) through the rectification service. ``fields`` override the prefill."""
    data = opinion.problem_prefill()
    data.update(fields)
    level = data.pop("level", "leadership")
    return rectification.create_problem(org=opinion.org, user=actor, source_record=opinion,
                                        source=data.pop("source"), description=data.pop("description"),
                                        found_on=data.pop("found_on"), level=level, **data)


# -- 对照检查材料 ----------------------------------------------------------------------------------

def save_exam(obj: SelfExamination, *, actor=None, document=None) -> SelfExamination:
    """Validate and save a material; ``document`` (an uploaded .docx, or None) replaces its
    Word file. A new :class:`ExamVersion` is kept when the text or the file changed (always
    on creation). An empty title becomes "<year>年度民主生活会对照检查材料（<whose>）". An
    approved material is not edited (a new year's material is a new one)."""
    if document is not None:
        check_upload(document, WORD_SUFFIXES, wrong_type=_("对照检查材料请上传 Word（.docx）文件，不支持 %(suffix)s。"))
    if not (obj.title or "").strip() and obj.year:  # the form's hint: 留空则自动生成
        obj.title = _("%(year)s年度民主生活会对照检查材料（%(whose)s）") % {"year": obj.year, "whose": obj.whose}

    def check(o, errors):
        o.title = (o.title or "").strip()
        if o.pk and type(o)._base_manager.filter(pk=o.pk, status=ExamStatus.APPROVED).exists():
            errors.setdefault("__all__", []).append(_("材料已审核通过，不能再修改。"))
        if o.needs_superior and o.org_id and Organization.objects.get_parent(o.org) is None:
            errors.setdefault("needs_superior", []).append(_("本组织没有上级党组织，不能设为需上级审核"))
        if not o.content.strip() and not o.document and document is None:
            errors.setdefault("content", []).append(_("请填写材料内容或上传 Word 文件"))

    with transaction.atomic(), audit_actor(actor):
        before = type(obj)._base_manager.filter(pk=obj.pk).values_list("content", "document").first() if obj.pk else None
        if document is not None:
            obj.document = document
        _save(obj, actor, check)
        if before is None or before != (obj.content, obj.document.name or "") or document is not None:
            number = (obj.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            ExamVersion.objects.create(exam=obj, number=number, content=obj.content, document=obj.document.name or "",
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None)
    return obj


def create_exam(data: dict, *, actor=None, document=None) -> SelfExamination:
    """Create a material from ``data`` (``team`` defaults to the org's team, ``year`` to the
    year of ``date``, ``title`` as :func:`save_exam` says)."""
    obj = SelfExamination(**data)
    if not obj.team_id and obj.org_id:
        obj.team = team_of(obj.org)
    if not obj.year and obj.date:
        obj.year = obj.date.year
    return save_exam(obj, actor=actor, document=document)


def delete_exam(obj: SelfExamination, *, actor=None) -> None:
    with transaction.atomic(), audit_actor(actor):
        _delete(obj, actor)


def _may_review(actor, exam: SelfExamination) -> ReviewLevel:
    """The level at which ``actor`` reviews ``exam`` now; PermissionDenied when he may not."""
    if exam.status == ExamStatus.OFFICE_APPROVED:
        parent = Organization.objects.get_parent(exam.org)
        if actor is not None and (parent is None or not can(actor, CHANGE, parent)):
            raise PermissionDenied(_("该材料待上级党组织审核。"))
        return ReviewLevel.SUPERIOR
    _require(actor, exam.org)
    return ReviewLevel.OFFICE


def move_exam(exam: SelfExamination, action: str, *, actor=None, comment: str = "", on=None) -> SelfExamination:
    """Move a material: ``submit``, ``approve`` or ``return_for_revision`` (a comment is
    required to return it). A review (approve / return) is kept as an :class:`ExamReview` of
    the round (the number of submissions so far) and the latest version. ``on``: the day of an
    approval (default today). The reviewers (on submit, and on the office's approval of a
    material that needs the superior's) or the author (on return and approval) get an in-app
    notice in the same transaction (:func:`.reminders.exam_moved`, issue 12 §3).
    Raises ``IllegalTransition``, ``PermissionDenied``, ``ValidationError``."""
    if action not in ("submit", "approve", "return_for_revision"):
        raise IllegalTransition(_("未知操作：%(action)s") % {"action": action})
    if action == "return_for_revision" and not comment.strip():
        raise ValidationError({"comment": [_("退回修改时请填写审核意见")]})
    level = _may_review(actor, exam) if action != "submit" else None
    if action == "submit":
        _require(actor, exam.org)
    with transaction.atomic(), audit_actor(actor):
        old_orgs, old_dates = sources.snapshot(exam)
        kwargs = {"on": on or timezone.localdate()} if action == "approve" else {}
        event = apply_transition(exam, action, actor=actor, comment=comment, **kwargs)
        if level is not None:
            ExamReview.objects.create(
                exam=exam, round=_round(exam), version=exam.versions.order_by("-number").first(), level=level,
                approved=action == "approve", comment=comment,
                reviewer=actor if getattr(actor, "is_authenticated", False) else None)
        orgs, dates = sources.current(exam)
        sources.announce(exam, "update", orgs | old_orgs, dates | old_dates)
        exam_moved(exam, action, event=event, actor=actor, comment=comment)
    return exam


def _round(exam) -> int:
    """The review round: the number of times the material was submitted."""
    from django.contrib.contenttypes.models import ContentType

    from taizhang.core.models import Event

    return max(1, Event.objects.filter(content_type=ContentType.objects.get_for_model(exam), object_id=exam.pk,
                                       verb="submit").count())


# -- 民主生活会 ------------------------------------------------------------------------------------

def _attendance(team, absent) -> list[dict]:
    """Attendance rows: the team's members present, except ``absent`` ({member: reason})."""
    absent = absent or {}
    rows = []
    for lm in LeadershipMember.objects.filter(team=team, member__is_active=True).select_related("member"):
        reason = absent.get(lm.member)
        rows.append({"member": lm.member, "status": "leave" if reason is not None else "present",
                     "reason": reason or ""})
    return rows


def save_life_meeting(obj: LifeMeeting, *, actor=None, absent=None) -> LifeMeeting:
    """Validate and save the meeting record and its attendance (a ``records.Meeting`` of kind
    民主生活会 for the team: the leadership team expected, all present but ``absent``, a
    dict member → reason, or None to keep the attendance). The report date is not before the
    meeting. Audited, announced (code ``democratic_life_meeting``)."""
    def check(o, errors):
        o.title = (o.title or "").strip()
        if o.reported_on and o.date and o.reported_on < o.date:
            errors.setdefault("reported_on", []).append(_("报送日期不能早于会议日期"))
        if o.reported_on and o.reported_on > timezone.localdate():
            errors.setdefault("reported_on", []).append(_("日期不能晚于今天"))

    with transaction.atomic(), audit_actor(actor):
        if not obj.team_id and obj.org_id:
            obj.team = team_of(obj.org)
        if not obj.year and obj.date:
            obj.year = obj.date.year
        _save(obj, actor, check)
        fields = {"title": obj.title, "place": obj.place, "team": obj.team, "invitees": obj.observers,
                  "minutes": obj.summary}
        leaders = list(LeadershipMember.objects.filter(team=obj.team).order_by("order", "pk").select_related("member"))
        if obj.meeting_id is None:
            rows = _attendance(obj.team, absent)
            obj.meeting = records.create_meeting(obj.org, MeetingKind.DEMOCRATIC_LIFE_MEETING, obj.date, actor=actor,
                                                 attendance=rows, host=leaders[0].member if leaders else None,
                                                 **fields)
            type(obj)._base_manager.filter(pk=obj.pk).update(meeting=obj.meeting)
        else:
            records.update_meeting(obj.meeting, actor=actor,
                                   attendance=_attendance(obj.team, absent) if absent is not None else None,
                                   org=obj.org, date=obj.date, **fields)
    return obj


def create_life_meeting(data: dict, *, actor=None, absent=None) -> LifeMeeting:
    """Create the meeting record from ``data`` (field values); see :func:`save_life_meeting`."""
    return save_life_meeting(LifeMeeting(**data), actor=actor, absent=absent)


def delete_life_meeting(obj: LifeMeeting, *, actor=None) -> None:
    """Delete the record and its attendance meeting (audited, announced)."""
    with transaction.atomic(), audit_actor(actor):
        meeting = obj.meeting
        _delete(obj, actor)
        if meeting is not None:
            records.delete_record(meeting, actor=actor)


def set_statements(life_meeting: LifeMeeting, rows: list[dict], *, actor=None) -> list[Statement]:
    """Make the meeting's statements exactly ``rows``: dicts with ``leader`` (LeadershipMember of
    the team), ``self_criticism``, ``criticism_received``, ``criticism_given``; a row with
    no text is dropped. Audited."""
    _require(actor, life_meeting.org)
    wrong = [str(r["leader"]) for r in rows if r["leader"].team_id != life_meeting.team_id]
    if wrong:
        raise ValidationError({"leader": [_("不是本班子成员：%(names)s") % {"names": "、".join(wrong)}]})
    keep = []
    with transaction.atomic(), audit_actor(actor):
        for row in rows:
            texts = {k: (row.get(k) or "").strip() for k in ("self_criticism", "criticism_received", "criticism_given")}
            if not any(texts.values()):
                continue
            obj, _c = Statement.objects.update_or_create(life_meeting=life_meeting, leader=row["leader"], defaults=texts)
            keep.append(obj)
        life_meeting.statements.exclude(pk__in=[s.pk for s in keep]).delete()
        record_event(life_meeting, "edit_statements", actor=actor)
        orgs, dates = sources.current(life_meeting)
        sources.announce(life_meeting, "update", orgs, dates)
    return keep


def raise_problem(life_meeting: LifeMeeting, *, actor=None, **fields):
    """A problem raised at the meeting, on the problem list linked to it (source 民主生活会)."""
    data = {**life_meeting.problem_prefill(), **fields}
    return rectification.create_problem(org=life_meeting.org, user=actor, source_record=life_meeting, **data)
