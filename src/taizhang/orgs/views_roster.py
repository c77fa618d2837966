"""Roster import (upload → validation report or preview → confirm) and export pages.

Only users with the "manage" action on the target organization may import; the export
holds the members the user may see, filtered like the list, phones masked.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.excel import xlsx_response
from taizhang.core.scoping import MANAGE
from taizhang.core.uploads import CONFIRM, CheckedImportView

from .filtersets import MemberFilterSet
from .forms import ROSTER_SUFFIXES, RosterUploadForm
from .services import EXPORT_COLUMNS, import_roster, roster_queryset, roster_rows


class RosterImportView(CheckedImportView):
    """Upload a roster → validation report (every bad row) or a preview of the changes →
    confirm (validated again: the data may have changed). Needs "manage" on some organization;
    the upload, keeping and atomic write are :class:`taizhang.core.uploads.CheckedImportView`'s."""

    form_class = RosterUploadForm
    template_name = "orgs/roster_import.html"
    url_name = "orgs:roster_import"
    confirm_url_name = "orgs:roster_import_confirm"
    session_key = "orgs_roster_import"
    pending_folder = "roster_pending"
    suffixes = frozenset(ROSTER_SUFFIXES)
    wrong_type = gettext_lazy("不支持的文件类型 %(suffix)s：请上传 .xlsx、.xls 或 .csv 文件。")
    scope_action = MANAGE
    denied_message = gettext_lazy("只有组织的管理人员（党委办公室）可以导入花名册。")
    import_is_atomic = True  # import_roster reads and checks the file before its transaction
    expired_message = gettext_lazy("导入已失效，请重新上传花名册。")

    def run_import(self, path, org, *, dry_run, name):
        """:func:`taizhang.orgs.services.import_roster` of the kept file's bytes."""
        return import_roster(path.read_bytes(), org, dry_run=dry_run, filename=name)

    def success_message(self, result) -> str:
        """Counts of members created, updated, unchanged and organizations created."""
        return _(
            "花名册已导入：新增党员 %(c)d 名，更新 %(u)d 名，未变 %(n)d 名，新建组织 %(o)d 个。"
        ) % {"c": result.created, "u": result.updated, "n": result.unchanged, "o": len(result.orgs_created)}

    def new_organizations(self, result) -> list[str]:
        """The branches and groups the roster names that do not exist yet: each is ticked in
        the preview before anything is written (a misspelt 所在支部 must not become a branch)."""
        return list(result.orgs_created)

    def get_success_url(self, org, result) -> str:
        """The page of the organization imported into."""
        return org.get_absolute_url()


roster_import = RosterImportView.as_view()
roster_import_confirm = RosterImportView.as_view(step=CONFIRM)


@login_required
def roster_export(request):
    """The roster as .xlsx: members the user may see, with the list's filters; phones masked."""
    base = roster_queryset(request.user)
    filterset = MemberFilterSet(request.GET or None, queryset=base, request=request)
    # Like FilterView's strict mode: an invalid filter (e.g. another branch's id) gives no rows.
    queryset = filterset.qs if not filterset.is_bound or filterset.is_valid() else base.none()
    name = f"党员花名册-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(name, "党员花名册", EXPORT_COLUMNS, roster_rows(queryset))
