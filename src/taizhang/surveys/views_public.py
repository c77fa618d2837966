"""The respondents' page: a one-time link answers a survey without login (issue 10 §5).

Nothing about the client is stored: no name, IP address or user agent. A flood of
requests is refused (429) by a per-address counter in the cache only (key: a keyed hash
of the address, expiring after a minute; never written to the database or a log).
Refusals answer with a Chinese message: unknown link 404, used link 410, closed survey
403, too many requests 429.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import services
from .models import Rating

#: Requests per address and minute before 429 (a respondent needs two: open, submit).
RATE_LIMIT = 30


def _limited(request) -> bool:
    """Count this request for its address; True when over :data:`RATE_LIMIT` this minute."""
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:24]
    key = f"surveys:rate:{digest}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > RATE_LIMIT


def _refused(request, message: str, status: int):
    return render(request, "surveys/refused.html", {"message": message}, status=status)


@never_cache
@csrf_protect
def answer(request, token: str):
    """GET: the survey form of an unused ``token``; POST: submit it (ratings ``item-<id>``,
    ``opinion``), then a thank-you page. Refusals as in the module docstring."""
    if _limited(request):
        return _refused(request, "请求过于频繁，请稍后再试。", 429)
    try:
        survey = services.token_survey(token)
        if not survey.is_open():
            raise services.SurveyClosed
    except services.SurveyRefused as exc:
        return _refused(request, exc.message, exc.status)
    items = list(survey.items.all())
    error = None
    chosen = {}
    if request.method == "POST":
        chosen = {i.pk: request.POST.get(f"item-{i.pk}", "") for i in items}
        try:
            services.submit(token, chosen, request.POST.get("opinion", "")[:2000])
        except services.SurveyRefused as exc:
            return _refused(request, exc.message, exc.status)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            return render(request, "surveys/thanks.html", {"survey": survey})
    rows = [(i, [(value, label, chosen.get(i.pk) == value) for value, label in Rating.choices]) for i in items]
    return render(request, "surveys/answer.html", {"survey": survey, "rows": rows, "error": error,
                                                   "opinion": request.POST.get("opinion", "")},
                  status=400 if error else 200)
