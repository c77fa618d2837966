"""Every write of the surveys app: validate, save, audit, announce.

Office writes (surveys, items, token batches, an opinion made a problem) need "change" on
the survey's organization (``actor=None`` is the system: sample data, tests) and are
audited. A respondent's :func:`submit` is anonymous: it is deliberately **not** audited
(django-auditlog would keep the client's address) and stores nothing about the client
(see :mod:`.models`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from taizhang.core import sources
from taizhang.core.scoping import CHANGE, can
from taizhang.core.status import record_event
from taizhang.records.services import audit_actor

from .models import Rating, Survey, SurveyAnswer, SurveyItem, SurveyResponse, SurveyToken

#: Problem-list source of opinions from the survey (domain-rules §4 问题来源).
PROBLEM_SOURCE = "群众满意度测评"
MAX_BATCH = 500


class SurveyRefused(Exception):
    """A respondent's submission refused; ``status`` is the HTTP status to answer with and
    ``message`` the Chinese explanation shown."""

    status = 400
    message = ""


class TokenUnknown(SurveyRefused):
    status = 404
    message = "该测评链接无效，请核对二维码或链接。"


class TokenUsed(SurveyRefused):
    status = 410
    message = "该测评链接已经使用过，每个链接只能提交一次。"


class SurveyClosed(SurveyRefused):
    status = 403
    message = "该测评不在开放时间内，无法提交。"


def _require(actor, org) -> None:
    if actor is not None and org is not None and not can(actor, CHANGE, org):
        raise PermissionDenied("您无权修改该组织的数据。")


def _clean_items(items) -> list[str]:
    return [t.strip() for t in items if t and t.strip()]


def save_survey(obj: Survey, *, actor=None, items=None) -> Survey:
    """Validate and save ``obj``; ``items`` (texts in order, or None to keep them) replace
    its items, which is refused once answers exist. Raises ``ValidationError`` (field →
    messages: end before start, no items, items changed after answers) and
    ``PermissionDenied``. Audited; announced (evidence code ``survey``)."""
    errors: dict[str, list[str]] = {}
    obj.title = (obj.title or "").strip()
    if obj.org_id:
        _require(actor, obj.org)
    if obj.start and obj.end and obj.end < obj.start:
        errors.setdefault("end", []).append("截止日期不能早于开始日期")
    if items is not None:
        items = _clean_items(items)
        current = list(obj.items.values_list("text", flat=True)) if obj.pk else []
        if not items:
            errors.setdefault("items", []).append("至少需要一个测评项目")
        elif obj.pk and obj.response_count and items != current:
            errors.setdefault("items", []).append("已有答卷，不能再修改测评项目")
        elif items == current:
            items = None
    try:
        obj.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit_actor(actor):
        old_orgs, old_dates = sources.snapshot(obj)
        creating = obj.pk is None
        obj.save()
        if items is not None:
            obj.items.all().delete()
            SurveyItem.objects.bulk_create(SurveyItem(survey=obj, text=t, order=i) for i, t in enumerate(items, 1))
        orgs, dates = sources.current(obj)
        sources.announce(obj, "create" if creating else "update", orgs | old_orgs, dates | old_dates)
    return obj


def create_survey(data: dict, *, actor=None) -> Survey:
    """Create a survey from ``data`` (field values plus ``items``: list of texts)."""
    data = dict(data)
    items = data.pop("items", None) or []
    return save_survey(Survey(**data), actor=actor, items=items)


def delete_survey(obj: Survey, *, actor=None) -> None:
    """Delete ``obj`` with its items, tokens and answers (audited, announced)."""
    _require(actor, obj.org)
    with transaction.atomic(), audit_actor(actor):
        orgs, dates = sources.current(obj)
        sources.announce(obj, "delete", orgs, dates)
        obj.delete()


def issue_tokens(survey: Survey, count: int, *, actor=None) -> list[SurveyToken]:
    """Create ``count`` (1…500) one-time tokens of ``survey``. Raises ``ValidationError``
    for a count outside that range, ``PermissionDenied``."""
    _require(actor, survey.org)
    if not 1 <= int(count) <= MAX_BATCH:
        raise ValidationError({"count": [f"每批可生成 1 至 {MAX_BATCH} 个链接"]})
    with transaction.atomic(), audit_actor(actor):
        tokens = SurveyToken.objects.bulk_create(SurveyToken(survey=survey) for _ in range(int(count)))
        # bulk_create sends no signals, so the audit trail gets one event for the batch.
        record_event(survey, "issue_tokens", actor=actor, comment=str(len(tokens)))
        return tokens


def token_survey(token: str) -> Survey:
    """The survey of an unused ``token``. Raises :class:`TokenUnknown`, :class:`TokenUsed`."""
    row = SurveyToken.objects.select_related("survey").filter(token=token).first()
    if row is None:
        raise TokenUnknown
    if row.used_on is not None:
        raise TokenUsed
    return row.survey


def submit(token: str, ratings: dict, opinion: str = "", *, today: dt.date | None = None) -> SurveyResponse:
    """Record one anonymous answer sheet with ``token`` (used up in the same transaction).

    ``ratings``: item id → :class:`Rating` value, one for every item of the survey.
    Raises :class:`TokenUnknown` / :class:`TokenUsed` / :class:`SurveyClosed` (outside
    start…end), ``ValidationError`` (an item unrated or a rating unknown). Two concurrent
    submissions of one token: the conditional update lets only one through."""
    today = today or timezone.localdate()
    survey = token_survey(token)
    if not survey.is_open(today):
        raise SurveyClosed
    items = list(survey.items.all())
    valid = set(Rating.values)
    missing = [i.text for i in items if ratings.get(i.pk) not in valid]
    if missing:
        raise ValidationError({"ratings": ["请对每个项目作出评价：" + "；".join(missing)]})
    with transaction.atomic():
        if SurveyToken.objects.filter(token=token, used_on__isnull=True).update(used_on=today) != 1:
            raise TokenUsed
        response = SurveyResponse.objects.create(survey=survey, submitted_on=today, opinion=(opinion or "").strip())
        SurveyAnswer.objects.bulk_create(SurveyAnswer(response=response, item=i, rating=ratings[i.pk]) for i in items)
        Survey.objects.filter(pk=survey.pk).update(response_count=F("response_count") + 1)
        if survey.response_count == 0:  # the survey now counts for the plan
            sources.announce(survey, "update", {survey.org_id}, {survey.start})
    return response


def opinion_to_problem(response: SurveyResponse, *, actor=None):
    """Enter the free opinion of ``response`` in the problem list of the survey's
    organization (source 群众满意度测评, linked to the response) and keep the link. Raises
    ``ValidationError`` (no opinion, already entered), ``PermissionDenied``."""
    from taizhang.rectification.services import create_problem

    survey = response.survey
    _require(actor, survey.org)
    if not response.opinion:
        raise ValidationError("该答卷没有意见建议")
    if response.problem_id:
        raise ValidationError("该意见已转为问题")
    with transaction.atomic(), audit_actor(actor):
        problem = create_problem(org=survey.org, user=actor, source_record=response, source=PROBLEM_SOURCE,
                                 description=response.opinion, found_on=response.submitted_on,
                                 found_by="群众满意度测评")
        response.problem = problem
        response.save(update_fields=["problem"])
    return problem


@dataclass
class ItemResult:
    """Counts of one item (or of the whole survey when ``item`` is None) and the
    satisfaction rate = (满意 + 基本满意) / total, in percent with one decimal (None when
    nobody answered)."""

    item: object
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def rate(self) -> float | None:
        return round(100 * (self.satisfied + self.basically_satisfied) / self.total, 1) if self.total else None


def results(survey: Survey) -> tuple[list[ItemResult], ItemResult]:
    """Per-item results of ``survey`` (in item order) and the overall result (all answers
    of all items). Two queries."""
    rows = {i.pk: ItemResult(i) for i in survey.items.all()}
    overall = ItemResult(None)
    counts = SurveyAnswer.objects.filter(item__survey=survey).values("item_id", "rating").annotate(n=Count("pk"))
    for row in counts:
        target = rows.get(row["item_id"])
        if target is not None:
            setattr(target, row["rating"], getattr(target, row["rating"]) + row["n"])
        setattr(overall, row["rating"], getattr(overall, row["rating"]) + row["n"])
    return list(rows.values()), overall


@dataclass
class OrgResult(ItemResult):
    """All answers of the surveys of one organization (``item`` holds the organization's
    name here) and the number of surveys and answer sheets."""

    surveys: int = 0
    responses: int = 0


def org_results(queryset) -> list[OrgResult]:
    """Results per organization of the surveys in ``queryset`` (already scoped and
    filtered): answers of all items of all its surveys, in tree order. Two queries."""
    answers = "responses__answers__rating"
    rows = (queryset.order_by().values("org_id", "org__name", "org__path")
            .annotate(n_s=Count("responses__answers", filter=Q(**{answers: "satisfied"})),
                      n_b=Count("responses__answers", filter=Q(**{answers: "basically_satisfied"})),
                      n_d=Count("responses__answers", filter=Q(**{answers: "dissatisfied"})))
            .order_by("org__path"))
    counts = {r["org_id"]: r for r in queryset.order_by().values("org_id").annotate(
        n=Count("pk", distinct=True), responses=Sum("response_count"))}
    return [OrgResult(r["org__name"], r["n_s"], r["n_b"], r["n_d"], surveys=counts[r["org_id"]]["n"],
                      responses=counts[r["org_id"]]["responses"] or 0) for r in rows]

