"""Legacy binary formats (.doc, .wps, .rtf; .xls, .et) through LibreOffice.

LibreOffice converts them faithfully, list labels included; there is no maintained pure
Python reader for .doc/.wps. Without LibreOffice on PATH the file is refused with a message
saying how to convert it by hand.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from taizhang.core.office import find_soffice

from ..model import DocumentError, SourceDocument

__all__ = ["find_soffice", "read_legacy"]

WORD_LIKE = {".doc", ".wps", ".rtf", ".dot", ".wpt", ".odt"}
SHEET_LIKE = {".xls", ".et", ".ods"}
# Converting a large document takes seconds; a stuck office process must not hang an import.
TIMEOUT_SECONDS = 180


# find_soffice lives in core.office (pure Python, shared with the reports' PDF); re-exported here.


def read_legacy(path: Path, target: str, name: str | None = None) -> SourceDocument:
    """Convert ``path`` with LibreOffice to ``target`` ("docx" or "xlsx") and read the result.

    Raises :class:`DocumentError` when LibreOffice is missing (saying how to convert by hand),
    fails, or times out.
    """
    name = name or path.name
    soffice = find_soffice()
    if soffice is None:
        raise DocumentError(
            f"{name}：读取{f' {path.suffix} ' if path.suffix else '此类'}文件需要服务器安装 LibreOffice（soffice），目前未安装；"
            f"请用 WPS 或 Office 打开该文件，另存为 .{target}（文件 → 另存为 .{target}）后重新上传"
        )
    with tempfile.TemporaryDirectory(prefix="taizhang-convert-") as tmp:
        tmp_path = Path(tmp)
        # A private profile: a user's running LibreOffice would otherwise swallow the job.
        profile = (tmp_path / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", target, "--outdir", str(tmp_path / "out"), str(path)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(
                f"{name}：LibreOffice 在 {TIMEOUT_SECONDS} 秒内未能完成转换；请另存为 .{target} 后重新上传"
            ) from exc
        except OSError as exc:
            raise DocumentError(f"{name}：无法运行 LibreOffice（{exc}），请另存为 .{target} 后重新上传") from exc
        converted = tmp_path / "out" / (path.stem + "." + target)
        if not converted.exists():
            raise DocumentError(
                f"{name}：LibreOffice 无法把它转换为 .{target}，文件可能已损坏；"
                f"请用 WPS 或 Office 打开后另存为 .{target} 再上传"
            )
        if target == "xlsx":
            from .xlsx import read_xlsx

            return read_xlsx(converted, name=name)
        from .docx import read_docx

        return read_docx(converted, name=name)
