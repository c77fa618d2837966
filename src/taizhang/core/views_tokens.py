"""Personal API tokens: the owner's page (list, issue, revoke) and the REST endpoints.

``POST /api/token/`` (username, password, optional name) issues a token through django-axes,
so a locked-out account is told so (HTTP 429) instead of "wrong password"; ``/api/tokens/``
lists the caller's own tokens and ``DELETE /api/tokens/{id}/`` revokes one. Nobody sees or
revokes another user's tokens (404). Issue 13 §3.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import tokens
from .models import ApiToken


class TokenNameForm(forms.Form):
    """The name a user gives a new token (which script or device uses it)."""

    name = forms.CharField(label=gettext_lazy("名称"), max_length=60,
                           help_text=gettext_lazy("例如：统计脚本、办公室电脑"))


@login_required
def token_list(request):
    """The signed-in user's own tokens; POST issues a new one and shows its key once."""
    new_key = None
    form = TokenNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = tokens.issue_token(request.user, actor=request.user, name=form.cleaned_data["name"])
        form = TokenNameForm()
    rows = ApiToken.objects.filter(user=request.user)
    return render(request, "core/tokens.html", {
        "tokens": rows, "form": form, "new_key": new_key, "days": tokens.token_lifetime().days})


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's own tokens (another user's: 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(token, actor=request.user)
    messages.success(request, _("已撤销令牌 %(name)s。") % {"name": token.name})
    return redirect("api_tokens")


class ObtainTokenSerializer(serializers.Serializer):
    """Credentials for ``POST /api/token/``."""

    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(required=False, max_length=60, default="API")


class IssuedTokenSerializer(serializers.Serializer):
    """The answer of ``POST /api/token/``: the key (shown only here) and when it expires."""

    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ObtainTokenView(APIView):
    """Exchange a username and password for a new named token (expires after
    ``TAIZHANG_TOKEN_DAYS``). Failed attempts count towards django-axes' lockout; a
    locked-out account gets 429 with the reason, wrong credentials 400."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = ObtainTokenSerializer

    @extend_schema(request=ObtainTokenSerializer, responses={200: IssuedTokenSerializer})
    def post(self, request):
        data = ObtainTokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": _("登录失败次数过多，账号已被暂时锁定，请稍后再试或联系管理员。")},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            return Response({"detail": _("用户名或密码不正确。")}, status=status.HTTP_400_BAD_REQUEST)
        token, key = tokens.issue_token(user, actor=user, name=data.validated_data["name"])
        return Response({"token": key, "expires_at": token.expires_at})


class ApiTokenSerializer(serializers.ModelSerializer):
    """One of the caller's tokens as listed (never the key)."""

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"]


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """The caller's own API tokens: list, read, revoke (DELETE). Only the owner's rows."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        tokens.revoke_token(instance, actor=self.request.user)
