"""Forms of the notify app: a group robot of an organization the user manages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import MANAGE
from taizhang.orgs.fields import OrgChoiceField
from taizhang.orgs.models import Organization

from . import services
from .models import OrgWebhook


class OrgWebhookForm(forms.ModelForm):
    """Robot kind, address, DingTalk secret; the org among those ``user`` may "manage"."""

    url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = OrgWebhook
        fields = ["org", "kind", "name", "url", "secret", "enabled"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = OrgChoiceField(queryset=Organization.objects.restrict(user, MANAGE),
                                            label=self.fields["org"].label, action=MANAGE)
        self.fields["url"].help_text = _(
            "企业微信：群设置 → 群机器人 → 复制 Webhook 地址；钉钉：群设置 → 智能群助手 → 自定义机器人。")

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("url"):
            try:
                services.validate_webhook_url(data["kind"], data["url"])
            except forms.ValidationError as exc:
                self.add_error("url", exc)
        return data
