"""Forms of the orgs app: upload a roster for an organization the user manages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import MANAGE

from .fields import OrgChoiceField
from .models import Organization, OrgKind

ROSTER_SUFFIXES = {".xlsx", ".xls", ".csv"}


class RosterUploadForm(forms.Form):
    """A roster file (.xlsx/.xls/.csv) and the organization (committee, general branch or
    branch) it is imported into; only organizations where the user may "manage". The file's
    type and size are checked, naming it, by the import view (``core.uploads.check_upload``)."""

    file = forms.FileField(label=_("花名册文件"),
                           help_text=_("支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）"))
    org = OrgChoiceField(label=_("导入到"), queryset=Organization.objects.none(), action=MANAGE,
                         kinds=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organization.objects.restrict(user, MANAGE).filter(
            kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH])
        self.fields["org"].queryset = qs
        first = qs.first()
        if first is not None:
            self.fields["org"].initial = first.pk

