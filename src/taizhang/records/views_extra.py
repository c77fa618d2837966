"""Pages beyond list/detail/edit: QR sign-in, the attendance ledger, suggestion handling,
members' own suggestions, self-study and micro-lectures, the campaign reading list."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from taizhang.core.excel import xlsx_response
from taizhang.core.export_jobs import offload
from taizhang.core.generic import ObjectListView
from taizhang.core.scoping import CHANGE, VIEW
from taizhang.core.status import IllegalTransition
from taizhang.orgs.models import Member

from . import filtersets, forms, services
from .exports import ATTENDANCE_LEDGER
from .models import Attendance, Lecture, LectureKind, Meeting, Reading, SelfStudy, Suggestion


def _changeable_meeting(request, pk) -> Meeting:
    """The meeting ``pk`` if the user may change it: 404 when invisible, 403 when read-only."""
    meeting = get_object_or_404(Meeting.objects.restrict(request.user, VIEW), pk=pk)
    if not Meeting.objects.restrict(request.user, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied(_("您的账号只有查看权限，不能修改此会议。"))
    return meeting


@login_required
def meeting_qr(request, pk: int):
    """The sign-in QR code of a meeting as SVG (generated locally by segno; 404 when the
    sign-in is off). Only users who may change the meeting get it."""
    meeting = _changeable_meeting(request, pk)
    if not meeting.sign_in_enabled:
        raise Http404
    url = request.build_absolute_uri(reverse("records:sign_in", args=[meeting.sign_in_token]))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def meeting_sign_in_toggle(request, pk: int):
    """Turn the QR sign-in of a meeting on (``enabled=1``) or off."""
    meeting = _changeable_meeting(request, pk)
    services.set_sign_in(meeting, request.POST.get("enabled") == "1", actor=request.user)
    return redirect(meeting.get_absolute_url() + "#sign-in")


@login_required
def sign_in(request, token: str):
    """A member opening the meeting's QR code is marked present (once; meeting day only)."""
    try:
        meeting, row, already = services.sign_in(token, request.user)
    except Meeting.DoesNotExist:
        raise Http404 from None
    except services.SignInError as exc:
        status = 404 if exc.code in ("not_expected", "no_member", "disabled") else 410
        return render(request, "records/sign_in.html", {"error": str(exc)}, status=status)
    return render(request, "records/sign_in.html",
                  {"meeting": meeting, "row": row, "already": already})


@login_required
def attendance_export(request):
    """会议出席台账: one row per expected attendee of the visible meetings (filters of
    :class:`~.filtersets.AttendanceFilterSet`), streamed in flat memory."""
    queryset = Attendance.objects.visible_to(request.user)
    queryset = filtersets.AttendanceFilterSet(request.GET, queryset=queryset, request=request).qs
    ledger = ATTENDANCE_LEDGER
    if (job := offload(request, queryset.count(), ledger.title)) is not None:
        return job  # a large export: made in the background (core.export_jobs)
    return xlsx_response(f"{ledger.title}.xlsx", ledger.title, ledger.columns, ledger.rows(queryset))


def _changeable_suggestion(request, pk) -> Suggestion:
    suggestion = get_object_or_404(Suggestion.objects.restrict(request.user, VIEW), pk=pk)
    if not Suggestion.objects.restrict(request.user, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied(_("您的账号只有查看权限，不能答复此建议。"))
    return suggestion


@require_POST
@login_required
def suggestion_handle(request, pk: int):
    """received → handling."""
    suggestion = _changeable_suggestion(request, pk)
    try:
        services.start_handling(suggestion, request.user)
    except IllegalTransition as exc:
        messages.error(request, str(exc))
    return redirect(suggestion.get_absolute_url())


@require_POST
@login_required
def suggestion_answer(request, pk: int):
    """→ answered with the reply of :class:`~.forms.AnswerForm`."""
    suggestion = _changeable_suggestion(request, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_suggestion(suggestion, form.cleaned_data["reply"], request.user,
                                       form.cleaned_data["replied_on"])
            messages.success(request, _("已答复。"))
        except (IllegalTransition, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.error(request, _("请填写办理答复。"))
    return redirect(suggestion.get_absolute_url())


def _own_member(request) -> Member | None:
    return Member.objects.filter(user=request.user, is_active=True).select_related("org").first()


def _no_member(request, title):
    return render(request, "records/my_form.html", {"form": None, "title": title, "member": None})


@login_required
def my_suggestion(request):
    """A member gives a suggestion to his or her branch (may be anonymous)."""
    member = _own_member(request)
    if member is None:
        return _no_member(request, _("提意见建议"))
    form = forms.MySuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.submit_suggestion(member.org, form.cleaned_data["content"], member=member,
                                   anonymous=form.cleaned_data["anonymous"], channel="网上提交",
                                   actor=request.user)
        messages.success(request, _("已提交，谢谢您的意见建议。"))
        return redirect("records:my_suggestion")
    return render(request, "records/my_form.html", {"form": form, "title": _("提意见建议"), "member": member})


@login_required
def my_self_study(request):
    """A member logs his or her own self-study (reading list of the branch's campaigns)."""
    member = _own_member(request)
    if member is None:
        return _no_member(request, _("记录个人自学"))
    form = forms.MySelfStudyForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        form.instance.member, form.instance.org = member, member.org
        try:
            services.save_record(form.instance, actor=request.user)
            messages.success(request, _("已记录。"))
            return redirect("records:my_self_study")
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
    recent = SelfStudy.objects.filter(member=member).select_related("reading")[:10]
    return render(request, "records/my_form.html",
                  {"form": form, "title": _("记录个人自学"), "member": member, "recent": recent})


@login_required
def my_micro_lecture(request):
    """A member records the 微党课 he or she gave to the own branch (seed 三.2（2）
    "普通党员全员讲好微党课"); it counts for the member in the task's evidence."""
    member = _own_member(request)
    if member is None:
        return _no_member(request, _("记录我的微党课"))
    form = forms.MyMicroLectureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lecture = form.instance
        lecture.kind, lecture.speaker = LectureKind.MICRO_LECTURE, member
        lecture.org = lecture.audience = member.org
        try:
            services.save_record(lecture, actor=request.user)
            messages.success(request, _("已记录。"))
            return redirect("records:my_micro_lecture")
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
    recent = Lecture.objects.filter(speaker=member, kind=LectureKind.MICRO_LECTURE)[:10]
    return render(request, "records/my_form.html",
                  {"form": form, "title": _("记录我的微党课"), "member": member, "recent": recent,
                   "recent_title": _("最近的微党课")})


class ReadingListView(ObjectListView):
    """The reading lists of the campaigns the user can see (a committee's list is read by
    the branches below it)."""

    model = Reading
    filterset_class = filtersets.ReadingFilterSet
    template_name = "records/reading_list.html"
    title = gettext_lazy("学习书目")

    def get_table_class(self):
        from .tables_reading import ReadingTable

        return ReadingTable

    def get_queryset(self):
        return super().get_queryset().select_related("campaign", "org")
