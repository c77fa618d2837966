"""Forms of the orgs app: upload a roster for an organization the user manages."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import MANAGE

from .models import Organization, OrgKind

ROSTER_SUFFIXES = {".xlsx", ".xls", ".csv"}


class RosterUploadForm(forms.Form):
    """A roster file (.xlsx/.xls/.csv) and the organization (committee, general branch or
    branch) it is imported into; only organizations where the user may "manage"."""

    file = forms.FileField(label=_("花名册文件"),
                           help_text=_("支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）"))
    org = forms.ModelChoiceField(label=_("导入到"), queryset=Organization.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organization.objects.restrict(user, MANAGE).filter(
            kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH])
        self.fields["org"].queryset = qs
        self.fields["org"].label_from_instance = lambda o: f"{o.name}（{o.code}）"
        first = qs.first()
        if first is not None:
            self.fields["org"].initial = first.pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ROSTER_SUFFIXES:
            raise forms.ValidationError(
                _("不支持的文件类型 %(suffix)s：请上传 .xlsx、.xls 或 .csv 文件。"),
                params={"suffix": suffix or _("（无扩展名）")},
            )
        if upload.size > settings.TAIZHANG_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大（上限 20 MB）。"))
        return upload
