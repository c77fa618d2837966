"""Generic, scoped views for business objects (modelled on NetBox's generic views).

Each app declares small subclasses (model, table, filterset, form, service) instead of
writing list/detail/edit/delete views again. Every queryset goes through the scoping
mechanism: objects outside the user's subtrees are 404, and changing needs the "change"
action on the object's organization (403 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DeleteView, DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .scoping import CHANGE, VIEW, can, scope_paths
from .status import org_of
from .views_mixins import ScopedQuerysetMixin


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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        may_add = scope_paths(self.request.user, CHANGE) != []  # inspectors only read
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
    """

    model = None
    template_name = "core/object_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs:
            queryset = self.model.objects.restrict(request.user, VIEW)
            self.object = get_object_or_404(queryset, pk=kwargs["pk"])
            if not can(request.user, CHANGE, org_of(self.object)):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(object=self.object, opts=self.model._meta)
        return ctx

    def save(self, form):
        """Persist the form; apps override this to call their service function."""
        return form.save()

    def form_valid(self, form):
        with transaction.atomic():
            obj = self.save(form)
            if not can(self.request.user, CHANGE, org_of(obj)):
                raise PermissionDenied
        messages.success(self.request, _("已保存。"))
        return HttpResponseRedirect(obj.get_absolute_url())


class ObjectDeleteView(ScopedQuerysetMixin, DeleteView):
    """Delete after confirmation; needs the "change" action on the object's organization."""

    template_name = "core/object_confirm_delete.html"
    scope_action = CHANGE
    success_url_name: str = "home"

    def get_success_url(self):
        return reverse(self.success_url_name)

    def form_valid(self, form):
        messages.success(self.request, _("已删除。"))
        return super().form_valid(form)

