"""Pages of the problem list and the rectification ledger. Thin: every write is a call to
:mod:`.services`; every queryset is scoped (others' objects are 404, writes without the
"change"/"review" action are 403). Import and export pages are in :mod:`.views_io`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from taizhang.core.generic import ObjectDetailView, ObjectEditView, ObjectListView
from taizhang.core.scoping import CHANGE, REVIEW, VIEW, can
from taizhang.core.status import IllegalTransition
from taizhang.core.views_mixins import ScopedQuerysetMixin
from taizhang.orgs.units import default_root

from . import services
from .filtersets import LedgerFilterSet, ProblemFilterSet
from .forms import CompleteForm, ExtensionForm, MeasureForm, ProblemForm, TransitionForm, UpdateForm
from .ledger import (
    LEDGER_RELATED,
    group_rows,
    ledger_queryset,
    problems_before,
)
from .ledgercache import first_page, ledger_figures, read_stamp
from .models import (
    ExtensionRequest,
    ExtensionStatus,
    Problem,
    ProblemLevel,
    ProblemListReview,
    ProgressUpdate,
    Rectification,
    RectificationStatus,
)
from .rollup import unit_rollup
from .tables import ProblemTable


class LedgerView(ScopedQuerysetMixin, FilterView):
    """整改台账: one row per measure, problem cells spanning its measures, overdue first;
    filters, counts by status, closure rate. Constant number of queries at any size."""

    model = Rectification
    filterset_class = LedgerFilterSet
    template_name = "rectification/ledger.html"
    paginate_by = 50

    def paginate_queryset(self, queryset, page_size):
        """Page through the ids in ledger order (a narrow sort over the filtered set), then
        load only the page's rows with their problems: sorting 100,000 whole rows with their
        texts costs ten times more (benchmarks/bench_rectification.py). The first page is
        read without ordering the whole set (``ledger.first_page_ids``); the paginator's
        count is the status counts' total, computed with the roll-up's counts and kept
        until something changes (``ledgercache.ledger_figures``; issue 14)."""
        self.today = timezone.localdate()
        user, filterset = self.request.user, self.filterset
        filters = dict(filterset.form.cleaned_data) if filterset.is_valid() else {"invalid": True}
        self.root = _rollup_root(user, filterset)
        problems, measures = Problem.objects.visible_to(user), Rectification.objects.visible_to(user)
        stamp = read_stamp()
        self.counts, self.counted = ledger_figures(queryset, user, self.root, filters, self.today, problems,
                                                   measures, stamp=stamp)
        ids = ledger_queryset(queryset, self.today).values_list("pk", flat=True)
        paginator, page, page_ids, is_paginated = super().paginate_queryset(ids, page_size)
        first = first_page(queryset, user, self.root, filters, self.today, page_size,
                           stamp=stamp) if page.number == 1 else None
        page_ids = list(page_ids) if first is None else first
        loaded = Rectification.objects.select_related(*LEDGER_RELATED).in_bulk(page_ids)
        return paginator, page, [loaded[pk] for pk in page_ids], is_paginated

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        """The paginator with its count taken from :attr:`counts` (no COUNT query of its own)."""
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        paginator.__dict__["count"] = self.counts["total"]  # Paginator.count is a cached_property
        return paginator

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = self.today
        amber = services.amber_until(today)
        rows = ctx["object_list"]
        for rect in rows:
            rect.colour = rect.rag(today, amber)
        page = ctx.get("page_obj")
        offset = page.start_index() - 1 if page is not None and rows else 0
        before, carried = problems_before(
            ledger_queryset(self.object_list, today).values_list("problem_id", flat=True), offset)
        ctx.update(
            rows=group_rows(rows, before, carried),
            counts=self.counts,
            statuses=RectificationStatus.choices,
            query_string=self.request.GET.urlencode(),
            can_add=_orgs_changeable(self.request.user),
            today=today,
            rollup=None if self.root is None else unit_rollup(self.root, counted=self.counted),
            review_unit=_review_unit(self.request.user),
        )
        return ctx


def _rollup_root(user, filterset):
    """The organization rolled up per unit: the ``?org=`` filter's, else the user's topmost."""
    root = filterset.form.cleaned_data.get("org") if filterset.is_valid() else None
    return root or default_root(user)


def _rollup(user, filterset, today=None):
    """Per-unit figures for a superior (``rollup.unit_rollup``) of the ``?org=`` filter's
    organization, else of the user's topmost one; ``None`` without units (issue 12 §1)."""
    root = _rollup_root(user, filterset)
    return root and unit_rollup(root, Problem.objects.visible_to(user), Rectification.objects.visible_to(user), today)


def _review_unit(user):
    """The user's own unit committee when it has a superior (its list is reviewed), else None."""
    from taizhang.orgs.models import OrgKind

    root = default_root(user)
    return root if root is not None and root.kind == OrgKind.COMMITTEE and root.depth > 1 else None


def _orgs_changeable(user) -> bool:
    from taizhang.orgs.models import Organization

    return Organization.objects.restrict(user, CHANGE).exists()


class ProblemListView(ObjectListView):
    """问题清单: problems with their number of measures and of closed measures."""

    model = Problem
    table_class = ProblemTable
    filterset_class = ProblemFilterSet
    add_url_name = "rectification:problem_add"
    title = gettext_lazy("问题清单")
    template_name = "rectification/problem_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "source").annotate(
            measure_count=Count("measures"),
            closed_count=Count("measures", filter=Q(measures__status=RectificationStatus.CLOSED)),
        ).order_by("org__path", "number")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rollup"] = _rollup(self.request.user, self.filterset)
        return ctx


def _source_record(request):
    """The record named by ``?source=<content type id>-<object id>``, loaded through its
    model's scoped manager (404 when unknown or not visible), or None."""
    value = request.GET.get("source") or request.POST.get("source_ref") or ""
    if not value:
        return None
    try:
        ct_id, obj_id = (int(part) for part in value.split("-", 1))
    except ValueError:
        raise Http404 from None
    content_type = get_object_or_404(ContentType, pk=ct_id)
    model = content_type.model_class()
    if model is None or not hasattr(model.objects, "restrict"):
        raise Http404
    return get_object_or_404(model.objects.restrict(request.user, VIEW), pk=obj_id)


def prefill_from(record) -> dict:
    """Initial problem fields from a record: its ``problem_prefill()`` when it has one
    (records app contract: description, found_on, source, level), else its text and date."""
    if hasattr(record, "problem_prefill"):
        data = dict(record.problem_prefill() or {})
    else:
        data = {"description": str(record), "found_on": getattr(record, "date", None)}
    initial = {k: v for k, v in data.items() if k in {"description", "found_on", "level", "category", "found_by"}}
    if initial.get("level") not in ProblemLevel.values:
        initial.pop("level", None)
    source = services.source_named(data.get("source") or "") if data.get("source") else None
    if source is not None:
        initial["source"] = source.pk
    org = getattr(record, "org", None)
    if org is not None:
        initial["org"] = org.pk
    return initial


class ProblemEditView(ObjectEditView):
    """Add (optionally from a record: ``?source=<ct>-<id>``) or edit a problem."""

    model = Problem
    form_class = ProblemForm
    template_name = "rectification/problem_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.record = None
        if request.user.is_authenticated and "pk" not in kwargs:
            self.record = _source_record(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["similar_url"] = reverse("rectification:problem_similar")
        return kwargs

    def get_initial(self):
        return prefill_from(self.record) if self.record is not None else {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["record"] = self.record
        if self.record is not None:
            ct = ContentType.objects.get_for_model(self.record)
            ctx["source_ref"] = f"{ct.pk}-{self.record.pk}"
        return ctx

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "org"}
        if self.object is not None:
            return services.update_problem(self.object, self.request.user, **data)
        return services.create_problem(org=form.cleaned_data["org"], user=self.request.user,
                                       source_record=self.record, **data)


@login_required
def problem_similar(request):
    """htmx fragment: open problems of the chosen organization close to the typed text."""
    from taizhang.orgs.models import Organization

    org = Organization.objects.visible_to(request.user).filter(pk=request.GET.get("org") or 0).first()
    text = request.GET.get("description", "")
    similar = services.similar_open_problems(org, text, limit=5) if org and len(text) >= 6 else []
    return render(request, "rectification/includes/similar.html", {"similar": similar})


class ProblemDetailView(ObjectDetailView):
    """One problem: its facts, source record, measures with colours, history."""

    model = Problem
    template_name = "rectification/problem_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "source", "source_content_type")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        amber = services.amber_until(today)
        measures = list(self.object.measures.all())
        for m in measures:
            m.colour = m.rag(today, amber)
        record = None
        if self.object.source_content_type_id:
            model = self.object.source_content_type.model_class()
            if model is not None and hasattr(model.objects, "restrict"):
                record = model.objects.restrict(self.request.user, VIEW).filter(
                    pk=self.object.source_object_id).first()
        ctx.update(measures=measures, record=record, no_measure=not measures)
        return ctx


class MeasureEditView(ObjectEditView):
    """Add a measure to a problem (``problem_pk``) or edit one (``pk``) under optimistic
    locking: a stale save is refused, the form keeps what the user typed."""

    model = Rectification
    form_class = MeasureForm
    template_name = "rectification/measure_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.problem = None
        if "problem_pk" in kwargs and request.user.is_authenticated:
            self.problem = get_object_or_404(Problem.objects.visible_to(request.user), pk=kwargs["problem_pk"])
            if not can(request.user, CHANGE, self.problem.org):
                raise PermissionDenied(_("您无权修改该问题。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self._refuse_closed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refuse_closed() or super().post(request, *args, **kwargs)

    def _refuse_closed(self):
        """A closed measure is not edited (reopen it first, with a reason): back to its page
        with the message, nothing written."""
        if self.object is not None and self.object.status == RectificationStatus.CLOSED:
            messages.error(self.request, services.CLOSED_EDIT_MESSAGE)
            return redirect(self.object)
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["problem"] = self.problem or (self.object.problem if self.object else None)
        return ctx

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if self.object is None:
            return services.add_measure(self.problem, self.request.user, **data)
        if form.fields["deadline"].disabled:
            data.pop("deadline", None)
        return services.update_measure(self.object, self.request.user,
                                       version=form.cleaned_data.get("version"), **data)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.StaleEdit as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form, current=exc.current))
        except services.RectificationError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form))


class MeasureDetailView(ObjectDetailView):
    """One measure: facts, colour, rolling updates, the actions the user may take now,
    extension requests, attachments and the history of moves."""

    model = Rectification
    template_name = "rectification/measure_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("problem__source", "org", "department_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rect, user = self.object, self.request.user
        today = timezone.localdate()
        rect.colour = rect.rag(today, services.amber_until(today))
        can_review = can(user, REVIEW, rect.org)
        allowed = {name for name, action in services.TRANSITION_ACTIONS.items()
                   if (action == REVIEW and can_review) or (action == CHANGE and ctx["can_change"])}
        available = [t.name for t in rect.get_available_status_transitions()]
        ctx.update(
            updates=rect.updates.select_related("author").order_by("-reported_on", "-pk"),
            update_form=UpdateForm(initial={"reported_on": today}),
            complete_form=CompleteForm(auto_id="c_%s", initial={"version": rect.version,
                                                "completion_note": rect.completion_note,
                                                "evidence": rect.evidence}),
            transition_form=TransitionForm(auto_id="t_%s", initial={"version": rect.version}),
            extension_form=ExtensionForm(auto_id="e_%s"),
            actions=[(n, services.TRANSITION_LABELS[n]) for n in available if n in allowed and n != "complete"],
            # Four eyes (issue 12 §4): verify / close shown disabled to the claimant, with the reason.
            blocked={n: services.four_eyes_reason(rect, user, n) for n in available
                     if n in allowed and n in services.FOUR_EYES_MOVES},
            can_complete="complete" in available and "complete" in allowed,
            can_review=can_review,
            extensions=rect.extensions.select_related("requested_by", "decided_by"),
            pending_extension=rect.extensions.filter(status=ExtensionStatus.PENDING).first(),
            update_content_type=ContentType.objects.get_for_model(ProgressUpdate).pk,
        )
        return ctx


def _measure_for(request, pk, action=CHANGE):
    rect = get_object_or_404(Rectification.objects.visible_to(request.user), pk=pk)
    if not can(request.user, action, rect.org):
        raise PermissionDenied(_("您无权办理该整改措施。"))
    return rect


@require_POST
@login_required
def update_add(request, pk):
    """Add a rolling progress update (with an optional file) to a measure."""
    rect = _measure_for(request, pk)
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_update(rect, request.user, reported_on=data["reported_on"], done=data["done"],
                                difficulties=data["difficulties"], next_step=data["next_step"],
                                help_needed=data["help_needed"], files=[data["file"]] if data["file"] else [])
            messages.success(request, _("已填报整改进展。"))
        except (services.RectificationError, IllegalTransition) as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("整改进展未保存：") + "；".join(
            f"{form.fields[f].label}{'：' + e[0] if e else ''}" for f, e in form.errors.items()))
    return redirect(rect)


@require_POST
@login_required
def measure_transition(request, pk, name):
    """Move a measure (start / complete / verify / close / return / reopen); refused moves
    come back as a message, nothing written."""
    if name not in services.TRANSITION_ACTIONS:
        raise Http404
    rect = _measure_for(request, pk, services.TRANSITION_ACTIONS[name])
    form = (CompleteForm if name == "complete" else TransitionForm)(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请填写完成情况。") if name == "complete" else _("提交的内容有误。"))
        return redirect(rect)
    data = form.cleaned_data
    extra = {}
    if name == "complete":
        extra = {"completion_note": data["completion_note"], "evidence": data["evidence"],
                 "files": [data["file"]] if data.get("file") else []}
    try:
        services.move(rect, name, request.user, data.get("comment", ""), version=data.get("version"), **extra)
        messages.success(request, _("已%(label)s。") % {"label": services.TRANSITION_LABELS[name]})
    except (services.RectificationError, IllegalTransition) as exc:
        messages.error(request, str(exc))
    return redirect(rect)


@require_POST
@login_required
def extension_request(request, pk):
    """Ask for a later deadline, with a reason."""
    rect = _measure_for(request, pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.request_extension(rect, request.user, **form.cleaned_data)
            messages.success(request, _("延期申请已提交，待党委审批。"))
        except services.RectificationError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("请填写新的时限和延期理由。"))
    return redirect(rect)


@require_POST
@login_required
def extension_decide(request, pk):
    """Approve or reject an extension request (the committee)."""
    ext = get_object_or_404(ExtensionRequest.objects.visible_to(request.user).select_related(
        "rectification__org"), pk=pk)
    if not can(request.user, REVIEW, ext.rectification.org):
        raise PermissionDenied(_("只有党委的审核人员可以审批延期申请。"))
    try:
        services.decide_extension(ext, request.user, approve="approve" in request.POST,
                                  comment=request.POST.get("comment", ""))
        messages.success(request, _("已审批延期申请。"))
    except IllegalTransition as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(ext.get_absolute_url())


def problems_with_measures(queryset):
    """Problems prefetched with their measures (for the dossier)."""
    return queryset.prefetch_related(Prefetch("measures", queryset=Rectification.objects.order_by("position")))


def measure_events(measures) -> dict:
    """{measure id: [events]} for a problem's measures, one query."""
    from taizhang.core.models import Event

    ct = ContentType.objects.get_for_model(Rectification)
    out: dict = {}
    for ev in Event.objects.filter(content_type=ct, object_id__in=[m.pk for m in measures]).select_related("actor"):
        out.setdefault(ev.object_id, []).append(ev)
    return out



@login_required
def list_review(request, org_pk):
    """审核把关 of a unit's leadership-team problem list (issue 12 §1, seed 四.2): the
    problems, every round of submissions and decisions, and the form the user may use —
    submit (the unit's office), approve / return with comments (the superior's office).
    The unit must be visible (404); a refused write is 403 (``listreview``)."""
    from taizhang.orgs.models import Organization

    from . import listreview

    unit = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")
        try:
            if action == "submit":
                listreview.submit(unit, actor=request.user, comment=comment)
            else:
                listreview.review(unit, action, actor=request.user, comment=comment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已保存。"))
        return redirect("rectification:list_review", org_pk=unit.pk)
    state = listreview.status(unit)
    return render(request, "rectification/list_review.html", {
        "unit": unit, "status": state, "status_label": listreview.STATUS_LABELS[state],
        "superior": listreview.superior(unit),
        "problems": Problem.objects.filter(org=unit, level=ProblemLevel.LEADERSHIP).order_by("number"),
        "steps": ProblemListReview.objects.filter(org=unit).select_related("actor").order_by("created_at", "pk"),
        "can_submit": state in ("", "returned", "changed") and listreview.may_submit(request.user, unit),
        "can_review": state == "submitted" and listreview.may_review(request.user, unit),
    })
