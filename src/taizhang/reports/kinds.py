"""The reports, each declared once: what it needs, what it provides, how it is built.

Pages, the ``taizhang report`` command, template uploads and the background jobs read
:data:`KINDS`; nothing else lists reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReportKind:
    """One report.

    - ``code``: the command's KIND and the URL slug; ``label``/``description``: Chinese.
    - ``needs``: parameters it requires ("campaign", "meeting", "life_meeting", "org",
      "records"; a life_meeting is a ``democratic.LifeMeeting``, given as ``--meeting ID``);
      ``accepts``: further optional ones ("org", "year").
    - ``builder``: dotted path of ``build(params, progress=None) -> context`` (Word
      reports) or ``-> bytes`` (``output="zip"``); ``schema``: dotted path of the
      placeholders it provides (``reports.templating``), for templates and uploads.
    - ``output``: "docx" (Word, and PDF through LibreOffice) or "zip".
    - ``background``: run as a huey job with a progress page (long reports).
    - ``writer``: dotted path of ``write(params, target, progress=None)`` writing a .zip
      straight to a file (an archive too big for memory); used by :func:`generate.write_file`.
    """

    code: str
    label: object
    description: object
    needs: tuple[str, ...]
    accepts: tuple[str, ...]
    builder: str
    schema_path: str
    output: str = "docx"
    background: bool = False
    writer: str = ""

    @cached_property
    def schema(self) -> dict:
        return import_string(self.schema_path)

    def build(self, params, progress=None):
        return import_string(self.builder)(params, progress=progress)

    @property
    def formats(self) -> tuple[str, ...]:
        return ("zip",) if self.output == "zip" else ("docx", "pdf")


B = "taizhang.reports.builders."
KINDS: dict[str, ReportKind] = {k.code: k for k in [
    ReportKind("meeting", _("会议记录"), _("一次会议的记录，按“三会一课”记录本的格式：时间、地点、主持人、记录人、应到实到缺席及原因、议题、内容、表决结果、签字栏。"),
               ("meeting",), (), B + "meeting.build_for", B + "meeting.SCHEMA"),
    ReportKind("summary", _("主题教育总结"), _("各部分任务的完成情况、证明工作的各项数据（均由记录统计）、各支部数据表、典型案例和群众满意度。"),
               ("campaign",), ("org", "year"), B + "summary.build", B + "summary.SCHEMA", background=True),
    ReportKind("problems", _("问题清单"), _("查摆出的全部问题（无论是否已制定整改措施）及其整改状态。"),
               (), ("org", "year", "campaign"), B + "problems.build", B + "problems.SCHEMA"),
    ReportKind("dlm-report", _("民主生活会情况报告"), _("向上级报送的民主生活会情况报告：会前征求意见、谈心谈话、对照检查材料审核，到会情况，批评和自我批评情况，查摆的问题及整改措施。"),
               ("life_meeting",), (), B + "dlm.build", B + "dlm.SCHEMA"),
    ReportKind("brief", _("工作简报"), _("从选定的记录（会议、党课、调研、典型案例等）编成一期简报，附记录的照片。"),
               ("records",), ("org",), B + "brief.build", B + "brief.SCHEMA"),
    ReportKind("archive", _("年度档案"), _("一个支部（或党委）一年的全部材料：各类台账（Excel）、每次会议记录（Word）、合规检查结果、问题清单，附目录。"),
               ("org", "year"), (), B + "archive.build", B + "archive.SCHEMA", output="zip", background=True,
               writer=B + "archive.write"),
]}


def get_kind(code: str) -> ReportKind:
    """The report ``code``; raises KeyError naming the known ones."""
    try:
        return KINDS[code]
    except KeyError:
        raise KeyError(f"未知的报告类型“{code}”，可用：{'、'.join(KINDS)}") from None
