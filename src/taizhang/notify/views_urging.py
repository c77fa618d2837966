"""Pages of 督办 (issue 12 §3): what may be urged now, the urging form, the urgings sent and
received, and one urging with its read receipts. The writes are ``notify.urging``'s."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from taizhang.core.generic import DoubleSubmit
from taizhang.core.onetime import OneTimePost
from taizhang.core.scoping import MANAGE, can
from taizhang.core.status import org_of
from taizhang.core.views_mixins import ScopedQuerysetMixin

from . import urging as urging_service
from .models import Urging


class UrgeForm(forms.Form):
    """The urging's message."""

    message = forms.CharField(label=gettext_lazy("督办内容"), widget=forms.Textarea(
        attrs={"rows": 3, "class": "form-control"}))


@login_required
def urge_board(request):
    """Overdue and slow work in the user's managed subtrees, each with a 督办 button."""
    return render(request, "notify/urge_board.html", {
        "candidates": urging_service.candidates(request.user)})


@login_required
def urge(request, kind: str, pk: int):
    """Urge one piece of work (GET: the form with a default message; POST: send). The form
    carries a one-time token: a replayed POST sends nothing and shows the first urging."""
    try:
        target = urging_service.target_of(kind, pk, request.user)
    except LookupError:
        raise Http404 from None
    org = org_of(target)
    if not can(request.user, MANAGE, org):
        raise PermissionDenied(_("只有该组织的管理人员可以督办。"))
    title = urging_service.title_of(target)
    due = urging_service.due_of(target)
    initial = _("请抓紧落实“%(title)s”（完成时限 %(due)s），并及时报送完成情况。") % {
        "title": title, "due": due.isoformat() if due else "—"}
    once = OneTimePost(request, _("该督办已发送过，未重复发送；以下是已发送的督办。"))
    if replay := once.replayed():
        return replay
    form = UrgeForm(request.POST or None, initial={"message": initial})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                sent = urging_service.urge(target, form.cleaned_data["message"], actor=request.user)
                once.consume(sent.get_absolute_url())
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except DoubleSubmit as exc:
            return once.redirect(exc.url)
        else:
            messages.success(request, _("已督办，%(org)s 将收到站内通知及已配置渠道的消息。") % {"org": org.name})
            return redirect(sent)
    return render(request, "notify/urge.html", {
        "form": form, "form_token": once.token(), "target": target, "org": org, "title": title, "due": due,
        "campaign": urging_service.campaign_of(target),
        "recipients": urging_service.recipients(target, actor=request.user),
        "earlier": urging_service.urgings_of(target)})


class UrgingListView(ScopedQuerysetMixin, ListView):
    """Urgings sent by the office or received by the user's organizations, newest first."""

    model = Urging
    template_name = "notify/urging_list.html"
    context_object_name = "urgings"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("org", "sent_by", "content_type")


@login_required
def urging_detail(request, pk: int):
    """One urging: the message, the work, and for the office its read receipts (who opened
    the notice, when) and the other channels' deliveries."""
    urging = get_object_or_404(Urging.objects.visible_to(request.user).select_related(
        "org", "sent_by"), pk=pk)
    is_sender_side = can(request.user, MANAGE, urging.org)
    target = urging.target
    return render(request, "notify/urging_detail.html", {
        "urging": urging, "target": target, "is_sender_side": is_sender_side,
        "campaign": urging_service.campaign_of(target) if target is not None else None,
        "receipts": urging_service.receipts(urging) if is_sender_side else [],
        "deliveries": urging_service.deliveries(urging) if is_sender_side else [],
    })
