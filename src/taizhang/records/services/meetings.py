"""Meetings (motions, election results) and study sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.orgs.models import (
    Member,
    Organization,
)

from ..models import (
    TEAM_KINDS,
    AttendanceStatus,
    ElectionResult,
    Meeting,
    Motion,
    StudySession,
)
from .attendance import (
    ELECTIONS_LABEL,
    MOTIONS_LABEL,
    _log_on_record,
    default_attendees,
    set_attendance,
)
from .base import ELECTION_FIELDS, MOTION_FIELDS, _plain, save_record

# --- meetings ------------------------------------------------------------------------------

def _save_attended(record, actor, attendance, m2m=None):
    creating = record.pk is None
    with transaction.atomic():
        save_record(record, actor=actor, m2m=m2m)
        if attendance is None and creating:
            attendance = default_attendees(record.org, getattr(record, "kind", None),
                                           getattr(record, "team", None))
        if attendance is not None:
            set_attendance(record, attendance, actor=actor)
    return record




def _motion_text(motion: Motion) -> str:
    text = _("%(title)s：赞成%(yes)d，反对%(no)d，弃权%(abstain)d") % {
        "title": motion.title, "yes": motion.yes, "no": motion.no, "abstain": motion.abstain}
    if motion.declared_passed is not None:
        text += _("，宣布通过") if motion.declared_passed else _("，宣布未通过")
    return text


def _election_text(result: ElectionResult) -> str:
    name = result.candidate.name if result.candidate_id else result.candidate_name
    text = _("%(post)s %(name)s 得票%(yes)d") % {"post": result.post, "name": name, "yes": result.yes}
    return text + (_("，当选") if result.elected else "")


def _replace_rows(meeting: Meeting, current, new: list, fields: tuple, label: str, text, actor) -> None:
    """Replace the meeting's rows ``current`` (a queryset: its motions or election results)
    by the unsaved instances ``new`` when they differ in ``fields`` (in any order): one
    DELETE, one INSERT and one audit entry on the meeting (``label``: the texts before →
    after; ``text`` turns a row into its text). Nothing is written when they are the same."""
    old = list(current)

    def values(rows):  # choices enums compare as their stored values
        return sorted(repr(tuple(_plain(getattr(r, f)) for f in fields)) for r in rows)

    if values(old) == values(new):
        return
    with transaction.atomic():
        current.model.objects.filter(meeting=meeting).delete()
        current.model.objects.bulk_create(new)
        _log_on_record(meeting, {label: ["；".join(text(o) for o in old), "；".join(text(n) for n in new)]},
                       {current.model._meta.model_name: {
                           "before": [{f: _plain(getattr(o, f)) for f in fields} for o in old],
                           "after": [{f: _plain(getattr(n, f)) for f in fields} for n in new]}}, actor)


def set_motions(meeting: Meeting, motions: Iterable[dict], actor=None) -> None:
    """Replace the meeting's motions with ``motions`` (dicts of Motion fields: title, kind,
    yes, no, abstain, declared_passed; rows without a title are skipped).

    Constant queries: the voting count, a read of the current motions, then (only when
    something differs) one DELETE, one INSERT and one audit entry on the meeting ("表决事项").
    Raises ``ValidationError`` when a motion's votes exceed the members present with voting
    rights (TZ Art. 11); nothing is written then."""
    motions = [m for m in motions if (m.get("title") or "").strip()]
    voting_present = meeting.attendance.filter(voting=True, status=AttendanceStatus.PRESENT).count()
    for m in motions:
        cast = sum(int(m.get(k) or 0) for k in ("yes", "no", "abstain"))
        if voting_present and cast > voting_present:
            raise ValidationError({"motions": _("“%(title)s”的票数（%(cast)d）超过到会有表决权人数（%(n)d）。")
                                   % {"title": m["title"], "cast": cast, "n": voting_present}})
    new = [Motion(meeting=meeting, order=order, **{
        k: m[k] for k in ("title", "kind", "yes", "no", "abstain", "declared_passed") if k in m})
        for order, m in enumerate(motions)]
    _replace_rows(meeting, meeting.motions.all(), new, MOTION_FIELDS, MOTIONS_LABEL, _motion_text, actor)


def set_election_results(meeting: Meeting, results: Iterable[dict], actor=None) -> None:
    """Replace the meeting's election results (dicts: post, candidate (Member) or
    candidate_name, yes, elected). Constant queries like :func:`set_motions` (audit entry
    "选举结果"); nothing is written when the results are unchanged. Raises ``ValidationError``
    when a candidate's votes exceed the members present with voting rights (XJ; TZ Art. 11)."""
    new = [ElectionResult(meeting=meeting, **r) for r in results]
    voting_present = meeting.attendance.filter(voting=True, status=AttendanceStatus.PRESENT).count()
    for n in new:
        if voting_present and (n.yes or 0) > voting_present:
            # Votes are cast by members with voting rights present (XJ; TZ Art. 11).
            raise ValidationError({"election_results": _("“%(post)s”的得票数（%(yes)d）超过到会有表决权人数（%(n)d）。")
                                   % {"post": n.post, "yes": n.yes, "n": voting_present}})
    candidates = {n.candidate_id for n in new if n.candidate_id and not
                  ElectionResult._meta.get_field("candidate").is_cached(n)}
    if candidates:
        loaded = Member.objects.in_bulk(candidates)
        for n in new:
            if n.candidate_id in loaded:
                n.candidate = loaded[n.candidate_id]
    _replace_rows(meeting, meeting.election_results.select_related("candidate"), new, ELECTION_FIELDS,
                  ELECTIONS_LABEL, _election_text, actor)


def create_meeting(org: Organization, kind: str, date: dt.date, actor=None, attendance=None,
                   motions=None, election_results=None, **fields) -> Meeting:
    """Record a meeting of ``org``.

    ``attendance``: as for :func:`set_attendance`; ``None`` → the :func:`default_attendees`
    all marked present (the form's starting point). ``motions`` / ``election_results``: as
    for :func:`set_motions` / :func:`set_election_results`. ``fields``: other Meeting fields
    (title, start_time, end_time, place, host, recorder, topics, minutes, decisions, team,
    invitees, notes, sign_in_enabled). Raises ``ValidationError``.
    """
    meeting = Meeting(org=org, kind=kind, date=date, **fields)
    if meeting.team_id is None and kind in TEAM_KINDS and hasattr(org, "leadership_team"):
        try:
            meeting.team = org.leadership_team
        except Organization.leadership_team.RelatedObjectDoesNotExist:
            pass
    with transaction.atomic():
        _save_attended(meeting, actor, attendance)
        if motions is not None:
            set_motions(meeting, motions, actor)
        if election_results is not None:
            set_election_results(meeting, election_results, actor)
    return meeting


def update_meeting(meeting: Meeting, actor=None, attendance=None, motions=None,
                   election_results=None, **fields) -> Meeting:
    """Change a meeting; ``attendance`` / ``motions`` / ``election_results`` replace the
    current ones when given (``None`` keeps them)."""
    for name, value in fields.items():
        setattr(meeting, name, value)
    with transaction.atomic():
        _save_attended(meeting, actor, attendance)
        if motions is not None:
            set_motions(meeting, motions, actor)
        if election_results is not None:
            set_election_results(meeting, election_results, actor)
    return meeting


def create_study_session(org: Organization, date: dt.date, topic: str, actor=None,
                         attendance=None, readings=None, **fields) -> StudySession:
    """Record a study session (``fields``: kind, theme, leader, place, hours, speakers,
    content, outcomes). ``attendance`` as for :func:`create_meeting`; ``readings`` an
    iterable of Reading."""
    session = StudySession(org=org, date=date, topic=topic, **fields)
    m2m = {"readings": readings} if readings is not None else None
    return _save_attended(session, actor, attendance, m2m=m2m)


def update_study_session(session: StudySession, actor=None, attendance=None, readings=None,
                         **fields) -> StudySession:
    """Change a study session; ``attendance`` / ``readings`` replace when given."""
    for name, value in fields.items():
        setattr(session, name, value)
    m2m = {"readings": readings} if readings is not None else None
    return _save_attended(session, actor, attendance, m2m=m2m)
