"""Checked file imports: upload → validate the whole file (dry run) → preview → confirm.

An app that imports a file (the roster, the rectification ledger) subclasses
:class:`CheckedImportView` and states only what is its own: the upload form, the import
service (:meth:`CheckedImportView.run_import`), the template with its preview columns, the
success message and where to go afterwards. This module does the rest, once:

- the upload's extension and size are checked, the refusal naming the user's file;
- the file is kept on disk under its own name (:class:`PendingUploads`) between the preview
  and the confirm, tied to the session by a random token, and dropped after the confirm, a
  cancel, a newer upload, or :data:`PENDING_MAX_AGE`;
- the preview is a dry run inside a transaction that is always rolled back; the confirm
  validates the kept file again and writes in one transaction, rolled back on any error
  (CONTRIBUTING "Imports are atomic": every bad row reported, nothing written); an import
  that is atomic itself (``import_is_atomic``) is called without one, so that it reads the
  file before it takes the database's write lock;
- both steps need the view's ``scope_action`` on some organization (403 otherwise), and the
  confirm writes only into an organization where the user still has it (404 otherwise).
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .scoping import CHANGE

PENDING_MAX_AGE = 24 * 3600  # seconds an uploaded, unconfirmed file is kept
UPLOAD = "upload"
CONFIRM = "confirm"
TOKEN = re.compile(r"[0-9a-f]{32}")


#: Errors listed on an import's page (the rest are counted): a file of 100,000 bad rows
#: must not render a page of 100,000 items; the command line prints every one.
SHOWN_ERRORS = 200


def check_upload(upload, suffixes, *, wrong_type: str | None = None, max_bytes: int | None = None) -> None:
    """Refuse an uploaded file of the wrong type or too large, naming the user's file.

    ``upload``: a Django ``UploadedFile`` (``name``, ``size`` in bytes). ``suffixes``: the
    allowed extensions, lower case with the dot (``{".xlsx", ".csv"}``). ``wrong_type``: the
    reason shown for another extension; it may use ``%(suffix)s`` (the file's extension, or
    "（无扩展名）"). ``max_bytes``: the size limit, by default
    ``settings.TAIZHANG_MAX_UPLOAD_BYTES``.

    Raises :class:`django.core.exceptions.ValidationError` whose one message reads
    "<file name>：<reason>".
    """
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        reason = (wrong_type or _("不支持的文件类型 %(suffix)s：请上传 %(allowed)s 文件。")) % {
            "suffix": suffix or _("（无扩展名）"), "allowed": "、".join(sorted(suffixes))}
        raise ValidationError(_("%(name)s：%(reason)s") % {"name": name, "reason": reason}, code="file_type")
    limit = settings.TAIZHANG_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    if upload.size > limit:
        reason = _("文件过大（上限 %(mb)s MB）。") % {"mb": f"{limit / (1024 * 1024):g}"}
        raise ValidationError(_("%(name)s：%(reason)s") % {"name": name, "reason": reason}, code="file_size")


def limit_text(max_bytes: int | None = None) -> str:
    """"文件大小上限 20 MB": the upload limit (``settings.TAIZHANG_MAX_UPLOAD_BYTES`` unless
    ``max_bytes``) as the forms state it."""
    limit = settings.TAIZHANG_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    return _("文件大小上限 %(mb)s MB") % {"mb": f"{limit / (1024 * 1024):g}"}


def state_limit(form, max_bytes: int | None = None):
    """Add :func:`limit_text` to the help text of every file field of ``form`` (after the
    field's own hint); returns the form."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.FileField) and limit_text(max_bytes) not in str(field.help_text or ""):
            hint = str(field.help_text or "")
            field.help_text = f"{hint}；{limit_text(max_bytes)}" if hint else limit_text(max_bytes)
    return form


def kept_name(name: str) -> str:
    """The user's file name as it is kept on disk: its last part, without NUL; ``upload``
    plus its extension when that is empty or too long (over 200 bytes in UTF-8)."""
    name = Path((name or "").replace("\\", "/")).name.replace("\x00", "")
    if name in {"", ".", ".."} or len(name.encode("utf-8")) > 200:
        suffix = Path(name).suffix
        return "upload" + (suffix if len(suffix) <= 16 else "")
    return name


class PendingUploads:
    """Uploaded files kept until they are confirmed, as ``MEDIA_ROOT/<folder>/<token>/<name>``.

    The file keeps the user's name (see :func:`kept_name`), so that an importer's messages
    that quote the file's name quote the user's, not a token. ``folder``: a folder name below
    ``settings.MEDIA_ROOT`` (created when needed). ``max_age``: seconds after which a kept
    file is dropped by the next :meth:`store`.
    """

    def __init__(self, folder: str, max_age: int = PENDING_MAX_AGE):
        self.folder = folder
        self.max_age = max_age

    @property
    def directory(self) -> Path:
        """The folder the files are kept in (created on first use)."""
        path = Path(settings.MEDIA_ROOT) / self.folder
        path.mkdir(parents=True, exist_ok=True)
        return path

    def store(self, upload, name: str) -> str:
        """Keep ``upload`` (an ``UploadedFile``, written chunk by chunk, or ``bytes``) as
        ``name`` under a new random token, after dropping what is older than ``max_age``.
        Returns the token (32 hex digits). Raises ``OSError`` when the folder cannot be written."""
        folder = self.directory
        now = time.time()
        for old in folder.iterdir():
            try:
                if now - old.stat().st_mtime > self.max_age:
                    shutil.rmtree(old) if old.is_dir() else old.unlink()
            except FileNotFoundError:  # dropped meanwhile by another request
                pass
        token = secrets.token_hex(16)
        (folder / token).mkdir()
        with open(self.path(token, name), "wb") as handle:
            if isinstance(upload, (bytes, bytearray)):
                handle.write(upload)
            else:
                for chunk in upload.chunks():
                    handle.write(chunk)
        return token

    def path(self, token: str, name: str) -> Path:
        """Where the file of ``token`` is kept (it may be gone: expired or already used).
        Raises ``ValueError`` for a token that :meth:`store` cannot have made."""
        if not TOKEN.fullmatch(token or ""):
            raise ValueError(f"not an upload token: {token!r}")
        return self.directory / token / kept_name(name)

    def discard(self, token: str) -> None:
        """Drop the file of ``token``; nothing happens when it is already gone."""
        if TOKEN.fullmatch(token or ""):
            shutil.rmtree(self.directory / token, ignore_errors=True)


class CheckedImportView(LoginRequiredMixin, View):
    """Base view of an import: upload → dry-run preview (or every bad row) → confirm.

    Route it twice: ``View.as_view()`` for the upload page (GET: empty form; POST: check the
    file, dry run, preview) and ``View.as_view(step=CONFIRM)`` for the confirm (POST only,
    with ``token`` and ``confirm`` or ``cancel``).

    A subclass sets:

    - ``form_class``: a form taking ``user=`` whose ``cleaned_data`` holds ``file`` and ``org``
      (an organization the user may ``scope_action``);
    - ``template_name``: usually extends ``core/import.html``; it gets ``form``, and after an
      upload ``result``, ``org``, ``filename``, and for a clean preview ``token`` and
      ``confirm_url``;
    - ``url_name`` / ``confirm_url_name``: the URL names of the two steps;
    - ``session_key``, ``pending_folder``: where the pending import is remembered and kept;
    - ``suffixes`` and ``wrong_type``: the accepted extensions and the reason for others
      (see :func:`check_upload`);
    - ``scope_action``: the action needed ("change" by default, "manage" for the roster);
    - ``denied_message``: the reason of the 403 for a user who may import nowhere;
    - ``import_is_atomic``: True when :meth:`run_import` writes nothing for a dry run or an
      error by itself and should be called outside a transaction (a large import reads its
      file before taking the database's write lock);
    - ``background_runner``: the dotted path of the import function to run as a background
      job (:mod:`taizhang.core.jobs`) when the previewed file has at least
      ``settings.TAIZHANG_BACKGROUND_IMPORT_ROWS`` rows (needs ``import_is_atomic``);
      ``background_label`` names the import on the job's page;
    - ``expired_message``: shown when the confirm finds no pending import (token not of this
      session, file expired or already used); ``expired_status``: ``None`` redirects to the
      upload page, a status code (e.g. 400) renders the page with that status instead;

    and implements :meth:`run_import`, :meth:`success_message`, :meth:`get_success_url`.
    """

    step = UPLOAD
    form_class = None
    template_name: str = "core/import.html"
    url_name: str = ""
    confirm_url_name: str = ""
    session_key: str = ""
    pending_folder: str = ""
    suffixes: frozenset[str] = frozenset({".xlsx"})
    wrong_type: str | None = None
    file_field = "file"
    scope_action = CHANGE
    expired_message: str = ""
    expired_status: int | None = None
    import_is_atomic = False
    background_runner: str = ""
    background_label: str = ""
    #: Why a user with no organization where they may ``scope_action`` is refused (403).
    denied_message = gettext_lazy("您的账号没有可导入的组织：导入需要该组织的维护权限。")

    # ---- what a subclass states --------------------------------------------------------

    def run_import(self, path: Path, org, *, dry_run: bool, name: str):
        """Import the kept file at ``path`` into ``org`` (``dry_run``: check and count only).

        ``name``: the user's file name, for messages. Returns a result with ``ok`` (bool) and
        ``errors`` (each naming its row), never raising for bad content. The caller wraps it
        in a transaction (rolled back for a dry run or when not ``ok``), unless
        ``import_is_atomic`` says it is atomic itself.
        """
        raise ImproperlyConfigured(f"{type(self).__name__} must define run_import()")

    def success_message(self, result) -> str:
        """The message shown after a confirmed import (what was written)."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define success_message()")

    def get_success_url(self, org, result) -> str:
        """Where to go after a confirmed import into ``org``."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_success_url()")

    def new_organizations(self, result) -> list[str]:
        """The names of the organizations the import of ``result`` creates (none by default).
        A subclass that returns some has each ticked one by one in the preview: the confirm
        checks them on a dry run first and writes nothing while one is not ticked (issue 15
        §2: an import never creates an organization the user did not confirm)."""
        return []

    def unconfirmed_organizations(self, path: Path, org, name: str, confirmed: set[str]):
        """(dry-run result, names it would create that are not in ``confirmed``), or
        (None, []) for an import that creates no organizations."""
        if type(self).new_organizations is CheckedImportView.new_organizations:
            return None, []
        preview = self.import_atomically(path, org, dry_run=True, name=name)
        if not preview.ok:
            return preview, []
        return preview, [n for n in self.new_organizations(preview) if n not in confirmed]

    # ---- scoping ---------------------------------------------------------------------------

    def organizations(self):
        """Organizations where the user may ``scope_action`` (imports go into one of them)."""
        from taizhang.orgs.models import Organization

        return Organization.objects.restrict(self.request.user, self.scope_action)

    def dispatch(self, request, *args, **kwargs):
        """Login (redirect), then the scope action somewhere (403), then POST for the confirm (405)."""
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.organizations().exists():
            raise PermissionDenied(self.denied_message)
        if self.step == CONFIRM and request.method != "POST":
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    # ---- the two steps ---------------------------------------------------------------------

    @property
    def pending(self) -> PendingUploads:
        """The kept files of this import."""
        return PendingUploads(self.pending_folder)

    def get_form(self, bound: bool = False):
        """The upload form (bound to the request's POST and files when ``bound``); each file
        field states the size limit beside it (:func:`state_limit`)."""
        if bound:
            form = self.form_class(self.request.POST, self.request.FILES, user=self.request.user)
        else:
            form = self.form_class(user=self.request.user)
        state_limit(form)
        return form

    def render_page(self, context: dict, status: int | None = None):
        """Render ``template_name`` with ``context`` (a blank form added when missing, and
        for a result the organizations it would create, ``new_orgs``, to tick one by one;
        its first :data:`SHOWN_ERRORS` errors as ``errors_shown`` and the number of the
        others as ``errors_more``)."""
        context.setdefault("form", self.get_form())
        errors = list(getattr(context.get("result"), "errors", None) or ())
        context.update(errors_shown=errors[:SHOWN_ERRORS], errors_more=max(0, len(errors) - SHOWN_ERRORS))
        if context.get("result") is not None and getattr(context["result"], "ok", False):
            context.setdefault("new_orgs", self.new_organizations(context["result"]))
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        """The empty upload form."""
        return self.render_page({})

    def post(self, request, *args, **kwargs):
        """Upload step: check and dry-run the file; confirm step: see :meth:`confirm`."""
        if self.step == CONFIRM:
            return self.confirm()
        self.forget_pending()  # only the file previewed last may be confirmed
        form = self.get_form(bound=True)
        if not self.upload_is_valid(form):
            return self.render_page({"form": form})
        upload, org = form.cleaned_data[self.file_field], form.cleaned_data["org"]
        name = Path(upload.name).name
        token = self.pending.store(upload, name)
        result = self.import_atomically(self.pending.path(token, name), org, dry_run=True, name=name)
        context = {"form": form, "result": result, "org": org, "filename": name}
        if result.ok:
            self.request.session[self.session_key] = {"token": token, "org": org.pk, "name": name,
                                                      "rows": getattr(result, "rows_read", 0)}
            context.update(token=token, confirm_url=reverse(self.confirm_url_name))
        else:
            self.pending.discard(token)
        return self.render_page(context)

    def upload_is_valid(self, form) -> bool:
        """Validate ``form``; a wrong type or size replaces the file's errors by one naming it."""
        valid = form.is_valid()
        upload = self.request.FILES.get(self.file_field)
        if upload is not None:
            try:
                check_upload(upload, self.suffixes, wrong_type=self.wrong_type)
            except ValidationError as refusal:
                form.errors[self.file_field] = form.error_class(refusal.messages)
                valid = False
        return valid

    def confirm(self):
        """Write the previewed file, validated again (the data may have changed meanwhile).

        Without a pending import of this session or its kept file: ``expired_message``.
        ``cancel`` drops it. Errors found now are shown like a preview's, nothing written.
        """
        request = self.request
        pending = request.session.get(self.session_key)
        token = request.POST.get("token") or ""
        if not TOKEN.fullmatch(token) or not isinstance(pending, dict) \
                or not secrets.compare_digest(str(pending.get("token", "")), token):
            return self.expired()
        org = get_object_or_404(self.organizations(), pk=pending.get("org"))
        if "cancel" in request.POST:
            self.forget_pending()
            messages.info(request, _("已取消导入。"))
            return redirect(self.url_name)
        name = str(pending.get("name") or "")
        path = self.pending.path(token, name)
        if not path.is_file():
            self.forget_pending()
            return self.expired()
        preview, unconfirmed = self.unconfirmed_organizations(
            path, org, name or path.name, set(request.POST.getlist("new_org")))
        if unconfirmed:  # nothing written; the preview again, still confirmable
            return self.render_page({
                "result": preview, "org": org, "filename": name or path.name, "token": token,
                "confirm_url": reverse(self.confirm_url_name), "unconfirmed": unconfirmed,
                "new_orgs_error": _("未导入：请逐一勾选确认将新建的组织（%(names)s），或修改文件中的组织名称后重新上传。")
                % {"names": "、".join(unconfirmed)}})
        if self.runs_in_background(pending):
            return self.start_background(path, org, name or path.name)
        result = self.import_atomically(path, org, dry_run=False, name=name or path.name)
        self.forget_pending()
        if not result.ok:
            return self.render_page({"result": result, "org": org, "filename": name or path.name})
        messages.success(request, self.success_message(result))
        return redirect(self.get_success_url(org, result))

    def runs_in_background(self, pending: dict) -> bool:
        """True when the confirmed import is large enough for a background job."""
        rows = pending.get("rows") if isinstance(pending.get("rows"), int) else 0
        return bool(self.background_runner) and self.import_is_atomic \
            and rows >= settings.TAIZHANG_BACKGROUND_IMPORT_ROWS

    def start_background(self, path: Path, org, name: str):
        """Queue the import of the kept file as a job and show its page (issue 13 §1)."""
        from .jobs import start_job

        job = start_job(runner=self.background_runner, source=path, name=name, org=org,
                        user=self.request.user, label=self.background_label,
                        next_url=self.get_success_url(org, None))
        self.forget_pending()
        messages.info(self.request, _("导入已在后台开始，您可以离开本页，稍后回来查看结果。"))
        return redirect("job_detail", job["id"])

    def import_atomically(self, path: Path, org, *, dry_run: bool, name: str):
        """:meth:`run_import` in one transaction, rolled back for a dry run or any error;
        or, when ``import_is_atomic``, called as it is (it reads and checks the file outside
        any transaction and writes in a short one of its own: a transaction around it would
        hold SQLite's write lock while the file is read, issue 13 §1)."""
        if self.import_is_atomic:
            return self.run_import(path, org, dry_run=dry_run, name=name)
        with transaction.atomic():
            result = self.run_import(path, org, dry_run=dry_run, name=name)
            if dry_run or not result.ok:
                transaction.set_rollback(True)
        return result

    def forget_pending(self) -> None:
        """Drop this session's pending import and its kept file, if any."""
        pending = self.request.session.pop(self.session_key, None)
        if isinstance(pending, dict):
            self.pending.discard(str(pending.get("token", "")))

    def expired(self):
        """The confirm found nothing to write: say so (redirect, or render with ``expired_status``)."""
        messages.error(self.request, self.expired_message or _("导入已失效，请重新上传文件。"))
        if self.expired_status is None:
            return redirect(self.url_name)
        return self.render_page({}, status=self.expired_status)
