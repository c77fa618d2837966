"""The masses' satisfaction survey (群众满意度测评; seed 四.2, 二.5; issue 10 §5).

The office of an organization writes a :class:`Survey` for a period with its items
(:class:`SurveyItem`) and prints a batch of one-time links (:class:`SurveyToken`). A
respondent is not a user: a token answers once, from a phone, without logging in.

Anonymity by construction: a :class:`SurveyResponse` holds no reference to the token that
submitted it, no name, no IP address, no user agent; the token keeps only the *day* it was
used and the response only the *day* it was submitted (no times), so a printed link cannot
be matched with its answers by a timestamp either.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import OrgScopedModel


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Survey(OrgScopedModel):
    """A satisfaction survey of ``org`` open from ``start`` to ``end`` (dates, inclusive),
    for ``campaign`` (optional). ``response_count`` is kept by the submit service (the plan
    counts surveys with at least one response: evidence code ``survey``)."""

    campaign = models.ForeignKey("plans.Campaign", verbose_name=_("主题教育"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    title = models.CharField(_("测评名称"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("截止日期"))
    response_count = models.PositiveIntegerField(_("答卷数"), default=0, editable=False)

    class Meta:
        verbose_name = _("群众满意度测评")
        verbose_name_plural = _("群众满意度测评")
        ordering = ["org__path", "-start", "pk"]
        indexes = [models.Index(fields=["org", "start"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey_detail", args=[self.pk])

    def is_open(self, day=None) -> bool:
        """Whether answers are accepted on ``day`` (default today): start ≤ day ≤ end."""
        day = day or timezone.localdate()
        return self.start <= day <= self.end


class SurveyItem(models.Model):
    """One item of a survey (``text``, rated 满意 / 基本满意 / 不满意), shown by ``order``."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("测评项目"), max_length=300)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return self.text


def new_token() -> str:
    """A fresh unguessable token (``secrets.token_urlsafe``, 22 characters)."""
    return secrets.token_urlsafe(16)


class SurveyToken(models.Model):
    """A one-time link of ``survey``; ``used_on`` is the day it answered (None: unused).
    Deliberately not linked to the response it produced."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    used_on = models.DateField(_("使用日期"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "pk"]

    def __str__(self):
        return self.token


class SurveyResponse(models.Model):
    """One anonymous answer sheet of ``survey``: the day it was submitted and the free
    ``opinion``; ``problem`` is the problem-list entry the office made of the opinion."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("提交日期"))
    opinion = models.TextField(_("意见建议"), blank=True)
    problem = models.ForeignKey("rectification.Problem", verbose_name=_("转为问题"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["survey", "pk"]


class SurveyAnswer(models.Model):
    """The ``rating`` given to ``item`` in ``response``."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="answers")
    rating = models.CharField(_("评价"), max_length=30, choices=Rating.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="surveys_one_answer_per_item")]
