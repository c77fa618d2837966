"""Pages of the reports app: the list of reports, a page per report (parameters, preview,
downloads as .docx and .pdf, background job), the templates offices upload, job pages.

Every page reads data through ``params.resolve`` with the request's user, so a report never
holds rows the user may not see; another branch's meeting or job is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.office import ConversionError, find_soffice
from taizhang.core.scoping import MANAGE, scope_paths

from .builders.common import for_html
from . import services, templating
from .forms import ParamsForm, TemplateUploadForm
from .generate import CONTENT_TYPES, SHIPPED, FormatError, generate, template_for, template_org
from .kinds import KINDS
from .models import ReportJob, ReportTemplate
from .params import NotVisible, ParamError, resolve


def _kind(code: str):
    kind = KINDS.get(code)
    if kind is None:
        raise Http404
    return kind


@login_required
def report_index(request):
    """Every report with what it is for."""
    return render(request, "reports/index.html", {"kinds": KINDS.values()})


def _params(request, kind):
    """(form, params or None, error) of the page's query string; raises ``NotVisible``
    when it names something the user may not see (see :func:`_params_or_404`)."""
    form = ParamsForm(request.GET or None, kind=kind, user=request.user)
    if not request.GET:
        form = ParamsForm(kind=kind, user=request.user)
        raw = {}
    elif form.is_valid():
        raw = form.raw()
    else:
        if any(e.code == "invalid_choice" for errors in form.errors.as_data().values() for e in errors):
            raise NotVisible(_("找不到所选的主题教育或会议记录"))
        return form, None, _("参数有误，请检查")
    try:
        return form, resolve(kind, raw, request.user), ""
    except NotVisible:
        raise
    except ParamError as exc:
        return form, None, str(exc)


def _params_or_404(request, kind):
    try:
        return _params(request, kind)
    except NotVisible as exc:
        raise Http404(str(exc)) from None


@login_required
def report_page(request, kind):
    """A report's page: its parameters, a preview of what the document will hold, and the
    downloads (.docx; .pdf when LibreOffice is installed; a background job for long ones)."""
    kind = _kind(kind)
    try:
        form, params, error = _params(request, kind)
    except NotVisible as exc:
        form, params, error = ParamsForm(kind=kind, user=request.user), None, str(exc)
    preview, origin = None, ""
    large = params is not None and _large(kind, params)
    if params is not None and kind.output == "docx" and not large:
        try:
            preview = for_html(kind.build(params))  # docx listings back to plain text: escaped once
        except ParamError as exc:  # a brief's record that is malformed or out of scope
            params, error = None, str(exc)
        else:
            origin = template_for(kind, template_org(params))[1]
    return render(request, "reports/report.html", {
        "kind": kind, "form": form, "params": params, "error": error, "preview": preview,
        "preview_template": f"reports/preview/{kind.code}.html", "template_origin": origin,
        "query": request.GET.urlencode(), "pdf_available": find_soffice() is not None, "large": large,
    })


# A report of more branches than this is made only in the background (a city's summary takes
# seconds: benchmarks/bench_reports.py); below it the page previews and downloads directly.
DIRECT_MAX_BRANCHES = 50


def _large(kind, params) -> bool:
    """Whether ``kind`` for ``params`` runs only as a background job: an archive always,
    another background kind when its scope holds more than DIRECT_MAX_BRANCHES branches."""
    if kind.output == "zip":
        return True
    if not kind.background:
        return False
    from taizhang.orgs.models import Organization

    org = params.org or (params.campaign.org if params.campaign is not None else None)
    branches = Organization.objects.filter(kind="branch")
    if org is not None:
        branches = branches.filter(path__startswith=org.path)
    return branches.count() > DIRECT_MAX_BRANCHES


@login_required
def report_download(request, kind, fmt):
    """The report's file in ``fmt``; a parameter error or a failed conversion goes back to
    the report's page with the reason."""
    kind = _kind(kind)
    _form, params, error = _params_or_404(request, kind)
    back = reverse("reports:report", args=[kind.code]) + "?" + request.GET.urlencode()
    if params is None:
        messages.error(request, error)
        return redirect(back)
    if _large(kind, params) and fmt in kind.formats:
        messages.info(request, _("范围较大，请用“后台生成”，完成后在任务页下载"))
        return redirect(back)
    try:
        name, content = generate(kind, params, fmt)
    except (FormatError, NotVisible) as exc:
        raise Http404(str(exc)) from None
    except ParamError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except (ConversionError, templating.OutputError) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _attachment(name)
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"report.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"


@login_required
@require_POST
def job_start(request, kind, fmt):
    """Queue the report as a background job; go to the job's page."""
    kind = _kind(kind)
    if fmt not in kind.formats:
        raise Http404
    _form, params, error = _params_or_404(request, kind)
    if params is None:
        messages.error(request, error)
        return redirect(reverse("reports:report", args=[kind.code]) + "?" + request.GET.urlencode())
    org = template_org(params)
    if org is None:
        paths = scope_paths(request.user)
        from taizhang.orgs.models import Organization

        org = (Organization.objects.visible_to(request.user).order_by("depth", "path").first()
               if paths != [] else None)
    if org is None:
        raise PermissionDenied(_("您没有可查看的党组织，无法生成报表。"))
    raw = {"campaign": params.campaign.pk if params.campaign else None,
           "org": params.org.code if params.org else "", "meeting": params.meeting.pk if params.meeting else None,
           "life_meeting": params.life_meeting.pk if params.life_meeting else None,
           "year": params.year, "records": params.records}
    job = services.start_job(kind.code, fmt, raw, org, actor=request.user)
    return redirect(job)


def _own_job(request, pk):
    return get_object_or_404(ReportJob.objects.visible_to(request.user).filter(requested_by=request.user), pk=pk)


@login_required
def job_detail(request, pk):
    """A job's progress (the page refreshes itself every two seconds while it runs)."""
    job = _own_job(request, pk)
    return render(request, "reports/job.html", {"job": job, "kind": KINDS.get(job.kind)})


@login_required
def job_download(request, pk):
    job = _own_job(request, pk)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                        content_type=CONTENT_TYPES.get(job.fmt, "application/octet-stream"))


@login_required
def template_list(request):
    """The templates uploaded for the organizations the user sees, the upload form (for a
    committee office), and every report's placeholders."""
    form = TemplateUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                template = services.upload_template(form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(request, _("模板已上传并通过检查：%(name)s") % {"name": template.name})
                return redirect("reports:templates")
    labels = {k.code: k.label for k in KINDS.values()}
    templates = list(ReportTemplate.objects.visible_to(request.user).select_related("org"))
    for template in templates:
        template.kind_label = labels.get(template.kind, template.kind)
    kinds = [{"kind": k, "placeholders": templating.schema_lines(k.schema)}
             for k in KINDS.values() if k.output == "docx"]
    can_upload = form.fields["org"].queryset.exists()
    return render(request, "reports/templates.html", {"form": form, "templates": templates,
                                                      "kinds": kinds, "can_upload": can_upload},
                  status=400 if request.method == "POST" else 200)


@login_required
def template_download(request, pk):
    template = get_object_or_404(ReportTemplate.objects.visible_to(request.user), pk=pk)
    return FileResponse(template.file.open("rb"), as_attachment=True, filename=template.name)


@login_required
def shipped_download(request, kind):
    """The shipped template of a report: the starting point of an office's own."""
    kind = _kind(kind)
    if kind.output != "docx":
        raise Http404
    return FileResponse(open(SHIPPED / f"{kind.code}.docx", "rb"), as_attachment=True,
                        filename=f"{kind.label}-模板.docx", content_type=CONTENT_TYPES["docx"])


@login_required
@require_POST
def template_delete(request, pk):
    template = get_object_or_404(ReportTemplate.objects.restrict(request.user, MANAGE), pk=pk)
    services.delete_template(template, actor=request.user)
    messages.success(request, _("模板已删除"))
    return redirect("reports:templates")
