"""The ``brief`` report: a publicity brief (简报, seed 四.4 宣传) from records the office
picks, each with its photos (image attachments). Records are named ``kind:id`` with the
registry's kind codes (``core.sources``: meeting:12, lecture:3, case:1 …)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import Attachment
from taizhang.core.sources import get_source

from ..params import NotVisible, ParamError
from .common import Params, cn_date, scoped, text

SCHEMA = {
    "unit": _("编发单位"), "date": _("日期"), "count": _("条目数"),
    "items": [{"title": _("标题"), "kind": _("类别"), "org": _("组织"), "date": _("日期"),
               "text": _("内容"), "photos": [{"image": _("图片"), "name": _("图片名称")}]}],
}
TEXT_FIELDS = ("minutes", "content", "summary", "description", "findings", "note", "topics")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp"}
MAX_PHOTOS = 3  # per record: a brief, not an album (photos are never a quota)


def picked(params: Params) -> list:
    """The records of ``params.records`` ("kind:id"), scoped; raises ``ParamError`` for a
    malformed or unknown kind, ``NotVisible`` for a record the user may not see."""
    objects = []
    for ref in params.records:
        code, _sep, pk = str(ref).partition(":")
        try:
            source = get_source(code.strip())
        except KeyError:
            raise ParamError(f"“{ref}”：未知的记录类型“{code}”") from None
        if not pk.strip().isdigit():
            raise ParamError(f"“{ref}”：记录编号应为数字，如 meeting:12")
        obj = scoped(source.model_class.objects.all(), params.user).filter(pk=int(pk)).first()
        if obj is None:
            raise NotVisible(f"找不到记录“{ref}”")
        objects.append((source, obj))
    return objects


def _photos(obj) -> list[dict]:
    from taizhang.reports.templating import Photo

    attachments = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj),
                                            object_id=obj.pk).order_by("pk")
    photos = []
    for a in attachments:
        if Path(a.name).suffix.lower() in IMAGE_SUFFIXES and len(photos) < MAX_PHOTOS:
            with a.file.open("rb") as handle:
                photos.append({"image": Photo(handle.read()), "name": a.name})
    return photos


def build(params: Params, progress=None) -> dict:
    """The brief's context: one item per picked record, in the order picked."""
    items = []
    for source, obj in picked(params):
        body = next((getattr(obj, f) for f in TEXT_FIELDS if getattr(obj, f, "")), "")
        items.append({"title": str(obj), "kind": str(source.label), "org": obj.org.name if hasattr(obj, "org") else "",
                      "date": cn_date(getattr(obj, source.date_field, None)), "text": text(body),
                      "photos": _photos(obj)})
    unit = params.org.name if params.org else (items[0]["org"] if items else "")
    return {"unit": unit, "date": cn_date(timezone.localdate()), "count": len(items), "items": items}
