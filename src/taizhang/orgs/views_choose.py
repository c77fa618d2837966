"""The choosers' endpoints (``orgs:choose``, ``orgs:choose_members``): the search boxes of
the organization and member fields at scale (``orgs.fields``, ``core.widgets.ChooserSelect``,
issue 14)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from taizhang.core.scoping import VIEW
from taizhang.core.widgets import CHOOSER_RESULTS, render_options

from .fields import ACTIONS, MEMBER_LABELS, ORG_LABELS, member_label, org_label, pickable_members
from .models import Organization, OrgKind


def _search_text(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:100]


def _answer(request, rows: list[dict], kept: list[dict], nothing: str):
    """``<option>`` elements (the kept ones selected, then the matches) to an htmx request,
    else JSON ``{"results": rows}``."""
    if request.headers.get("HX-Request") == "true":
        kept_ids = {str(r["id"]) for r in kept}
        empty = [] if request.GET.get("multiple") else [("", "---------")]
        choices = empty + [(r["id"], r["text"]) for r in kept] + [
            (r["id"], r["text"]) for r in rows if str(r["id"]) not in kept_ids]
        html = render_options(choices, kept_ids)
        if not rows:
            html += format_html('<option value="" disabled>{}</option>', nothing)
        return HttpResponse(html)
    return JsonResponse({"results": rows}, json_dumps_params={"ensure_ascii": False})


def _kept_ids(request) -> list[int]:
    """The chosen values a chooser sends along (``?keep=NAME&NAME=1&NAME=2``)."""
    name = request.GET.get("keep")
    if not name or name in ("q", "keep", "kind", "action", "show", "multiple"):
        return []
    return [int(v) for v in request.GET.getlist(name)[:200] if v.isdigit() and len(v) < 12]


@login_required
@require_GET
def choose(request):
    """``GET /orgs/choose/?q=TEXT[&kind=branch…][&action=change][&show=kind][&keep=NAME&NAME=ID]``: up to 20
    organizations the user may see (or may ``action``) whose name or code contains ``q``
    (all of them, in tree order, without ``q``), optionally of the given kinds, labelled
    "name（code）" (or "name（kind）"). The search box of ``core.widgets.ChooserSelect`` (an
    htmx request) gets ``<option>`` elements to put into its select; anything else gets
    JSON ``{"results": [{"id", "name", "code", "text"}]}``. The chosen organization a
    chooser sends along (``keep``) comes first, still selected, if in scope. Scoped like
    every page: another unit's organizations never appear."""
    action = request.GET.get("action") if request.GET.get("action") in ACTIONS else VIEW
    show = request.GET.get("show") if request.GET.get("show") in ORG_LABELS else "code"
    orgs = Organization.objects.restrict(request.user, action)
    kinds = [k for k in request.GET.getlist("kind") if k in OrgKind.values]
    if kinds:
        orgs = orgs.filter(kind__in=kinds)
    text = _search_text(request)
    if text:
        orgs = orgs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    def row(o):
        return {"id": o.pk, "name": o.name, "code": o.code, "text": org_label(o, show)}

    kept_ids = _kept_ids(request)
    scoped = Organization.objects.restrict(request.user, action)
    kept = [row(o) for o in scoped.filter(pk__in=kept_ids).only("pk", "name", "code", "kind")] if kept_ids else []
    rows = [row(o) for o in orgs.only("pk", "name", "code", "kind")[:CHOOSER_RESULTS]]
    return _answer(request, rows, kept, _("没有匹配的组织"))


@login_required
@require_GET
def choose_members(request):
    """``GET /orgs/choose/members/?q=TEXT[&action=change][&show=status][&keep=NAME&NAME=ID…]``: up to 20
    active members the user may pick (``orgs.fields.pickable_members``: the members he may
    see and the leaders of teams he may see; with ``action``, the members of organizations
    where he may do it) whose name contains ``q``, labelled "name（branch）" (or "name（branch，status）"). A multiple
    chooser sends its chosen ids along: they come first, still selected (only those in
    scope). htmx gets ``<option>`` elements, anything else JSON ``{"results": [{"id",
    "name", "org", "text"}]}``."""
    action = request.GET.get("action") if request.GET.get("action") in ACTIONS else VIEW
    show = request.GET.get("show") if request.GET.get("show") in MEMBER_LABELS else "org"
    people = pickable_members(request.user, action)
    text = _search_text(request)
    matches = people.filter(name__icontains=text) if text else people
    kept_ids = _kept_ids(request)
    kept = list(people.filter(pk__in=kept_ids)) if kept_ids else []

    def row(m):
        return {"id": m.pk, "name": m.name, "org": m.org.name, "text": member_label(m, show)}

    rows = [row(m) for m in matches[:CHOOSER_RESULTS]]
    return _answer(request, rows, [row(m) for m in kept], _("没有匹配的党员"))
