"""Pages of notices (通知, issue 12 §3): the list (sent from one's subtree, or received),
the form to send one, a notice with its files and, for the sender's side, read receipts.
The writes are ``notify.announcements``'."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.generic import DoubleSubmit
from taizhang.core.onetime import OneTimePost
from taizhang.core.scoping import MANAGE, can, scope_paths
from taizhang.orgs.models import Organization, OrgKind

from . import announcements
from .models import Audience


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AnnouncementForm(forms.Form):
    """Sender (an organization the user manages), recipients below it, audience, text, files."""

    org = forms.ModelChoiceField(label=gettext_lazy("发送组织"), queryset=Organization.objects.none(),
                                 widget=forms.Select(attrs={"class": "form-select"}))
    recipients = forms.ModelMultipleChoiceField(
        label=gettext_lazy("接收组织"), queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    audience = forms.ChoiceField(label=gettext_lazy("发送对象"), choices=Audience.choices,
                                 widget=forms.RadioSelect, initial=Audience.BRANCHES)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    body = forms.CharField(label=gettext_lazy("正文"),
                           widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}))
    files = MultipleFileField(label=gettext_lazy("附件"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        managed = Organization.objects.restrict(user, MANAGE)
        self.fields["org"].queryset = managed.exclude(kind=OrgKind.GROUP)
        self.fields["recipients"].queryset = managed.exclude(kind=OrgKind.GROUP)


@login_required
def announcement_list(request):
    """Notices sent from the user's subtrees or to the user, newest first."""
    notices = announcements.readable(request.user).select_related("org", "sent_by")[:200]
    return render(request, "notify/announcement_list.html", {
        "notices": notices, "can_send": scope_paths(request.user, MANAGE) != []})


@login_required
def announcement_add(request):
    """Write and send a notice (the office of an organization, to organizations below it).
    The form carries a one-time token: a replayed POST sends nothing and shows the first
    notice."""
    if scope_paths(request.user, MANAGE) == []:
        raise PermissionDenied(_("只有组织的管理人员可以发布通知。"))
    once = OneTimePost(request, _("该通知已发送过，未重复发送；以下是已发送的通知。"))
    if replay := once.replayed():
        return replay
    form = AnnouncementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                notice = announcements.send_announcement(form.cleaned_data, actor=request.user)
                once.consume(notice.get_absolute_url())
        except DoubleSubmit as exc:
            return once.redirect(exc.url)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [
                    (None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("通知已发送。"))
            return redirect(notice)
    return render(request, "notify/announcement_add.html", {"form": form, "form_token": once.token()})


@login_required
def announcement_detail(request, pk: int):
    """A notice with its files; read receipts for the sender's side."""
    notice = get_object_or_404(announcements.readable(request.user).select_related("org", "sent_by"), pk=pk)
    sender_side = can(request.user, MANAGE, notice.org)
    return render(request, "notify/announcement_detail.html", {
        "notice": notice, "files": announcements.attachments_of(notice),
        "recipients": notice.recipients.all(), "sender_side": sender_side,
        "receipts": announcements.receipts(notice) if sender_side else []})


@login_required
def announcement_file(request, pk: int, file_pk: int):
    """Download one file of a notice the user may read (recipients included)."""
    notice = get_object_or_404(announcements.readable(request.user), pk=pk)
    attachment = next((a for a in announcements.attachments_of(notice) if a.pk == file_pk), None)
    if attachment is None:
        raise PermissionDenied(_("该附件不属于这条通知。"))
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
