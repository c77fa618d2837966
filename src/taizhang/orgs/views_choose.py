"""The organization chooser's endpoint (``orgs:choose``): the search box of a city's
organization filters (``core.widgets.ChooserSelect``, issue 14)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from taizhang.core.widgets import CHOOSER_RESULTS, render_options

from .models import Organization, OrgKind


@login_required
@require_GET
def choose(request):
    """``GET /orgs/choose/?q=TEXT[&kind=branch…]``: up to 20 organizations the user may see
    whose name or code contains ``q`` (all of them, in tree order, without ``q``), optionally
    of the given kinds. The search box of ``core.widgets.ChooserSelect`` (an htmx request)
    gets ``<option>`` elements to put into its select; anything else gets JSON
    ``{"results": [{"id", "name", "code", "text"}]}``. Scoped like every page
    (``visible_to``): another unit's organizations never appear."""
    text = " ".join(request.GET.get("q", "").split())[:100]
    orgs = Organization.objects.visible_to(request.user)
    kinds = [k for k in request.GET.getlist("kind") if k in OrgKind.values]
    if kinds:
        orgs = orgs.filter(kind__in=kinds)
    if text:
        orgs = orgs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    rows = [{"id": o.pk, "name": o.name, "code": o.code, "text": f"{o.name}（{o.code}）"}
            for o in orgs.only("pk", "name", "code")[:CHOOSER_RESULTS]]
    if request.headers.get("HX-Request") == "true":
        choices = [("", "---------")] + [(r["id"], r["text"]) for r in rows]
        html = render_options(choices, set())
        if not rows:
            html += format_html('<option value="" disabled>{}</option>', _("没有匹配的组织"))
        return HttpResponse(html)
    return JsonResponse({"results": rows}, json_dumps_params={"ensure_ascii": False})
