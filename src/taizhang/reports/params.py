"""Reading a report's parameters (from a page's query string or the command's options) into
:class:`~taizhang.reports.builders.common.Params`, scoped to the user."""

from __future__ import annotations

from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign
from taizhang.records.models import Meeting

from .builders.common import Params, scoped
from .kinds import ReportKind


class ParamError(ValueError):
    """A parameter is missing, malformed, or names something the user may not see;
    ``param`` names it ("campaign", "org", "meeting", "year", "record"; the command's
    option without its dashes) when known."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


class NotVisible(ParamError):
    """A parameter names a campaign, organization or meeting that does not exist or that
    the user may not see (the pages answer 404)."""


def _int(raw, name: str, param: str | None = None) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ParamError(f"{name}“{raw}”不是数字", param) from None
    if param != "year" and not 1 <= value <= 2**63 - 1:
        raise ParamError(f"{name} {value} 超出范围（应为正整数）", param)
    return value


def resolve(kind: ReportKind, raw: dict, user=None) -> Params:
    """Params of ``kind`` from ``raw`` ({"campaign": id, "org": code, "meeting": id (the
    LifeMeeting's for a kind needing "life_meeting", or "life_meeting": id),
    "year": YYYY, "records": ["meeting:12", …]}); ``user`` None = everything (the command).
    Raises :class:`ParamError` (Chinese, naming the parameter) when one is missing, bad, or
    out of the user's scope."""
    params = Params(user=user)
    if "life_meeting" in kind.needs:
        raw = {**raw, "life_meeting": raw.get("life_meeting") or raw.get("meeting"), "meeting": None}
        params.life_meeting = _life_meeting(raw["life_meeting"], user)
    if (campaign_id := _int(raw.get("campaign"), "主题教育编号", "campaign")) is not None:
        params.campaign = scoped(Campaign.objects.select_related("org"), user).filter(pk=campaign_id).first()
        if params.campaign is None:
            raise NotVisible(f"找不到编号为 {campaign_id} 的主题教育", "campaign")
    elif "campaign" in kind.needs:
        params.campaign = scoped(Campaign.objects.select_related("org"), user).exclude(status="draft").first()
        if params.campaign is None:
            raise ParamError("请指定主题教育（--campaign ID）：没有已发布的主题教育", "campaign")
    if code := (raw.get("org") or "").strip():
        params.org = scoped(Organization.objects.all(), user).filter(code=code).first()
        if params.org is None:
            raise NotVisible(f"找不到编码为“{code}”的组织", "org")
    elif params.campaign is not None and "campaign" in kind.needs:
        params.org = params.campaign.org
    if (meeting_id := _int(raw.get("meeting"), "会议编号", "meeting")) is not None:
        params.meeting = scoped(Meeting.objects.select_related("org", "host", "recorder"), user).filter(
            pk=meeting_id).first()
        if params.meeting is None:
            raise NotVisible(f"找不到编号为 {meeting_id} 的会议记录", "meeting")
    elif "meeting" in kind.needs:
        raise ParamError("请指定会议（--meeting ID）", "meeting")
    if (year := _int(raw.get("year"), "年度", "year")) is not None:
        if not 2000 <= year <= 2100:
            raise ParamError(f"年度“{year}”不在 2000—2100 之间", "year")
        params.year = year
    elif "year" in kind.needs:
        raise ParamError("请指定年度（--year YYYY）", "year")
    if "org" in kind.needs and params.org is None:
        raise ParamError("请指定组织（--org 编码）", "org")
    params.records = [r for r in raw.get("records", []) if r]
    if "records" in kind.needs and not params.records:
        raise ParamError("请选择要编入简报的记录", "record")
    return params


def _life_meeting(raw_id, user):
    """The 民主生活会 (``democratic.LifeMeeting``) numbered ``raw_id`` that ``user`` may see."""
    from taizhang.democratic.models import LifeMeeting

    life_id = _int(raw_id, "民主生活会编号", "meeting")
    if life_id is None:
        raise ParamError("请指定民主生活会（--meeting 民主生活会编号）", "meeting")
    found = scoped(LifeMeeting.objects.select_related("org", "team", "meeting"), user).filter(pk=life_id).first()
    if found is None:
        raise NotVisible(f"找不到编号为 {life_id} 的民主生活会", "meeting")
    return found


def subject(params: Params) -> str:
    """What the report is about, for its file name."""
    parts = []
    if params.life_meeting is not None:
        parts.append(f"{params.life_meeting.org.name}-{params.life_meeting.year}年度")
    elif params.meeting is not None:
        parts.append(f"{params.meeting.org.name}-{params.meeting.date:%Y%m%d}")
    elif params.org is not None:
        parts.append(params.org.name)
    if params.year:
        parts.append(str(params.year))
    return "-".join(parts)
