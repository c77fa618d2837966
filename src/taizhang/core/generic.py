"""Generic, scoped views for business objects (modelled on NetBox's generic views).

Each app declares small subclasses (model, table, filterset, form, service) instead of
writing list/detail/edit/delete views again. Every queryset goes through the scoping
mechanism: objects outside the user's subtrees are 404, and changing needs the "change"
action on the object's organization (403 otherwise); an add form opens only for users who
may change something somewhere (read-only roles get 403, not a form they cannot save).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError, ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DeleteView, DetailView, FormView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .badinput import (FORM_TOKEN_FIELD, consume_form_token, guard_form, issue_form_token, locked_version,
                       used_form_token)
from .scoping import CHANGE, VIEW, can, scope_paths
from .status import org_of
from .views_mixins import ScopedQuerysetMixin


LOADED_AT_FIELD = "_loaded_at"
NEXT_FIELD = "next"


def safe_next(request) -> str | None:
    """The page to return to after a save: the ``next`` parameter of the POST (the edit
    form's hidden field) or of the query (a task's 登记 link), when it is a URL of this site
    (``url_has_allowed_host_and_scheme``: same host, no scheme change to plain http from
    https, no ``//evil`` or ``javascript:``); ``None`` otherwise, so a forged link never
    sends the user elsewhere."""
    from django.utils.http import url_has_allowed_host_and_scheme

    value = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD) or ""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return None


class DoubleSubmit(Exception):
    """The add form's one-time token was used by a concurrent POST; ``url`` is the page of
    the object that POST created."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(url)


class StaleObject(Exception):
    """The object changed since its edit form was rendered (optimistic locking on
    ``updated_at``); ``message`` is the Chinese text shown at the top of the form."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def loaded_version(obj) -> str:
    """The version an edit form carries (hidden ``_loaded_at``): ``obj.updated_at`` in ISO
    8601 with microseconds."""
    return obj.updated_at.isoformat(timespec="microseconds")


def refuse_if_stale(obj, token: str | None) -> None:
    """Refuse (``StaleObject``, the message naming when and by whom) a save of ``obj`` whose
    form was rendered from another version than the row's ``updated_at`` now (issue 13 §4:
    0 silent overwrites). ``token`` is the form's ``_loaded_at``; a missing or malformed one
    is refused too. Call inside the save transaction: on PostgreSQL the row stays locked
    (``SELECT … FOR UPDATE``) until the save commits; SQLite serialises writers."""
    if not token:
        raise StaleObject(_("保存失败：表单缺少读取时的版本（_loaded_at），无法确认该记录未被他人修改。"
                            "您填写的内容仍保留在表单中，请重新打开编辑页后再保存。"))
    current = locked_version(type(obj), obj.pk)
    try:
        loaded = dt.datetime.fromisoformat(token)
    except ValueError:
        loaded = None
    if loaded is not None and timezone.is_naive(loaded):
        loaded = timezone.make_aware(loaded, dt.timezone.utc)
    if current is None or loaded is None or current != loaded:
        raise StaleObject(stale_message(obj, current))


def stale_message(obj, current_updated_at) -> str:
    """The Chinese refusal text naming when (and, from the audit trail, by whom) ``obj`` was
    last changed; ``current_updated_at`` is its ``updated_at`` now (or ``None`` when the row
    is gone)."""
    when = (timezone.localtime(current_updated_at).strftime("%Y-%m-%d %H:%M")
            if current_updated_at else "")
    who = ""
    try:
        from .history import history_for

        entry = history_for(obj, limit=1).first()
        # only an entry written with the last change names its author (a save changing
        # no field leaves no entry; an older one would name the wrong person)
        if (entry is not None and entry.actor is not None and current_updated_at is not None
                and abs(entry.timestamp - current_updated_at) <= dt.timedelta(minutes=1)):
            actor = entry.actor
            who = (actor.get_full_name() if hasattr(actor, "get_full_name") else "") or str(actor)
    except Exception:  # the audit trail is a courtesy here, never a reason to fail
        who = ""
    detail = (_("最后由 %(who)s 修改于 %(when)s") % {"who": who, "when": when} if who
              else _("最后修改于 %(when)s") % {"when": when})
    return _("保存失败：该记录已被他人修改（%(detail)s）。您填写的内容仍保留在表单中，"
             "请核对最新内容后重新保存。") % {"detail": detail}


def may_change_somewhere(user, action: str = CHANGE) -> bool:
    """True when ``user`` may do ``action`` (default "change") on some organization, i.e.
    could create an object there. Read-only roles (inspector, member) and users without a
    role have none; a superuser has all. One query at most (scope paths are cached on the
    user for the request)."""
    return scope_paths(user, action) != []


class ObjectListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """A filterable, paged table of the objects the user may see.

    Set ``model``, ``table_class``, ``filterset_class``; optionally ``add_url_name`` (shown as
    a button when the user may change something) and ``export_url_name``.
    """

    template_name = "core/object_list.html"
    paginate_by = 50
    add_url_name: str | None = None
    export_url_name: str | None = None
    title: str | None = None

    def paginate_queryset(self, queryset, page_size):
        """No second paginator: the table pages itself (django-tables2, one COUNT); ListView's
        own paging would count the same queryset again. Returns (None, None, queryset, False)."""
        return None, None, queryset, False

    def annotate_rows(self, rows: list) -> None:
        """Add per-row figures (counts, sums) to the objects of the shown page only, in place:
        called once per request with the page's rows (at most ``paginate_by``), after the
        paginator counted the plain filtered queryset. Override with one query for the whole
        page (e.g. ``pk__in``): a list never aggregates rows it does not show (issue 14)."""

    def get_table(self, **kwargs):
        """The table with its current page evaluated once and passed to
        :meth:`annotate_rows`; the paginator's count stays a plain ``COUNT(*)`` of the
        filtered queryset (no annotation, no GROUP BY)."""
        table = super().get_table(**kwargs)
        bound = table.page.object_list if getattr(table, "page", None) else table.rows
        rows = list(bound.data)
        self.annotate_rows(rows)
        bound.data = rows
        return table

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        may_add = may_change_somewhere(self.request.user)  # inspectors only read
        ctx.update(
            title=self.title or self.model._meta.verbose_name_plural,
            add_url=reverse(self.add_url_name) if self.add_url_name and may_add else None,
            export_url=reverse(self.export_url_name) if self.export_url_name else None,
            query_string=self.request.GET.urlencode(),
        )
        return ctx


class ObjectDetailView(ScopedQuerysetMixin, DetailView):
    """One object with its history and attachments; ``can_change`` tells the template."""

    template_name = "core/object_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = can(self.request.user, CHANGE, org_of(self.object))
        ctx["opts"] = self.model._meta
        return ctx


class ObjectEditView(LoginRequiredMixin, FormView):
    """Create (no ``pk``) or update an object through a service function.

    Subclasses set ``model`` and ``form_class`` and may override :meth:`save` to call the
    app's service (default: ``form.save()``). The form receives ``user`` so it can limit its
    organization choices to where the user may change things; saving re-checks that the
    object's organization is one of them (403 otherwise).

    The form itself is refused (403, for GET as for POST) when no write could succeed: an
    object the user may see but not change, or, to create one, a user with no organization
    where they may ``scope_action`` (read-only roles such as inspectors). Anonymous users
    are sent to the login page.

    Editing an existing object is optimistically locked on its ``updated_at``: the page
    carries the value read when the form was rendered (hidden ``_loaded_at``), and a POST
    whose value no longer matches is refused with the user's input kept and nothing written
    (two tabs must not silently overwrite each other), see :meth:`check_not_stale`. A POST
    without the value is refused the same way (issue 13 §4: 0 silent overwrites).

    Creating carries a one-time hidden ``form_token``: a second POST of the same page (double
    click, resubmit) creates nothing and is sent to the object the first one created.
    Multiple-choice fields refuse out-of-range ids as invalid choices (never a 500).
    """

    model = None
    template_name = "core/object_edit.html"
    scope_action = CHANGE

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            queryset = self.model.objects.restrict(request.user, VIEW)
            self.object = get_object_or_404(queryset, pk=kwargs["pk"])
            if not can(request.user, self.scope_action, org_of(self.object)):
                raise PermissionDenied(_("您无权修改此记录。"))
        elif not self.may_create(request.user):
            raise PermissionDenied(_("您的账号只有查看权限，不能新增。"))
        return super().dispatch(request, *args, **kwargs)

    def may_create(self, user) -> bool:
        """Whether ``user`` may open the form for a new object: some organization where they
        may do ``scope_action`` (see :func:`may_change_somewhere`). Apps with a narrower rule
        override this."""
        return may_change_somewhere(user, self.scope_action)

    def get_initial(self):
        """A new object's initial values from the query string, for the form's own fields
        (``?kind=micro_lecture&org=3&date=2023-10-01`` from a task's 登记 link); values the
        form cannot accept are left to its validation, nothing is written from a GET."""
        initial = super().get_initial()
        if self.object is None and self.request.method == "GET":
            fields = getattr(self.get_form_class(), "base_fields", {})
            for name, value in self.request.GET.items():
                if name in fields and value:
                    initial.setdefault(name, value)
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_form(self, form_class=None):
        return guard_form(super().get_form(form_class))

    def form_token(self) -> str | None:
        """The one-time token of an add page: the one posted (kept when the form is shown
        again), else a new one; ``None`` when editing."""
        if self.object is not None:
            return None
        return self.request.POST.get(FORM_TOKEN_FIELD) or issue_form_token()

    def post(self, request, *args, **kwargs):
        done = used_form_token(request.POST.get(FORM_TOKEN_FIELD)) if self.object is None else None
        if done:
            messages.info(request, _("该表单已提交过，未重复新增；以下是已保存的记录。"))
            return HttpResponseRedirect(done)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(object=self.object, opts=self.model._meta,
                   loaded_at=self.loaded_at_token(ctx.get("form")),
                   form_token=self.form_token(), next_url=safe_next(self.request))
        return ctx

    # ---- optimistic locking on ``updated_at`` ------------------------------------------------

    def checks_staleness(self, form=None) -> bool:
        """Whether a save of this form is refused when the object changed since the form was
        rendered: only when editing an existing object whose model has ``updated_at``, and
        not when the form carries its own ``version`` field (e.g. rectification measures,
        which refuse stale saves themselves)."""
        if self.object is None or not hasattr(self.object, "updated_at"):
            return False
        return form is None or "version" not in form.fields

    def loaded_at_token(self, form=None) -> str | None:
        """The ``updated_at`` (ISO 8601, microseconds) the form was rendered from: on a
        re-rendered POST the one the user's form carried (so a refused or invalid form stays
        tied to what the user read), otherwise the object's current one. ``None`` when
        creating."""
        if not self.checks_staleness(form):
            return None
        if self.request.method == "POST" and self.request.POST.get(LOADED_AT_FIELD):
            return self.request.POST[LOADED_AT_FIELD]
        return loaded_version(self.object)

    def check_not_stale(self, form) -> None:
        """Refuse (``StaleObject``) when the object changed since its form was rendered
        (:func:`refuse_if_stale` with the POST's ``_loaded_at``)."""
        if self.checks_staleness(form):
            refuse_if_stale(self.object, self.request.POST.get(LOADED_AT_FIELD))

    def save(self, form):
        """Persist the form; apps override this to call their service function."""
        return form.save()

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.check_not_stale(form)
                obj = self.save(form)
                if not can(self.request.user, self.scope_action, org_of(obj)):
                    raise PermissionDenied(_("您无权在该组织下保存记录。"))
                if self.object is None and not consume_form_token(
                        self.request.POST.get(FORM_TOKEN_FIELD), obj.get_absolute_url()):
                    raise DoubleSubmit(used_form_token(self.request.POST.get(FORM_TOKEN_FIELD)))
        except StaleObject as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        except ValidationError as exc:
            return self.show_errors(form, exc)
        except DoubleSubmit as exc:
            messages.info(self.request, _("该表单已提交过，未重复新增；以下是已保存的记录。"))
            return HttpResponseRedirect(exc.url)
        messages.success(self.request, _("已保存。"))
        return HttpResponseRedirect(self.success_url_after(obj))

    def success_url_after(self, obj) -> str:
        """Where a successful save goes: the validated ``next`` page (e.g. the task whose
        登记 link opened the form, see :func:`safe_next`), else the object's own page."""
        return safe_next(self.request) or obj.get_absolute_url()


    def show_errors(self, form, exc: ValidationError):
        """A service's ``ValidationError`` on the form (field errors on their fields, the
        rest on top); nothing was written (the save ran in a transaction)."""
        for name, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
            form.add_error(name if name in form.fields else None, errors)
        return self.form_invalid(form)


class ObjectDeleteView(ScopedQuerysetMixin, DeleteView):
    """Delete after confirmation, through the owning app's service; needs the "change"
    action on the object's organization.

    Subclasses name the service: ``delete_service = staticmethod(fn)`` where ``fn(obj, *,
    actor)`` deletes ``obj`` audited (DESIGN.md "Writes go through service functions").
    A subclass without one is refused (``ImproperlyConfigured`` naming it) before anything
    is deleted: a generic delete never bypasses a service."""

    template_name = "core/object_confirm_delete.html"
    scope_action = CHANGE
    success_url_name: str = "home"
    delete_service = None

    def dispatch(self, request, *args, **kwargs):
        if self.delete_service is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} names no delete_service (fn(obj, *, actor))")
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse(self.success_url_name)

    def form_valid(self, form):
        """Delete through the service; a ``ValidationError`` it raises (e.g. a selected role
        model may not be deleted) is shown as a message on the object's page, nothing deleted."""
        success_url = self.get_success_url()
        try:
            self.delete_service(self.object, actor=self.request.user)
        except ValidationError as exc:
            messages.error(self.request, "；".join(exc.messages))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("已删除。"))
        return HttpResponseRedirect(success_url)


class SourceExportView(LoginRequiredMixin, View):
    """The Excel ledger of a registered kind (``core.sources``): the rows the user may see,
    with the list page's filters (the kind's ``filterset``), streamed through the kind's
    ``ledger`` (``core.excel.Ledger``); over ``TAIZHANG_BACKGROUND_EXPORT_ROWS`` rows a
    background job (``core.export_jobs``). Subclasses or ``as_view`` name the kind by
    ``source_code`` (or give the ``kind`` itself)."""

    source_code: str = ""
    kind = None

    def get(self, request):
        from .excel import xlsx_response
        from .export_jobs import offload
        from .sources import get_source

        kind = self.kind or get_source(self.source_code)
        visible = kind.model_class.objects.visible_to(request.user)
        queryset = kind.part("filterset")(request.GET, queryset=visible, request=request).qs
        ledger = kind.part("ledger")
        if (job := offload(request, queryset.count(), ledger.title)) is not None:
            return job  # a large export: made by the worker, downloaded from the job page
        return xlsx_response(f"{ledger.title}.xlsx", ledger.title, ledger.columns, ledger.rows(queryset))
