"""Pages of the plans app: import a task list, preview and confirm it, the plan, publish,
the progress board and assignments. Every queryset goes through the scoping mechanism."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django.views.decorators.http import require_POST

from taizhang.core.excel import Column, xlsx_response
from taizhang.core.badinput import issue_form_token
from taizhang.core.generic import LOADED_AT_FIELD, DoubleSubmit, StaleObject, loaded_version, refuse_if_stale
from taizhang.core.onetime import OneTimePost
from taizhang.core.scoping import MANAGE, can, scope_paths
from taizhang.core.uploads import PendingUploads, kept_name
from taizhang.core.views_mixins import ScopedQuerysetMixin

from . import services
from .board import STATUS_LABELS, build_board, owing_by_org
from .boardcache import cached_board_page
from .coverage import plan_coverage
from .dashboard import completion
from .forms import CampaignForm, DraftEditForm, PlanUploadForm, TableLayoutForm
from .importer import parse_file
from .preview import page_number, paginate
from .importer.model import DocumentError
from .levels import derivable_orgs
from .publishing import notice_text, preview
from .models import (
    Assignment,
    Campaign,
    ItemKind,
    PlanImport,
    PlanImportStatus,
    PlanItem,
    Responsible,
)


class CampaignListView(ScopedQuerysetMixin, ListView):
    """Campaigns of the organizations the user can see."""

    model = Campaign
    template_name = "plans/campaign_list.html"
    context_object_name = "campaigns"

    def get_queryset(self):
        return super().get_queryset().select_related("org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_import"] = scope_paths(self.request.user, MANAGE) != []
        return ctx


def _tree(items: list[PlanItem]) -> list[dict]:
    """Nest a plan's items (already ordered) as [{"item", "children": [...]}]."""
    nodes = {item.pk: {"item": item, "children": []} for item in items}
    roots = []
    for item in items:
        (nodes[item.parent_id]["children"] if item.parent_id else roots).append(nodes[item.pk])
    return roots


class CampaignDetailView(ScopedQuerysetMixin, DetailView):
    """The plan as a tree with deadlines, recurrence, responsible level and evidence kind,
    each assignable task marked 由记录完成 or 需报送材料, and the coverage summary
    (``plans.coverage``, issue 9 §4); the plan it was derived from and its review, the units'
    plans derived from it, and for a unit's office the button to derive its own (issue 12 §1)."""

    model = Campaign
    template_name = "plans/campaign_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object.plan
        items = list(plan.items.prefetch_related("rules").order_by("line_first", "position"))
        coverage = plan_coverage(plan, items)
        by_records = {t.item.pk: t.by_records for t in coverage.tasks}
        for item in items:
            item.by_records = by_records.get(item.pk)  # None: not an assignable task
        ctx.update(
            plan=plan,
            coverage=coverage,
            tree=_tree(items),
            can_manage=can(self.request.user, MANAGE, self.object.org),
            task_count=coverage.total,  # assigned tasks, as the coverage line counts them
            assignment_count=Assignment.objects.filter(item__plan=plan).count(),
            derivable_orgs=derivable_orgs(self.object, self.request.user),
            derived_plans=self.object.derived.visible_to(self.request.user).select_related("org"),
            form_token=issue_form_token(),  # the derive form's (views_levels.derive)
        )
        return ctx


MAX_DIAGNOSTICS_SHOWN = 500
MAX_SECTIONS_SHOWN = 300  # a huge document's diagnostics must not make a huge page
PLAN_UPLOADS = "plan-uploads"  # folder under MEDIA_ROOT of a plan file while it is parsed


@login_required
def import_upload(request):
    """Upload a task-list document → parse it → a pending import shown as a preview.

    A table's file is kept with the pending import (``draft["upload"]``) so that the preview
    can read it again with the user's sheet and column roles (:func:`import_layout`); so is
    a workbook whose header names nothing the importer knows: its preview has no items yet
    and asks for the roles. Every other file is dropped once parsed.
    Refused (403, with the reason) to a user who manages no committee or general branch:
    the page would offer no organization to import into."""
    if not PlanUploadForm.organizations(request.user).exists():
        raise PermissionDenied(_("只有党委（党总支）的管理人员可以导入任务清单。"))
    once = OneTimePost(request)
    if replay := once.replayed():
        return replay
    form = PlanUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Kept under the user's own name (the importer's messages name the file) by the
        # pending-upload store every import shares.
        pending = PendingUploads(PLAN_UPLOADS)
        name = kept_name(upload.name)
        token = pending.store(upload, name)
        try:
            data = services.draft_to_dict(parse_file(pending.path(token, name)))
        except DocumentError as exc:
            layout = getattr(exc, "layout", None)
            if not layout or len(layout.get("columns") or []) < 2:
                pending.discard(token)
                form.add_error("file", str(exc))
                return render(request, "plans/import_upload.html", {"form": form, "form_token": once.token()})
            data = unread_table_draft(name, str(exc), layout)
        if data.get("layout"):
            data["upload"] = {"token": token, "name": name}
        else:
            pending.discard(token)
        try:
            with transaction.atomic():
                plan_import = services.create_import(
                    {"org": form.cleaned_data["org"], "source_name": upload.name, "draft": data},
                    actor=request.user)
                once.consume(plan_import.get_absolute_url())
        except DoubleSubmit as exc:  # a concurrent replay made the import: drop this file
            if data.get("upload"):
                pending.discard(token)
            return once.redirect(exc.url)
        return redirect(plan_import)
    return render(request, "plans/import_upload.html", {"form": form, "form_token": once.token()})


def unread_table_draft(name: str, message: str, layout: dict) -> dict:
    """The draft of a workbook whose table was not recognised: no items, the importer's
    message and a request to pick the columns' roles, and the ``layout`` to pick them in."""
    return {"title": name.rsplit(".", 1)[0], "preamble": "", "period": {"start": None, "end": None},
            "items": [], "year_needed": False, "layout": layout,
            "diagnostics": [{"line": None, "level": "error", "message": message},
                            {"line": layout.get("header_row"), "level": "warning",
                             "message": _("没有识别出表头各列的含义：请在“表格的读取”中为各列选择用途，然后重新读取。")}]}


@require_POST
@login_required
def import_layout(request, pk):
    """Read the kept upload of a pending import again with the sheet and column roles the
    user picked (``TableLayoutForm``) and show the new preview; a bad choice or a file that
    does not fit it leaves the draft as it was and says why."""
    plan_import = get_object_or_404(PlanImport.objects.restrict(request.user, MANAGE), pk=pk)
    if plan_import.status != PlanImportStatus.PENDING:
        return _already_handled(request, plan_import)
    draft = plan_import.draft
    kept = draft.get("upload") or {}
    form = TableLayoutForm(request.POST, layout=draft.get("layout") or {})
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}：{' '.join(errors)}")
        return redirect(plan_import)
    try:
        path = PendingUploads(PLAN_UPLOADS).path(kept.get("token", ""), kept.get("name", ""))
    except ValueError:
        path = None
    if path is None or not path.is_file():
        messages.error(request, _("上传的文件已不在服务器上（超过保留期限），请重新上传。"))
        return redirect(plan_import)
    overrides = form.overrides()
    try:
        data = services.draft_to_dict(parse_file(path, **overrides))
    except DocumentError as exc:
        layout = getattr(exc, "layout", None)
        if overrides["columns"] is not None or not layout:
            messages.error(request, str(exc))
            return redirect(plan_import)
        data = unread_table_draft(kept["name"], str(exc), layout)  # another sheet, its header unknown
    data["upload"] = kept
    data["layout"] = data.get("layout") or draft["layout"]
    data["layout"]["picked"] = overrides["sheet"] is not None or bool(draft["layout"].get("picked"))
    try:
        services.replace_draft(plan_import, data, actor=request.user)
    except ValueError:
        plan_import.refresh_from_db()
        return _already_handled(request, plan_import)
    messages.success(request, _("已按所选重新读取。"))
    return redirect(plan_import)


@login_required
def import_preview(request, pk):
    """The parsed tree with diagnostics, editable; "confirm" creates the campaign."""
    plan_import = get_object_or_404(PlanImport.objects.restrict(request.user, MANAGE), pk=pk)
    if plan_import.status != PlanImportStatus.PENDING:
        # A second tab (or a double click) on an import that was already handled.
        return _already_handled(request, plan_import)
    pages, sections = paginate(plan_import.draft)
    page = pages[page_number(request.POST.get("page") or request.GET.get("page"), pages) - 1]
    form = DraftEditForm(request.POST or None, draft=plan_import.draft,
                         keys=page.keys if len(pages) > 1 else None)
    if request.method == "POST":
        if "cancel" in request.POST:
            try:
                services.cancel_import(plan_import, actor=request.user)
            except ValueError:  # confirmed or cancelled meanwhile in another tab
                plan_import.refresh_from_db()
                return _already_handled(request, plan_import)
            _drop_kept_upload(plan_import.draft)
            messages.info(request, _("已取消导入。"))
            return redirect("plans:campaign_list")
        if "confirm" in request.POST and not plan_import.draft.get("items"):
            messages.error(request, _("没有可导入的条目：请先在“表格的读取”中为各列选择用途并重新读取。"))
            return redirect(plan_import)
        if form.is_valid():
            plan_import.draft = form.apply()
            plan_import.save(update_fields=["draft", "updated_at"])
            if "goto" in request.POST:  # a long preview: this page's edits kept, another page shown
                target = page_number(request.POST.get("goto"), pages)
                return redirect(f"{plan_import.get_absolute_url()}?page={target}")
            try:
                campaign = services.confirm_import(plan_import, user=request.user)
            except ValueError:
                # Confirmed meanwhile by a parallel request: show what it created.
                plan_import.refresh_from_db()
                return _already_handled(request, plan_import)
            _drop_kept_upload(plan_import.draft)
            messages.success(request, _("任务清单已导入，请核对后发布。"))
            return redirect(campaign)
    return render(request, "plans/import_preview.html", {
        "plan_import": plan_import, "form": form, "draft": plan_import.draft,
        "diagnostics": (plan_import.draft.get("diagnostics") or [])[:MAX_DIAGNOSTICS_SHOWN],
        "diagnostic_count": len(plan_import.draft.get("diagnostics") or []),
        "pages": pages if len(pages) > 1 else [], "page": page,
        "layout_form": (TableLayoutForm(layout=plan_import.draft["layout"])
                        if plan_import.draft.get("layout") and plan_import.draft.get("upload") else None),
        # Every section collapsed to one line; for thousands of them, those of the pages
        # around this one (the page itself stays bounded whatever the document's size).
        "sections": sections if len(sections) <= MAX_SECTIONS_SHOWN
        else [s for s in sections if abs(s.page - page.number) <= 2],
    })


def _drop_kept_upload(draft: dict) -> None:
    """Drop the upload kept for re-reading once the import is confirmed or cancelled."""
    kept = draft.get("upload") or {}
    if kept.get("token"):
        PendingUploads(PLAN_UPLOADS).discard(kept["token"])


def _already_handled(request, plan_import):
    """Answer a preview or confirm of an import that is no longer pending: point to the
    campaign it created (or say it was cancelled) instead of a 404 or a server error."""
    if plan_import.status == PlanImportStatus.CONFIRMED and plan_import.campaign_id:
        messages.info(request, _("该清单已确认导入，以下是已创建的任务清单，无需重复确认。"))
        return redirect(plan_import.campaign)
    if plan_import.status == PlanImportStatus.CONFIRMED:
        messages.info(request, _("该清单已确认导入，无需重复确认。"))
    else:
        messages.info(request, _("该导入已取消，如需导入请重新上传文件。"))
    return redirect("plans:campaign_list")


@login_required
def campaign_publish(request, pk):
    """Publish (or re-publish) the plan: GET shows what each organization will be given and
    told (``publishing.preview``, issue 12 §3); POST publishes and the organizations whose
    tasks changed are notified."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("org"), pk=pk)
    if not can(request.user, MANAGE, campaign.org):
        raise PermissionDenied(_("只有党委办公室可以发布任务清单。"))
    if request.method != "POST":
        changes = preview(campaign)
        return render(request, "plans/publish_confirm.html", {
            "campaign": campaign,
            "changes": [(c, notice_text(campaign, c)) for c in changes if c.touched],
            "unchanged": [c for c in changes if not c.touched],
            "blockers": services.publish_blockers(campaign),
        })
    try:
        result = services.publish_plan(campaign, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(campaign)
    messages.success(request, _(
        "已发布：新增任务分解 %(ac)d 项、更新 %(au)d 项、移除 %(ar)d 项；"
        "新增周期任务 %(oc)d 项、更新 %(ou)d 项、移除 %(or)d 项。"
    ) % {"ac": result.assignments_created, "au": result.assignments_updated,
         "ar": result.assignments_removed, "oc": result.occurrences_created,
         "ou": result.occurrences_updated, "or": result.occurrences_removed})
    return redirect("plans:board", pk=campaign.pk)


def _board_args(request, campaign) -> dict:
    """The board's filters from the query string (invalid values are ignored)."""
    level = request.GET.get("level")
    args = {"responsible": level if level in (Responsible.BRANCH, Responsible.COMMITTEE)
            else Responsible.BRANCH}
    if request.GET.get("section", "").isdigit():
        args["section"] = int(request.GET["section"])
    try:
        args["month"] = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        pass
    if request.GET.get("status") in STATUS_LABELS:
        args["status"] = request.GET["status"]
    if request.GET.get("under", "").isdigit():  # drill-down into one organization's subtree
        from taizhang.orgs.models import Organization

        args["under"] = get_object_or_404(Organization.objects.visible_to(request.user),
                                          pk=int(request.GET["under"]))
    return args


def _months(campaign) -> list[dt.date]:
    if not campaign.start or not campaign.end:
        return []
    months, current = [], campaign.start.replace(day=1)
    while current <= campaign.end and len(months) < 36:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


@login_required
def board(request, pk):
    """Progress board: organizations × tasks, coloured by status, counts per row/column;
    filters by section, month and status; above ``TAIZHANG_BOARD_ROWS`` rows one row per
    child organization with drill-down (``?under=``), then pages (``plans.rollup``)."""
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("org", "plan"), pk=pk
    )
    args = _board_args(request, campaign)
    keep = request.GET.copy()
    keep.pop("page", None)
    keep.pop("under", None)
    keep.pop("rollup", None)

    def drill_url(org_id: int) -> str:
        keep["under"] = str(org_id)
        return "?" + keep.urlencode()

    top_query = keep.copy()
    top_query.pop("under", None)
    sections = campaign.plan.items.filter(parent__isnull=True, kind=ItemKind.SECTION)

    def render_body(data, page, rolled_up, rows_html) -> str:
        return render_to_string("plans/includes/board_body.html", {
            "campaign": campaign, "totals": data.totals, "rows_html": rows_html, "level": args["responsible"],
            "args": args, "page": page, "rolled_up": rolled_up, "under": args.get("under"),
            "top_query": top_query.urlencode(), "status_labels": STATUS_LABELS, "sections": sections,
            "months": _months(campaign), "columns": list(zip(data.items, data.column_counts, strict=True)),
        })

    body, data, page, rolled_up = cached_board_page(
        campaign, request.user, drill_url, render_body, query=request.GET.urlencode(),
        page=request.GET.get("page"), rollup=request.GET.get("rollup") == "1" and "under" not in args,
        **args)
    return render(request, "plans/board.html", {
        "campaign": campaign, "body": body, "board": data, "page": page, "rolled_up": rolled_up,
        "level": args["responsible"], "query": request.GET.urlencode(),
    })


@login_required
def board_export(request, pk):
    """The board as an Excel sheet: one row per organization, one column per task, and the
    members who still owe the per-person rules (未完成人员, ``board.owing_by_org``)."""
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("org", "plan"), pk=pk
    )
    args = _board_args(request, campaign)
    data = build_board(campaign, request.user, **args)
    owing = owing_by_org(campaign, data, month=args.get("month"))
    columns = [Column("党组织", 24)] + [
        Column(f"{item.ref} {item.title}"[:60], 16) for item in data.items
    ] + [Column("已完成", 8), Column("逾期", 8), Column("未完成人员", 40)]

    def cell_text(cell):
        if cell is None:
            return ""
        return f"{cell.label} {cell.periods}" if cell.total > 1 else cell.label

    rows = (
        [row.org_name, *[cell_text(c) for c in row.cells], row.counts["done"], row.counts["overdue"],
         owing.get(row.org_id, "")]
        for row in data.rows
    )
    return xlsx_response(f"进度看板-{campaign.title}.xlsx", "进度看板", columns, rows)

@login_required
def dashboard(request, pk):
    """Charts of completion per organization and per month (ECharts, served locally)."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("org"), pk=pk)
    return render(request, "plans/dashboard.html", {
        "campaign": campaign, "figures": completion(campaign, request.user)})


@login_required
def campaign_edit(request, pk):
    """Edit a campaign's name and period (committee office only)."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    if not can(request.user, MANAGE, campaign.org):
        raise PermissionDenied(_("只有党委办公室可以修改主题教育。"))
    form = CampaignForm(request.POST or None, instance=campaign)
    loaded_at = request.POST.get(LOADED_AT_FIELD) or loaded_version(campaign)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                refuse_if_stale(campaign, request.POST.get(LOADED_AT_FIELD))
                services.update_campaign(campaign, actor=request.user,
                                         **{name: form.cleaned_data[name] for name in services.CAMPAIGN_FIELDS})
        except StaleObject as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。期间有变化时，请重新发布以更新各期任务。"))
            return redirect(campaign)
    return render(request, "core/object_edit.html", {
        "form": form, "object": campaign, "opts": Campaign._meta, "loaded_at": loaded_at})
