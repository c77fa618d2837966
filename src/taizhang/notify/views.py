"""Pages of the notify app: the user's notices, notification settings with calendar-feed
addresses, the organizations' group robots, and the iCal feeds themselves.

Notices and settings are the user's own (``OwnQuerySet``); robots need the "manage" action
on their organization; feeds authenticate by the token in their URL (calendar apps have no
session) and contain only what the token's user may see.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from taizhang.core.generic import ObjectDeleteView, ObjectEditView
from taizhang.core.scoping import MANAGE, scope_paths
from taizhang.core.views_mixins import ScopedQuerysetMixin
from taizhang.orgs.models import Organization, RoleAssignment

from . import feeds, services
from .channels import absolute_url
from .forms import OrgWebhookForm
from .models import Notice, NotifyProfile, OrgWebhook


class NoticeListView(ScopedQuerysetMixin, ListView):
    """The user's notices, newest first; ``?unread=1`` shows unread ones only."""

    model = Notice
    template_name = "notify/notice_list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.unread() if self.request.GET.get("unread") else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread_only"] = bool(self.request.GET.get("unread"))
        ctx["unread_count"] = Notice.objects.restrict(self.request.user).unread().count()
        return ctx


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse("notify:notice_list")


@login_required
@require_POST
def notice_read(request, pk: int):
    """Mark one of the user's notices read and go to what it is about (404 for others')."""
    notice = get_object_or_404(Notice.objects.restrict(request.user), pk=pk)
    services.mark_read(request.user, [notice.pk])
    target = notice.url if request.POST.get("open") else request.POST.get("next", "")
    return HttpResponseRedirect(_safe_next(request, target))


@login_required
@require_POST
def notice_read_all(request):
    """Mark all the user's notices read."""
    count = services.mark_read(request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notify:notice_list")


def _feed_orgs(user):
    """Organizations whose feeds the settings page offers: those the user holds a role on."""
    ids = RoleAssignment.objects.filter(user=user).values_list("org_id", flat=True)
    return Organization.objects.visible_to(user).filter(pk__in=ids).order_by("path")


@login_required
def notify_settings(request):
    """Calendar-feed addresses (with the secret token), regenerating the token, and
    whether reminders also come by e-mail."""
    profile = services.profile_for(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "regenerate":
            profile = services.regenerate_feed_token(request.user)
            messages.success(request, _("已生成新的订阅地址，旧地址立即失效。"))
        elif action == "email":
            services.set_email_enabled(request.user, request.POST.get("email_enabled") == "on")
            messages.success(request, _("已保存。"))
        return redirect("notify:settings")
    token = profile.feed_token
    feeds_list = [{"label": _("我的任务截止日期"),
                   "url": absolute_url(reverse("notify:feed_user", args=[token]))}]
    feeds_list += [{"label": org.name,
                    "url": absolute_url(reverse("notify:feed_org", args=[token, org.pk]))}
                   for org in _feed_orgs(request.user)]
    return render(request, "notify/settings.html", {
        "profile": profile, "feeds": feeds_list, "has_email": bool(request.user.email),
        "can_manage_robots": bool(scope_paths(request.user, MANAGE) != []),
    })


# --- group robots ----------------------------------------------------------------------

class ManageRequiredMixin:
    """Robots are configured by users holding "manage" somewhere (403 otherwise); a robot
    of an organization outside their "manage" scope is 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if scope_paths(request.user, MANAGE) == []:
                raise PermissionDenied(_("只有组织的管理人员可以配置消息机器人。"))
            if "pk" in kwargs:
                get_object_or_404(OrgWebhook.objects.restrict(request.user, MANAGE), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class WebhookListView(ManageRequiredMixin, ScopedQuerysetMixin, ListView):
    model = OrgWebhook
    scope_action = MANAGE
    template_name = "notify/webhook_list.html"
    context_object_name = "webhooks"

    def get_queryset(self):
        return super().get_queryset().select_related("org")


class WebhookEditView(ManageRequiredMixin, ObjectEditView):
    model = OrgWebhook
    form_class = OrgWebhookForm

    def save(self, form):
        return services.save_webhook(self.request.user, form.instance)


class WebhookDeleteView(ManageRequiredMixin, ObjectDeleteView):
    model = OrgWebhook
    scope_action = MANAGE
    success_url_name = "notify:webhook_list"
    delete_service = staticmethod(services.delete_webhook)


@login_required
@require_POST
def webhook_test(request, pk: int):
    """Send a test message to a robot of an organization the user manages (in the background)."""
    webhook = get_object_or_404(OrgWebhook.objects.restrict(request.user, MANAGE), pk=pk)
    services.send_test_message(request.user, webhook)
    messages.success(request, _("测试消息已提交发送，请在群内查看。"))
    return redirect("notify:webhook_list")


# --- iCal feeds ----------------------------------------------------------------------------

def _feed_user(request, token: str):
    """The active user owning ``token`` (404 otherwise). A signed-in user presenting someone
    else's token is refused (403): a feed address is not a way into another's calendar."""
    profile = NotifyProfile.objects.select_related("user").filter(feed_token=token).first()
    if profile is None or not profile.user.is_active:
        raise Http404
    if request.user.is_authenticated and request.user.pk != profile.user_id:
        raise PermissionDenied(_("这是他人的日历订阅地址。"))
    return profile.user


def _ics_response(calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=0"
    response["Referrer-Policy"] = "no-referrer"  # the URL carries the token
    return response


def feed_user(request, token: str):
    """The token owner's deadlines (organizations where they hold a role)."""
    user = _feed_user(request, token)
    calendar = feeds.build_calendar(feeds.deadlines(user), _("台账 · 我的任务截止日期"))
    return _ics_response(calendar, "taizhang.ics")


def feed_org(request, token: str, org_id: int):
    """Deadlines of organization ``org_id``, if the token owner may see it (404 otherwise)."""
    user = _feed_user(request, token)
    org = get_object_or_404(Organization.objects.visible_to(user), pk=org_id)
    calendar = feeds.build_calendar(feeds.deadlines(user, org=org),
                                    _("台账 · %(org)s 截止日期") % {"org": org.name})
    return _ics_response(calendar, f"taizhang-{org.code or org.pk}.ics")
