"""``{% related_problems record %}``: the problems raised from a record (research visit,
suggestion, talk, meeting …) with a "发现问题" button; the other half of the two-way link
(issue 4 §1). Needs ``request`` in the template context."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse

from taizhang.core.scoping import CHANGE, can
from taizhang.core.status import org_of

from ..models import Problem, RectificationStatus

register = template.Library()


@register.inclusion_tag("rectification/includes/related_problems.html", takes_context=True)
def related_problems(context, record):
    """Problems linked to ``record`` that the user may see, and the link to raise a new one
    pre-filled from it (shown when the user may change data of the record's organization)."""
    user = context["request"].user
    content_type = ContentType.objects.get_for_model(record)
    problems = Problem.objects.visible_to(user).filter(
        source_content_type=content_type, source_object_id=record.pk
    ).select_related("source").annotate(
        measure_count=Count("measures"),
        closed_count=Count("measures", filter=Q(measures__status=RectificationStatus.CLOSED)),
    ).order_by("pk")
    try:
        org = org_of(record)
    except AttributeError:
        org = None
    return {
        "problems": problems,
        "can_add": org is not None and can(user, CHANGE, org),
        "add_url": f"{reverse('rectification:problem_add')}?source={content_type.pk}-{record.pk}",
    }
