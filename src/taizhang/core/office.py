"""LibreOffice headless: the one place that finds ``soffice`` and converts office files.

Pure Python (no Django import), so the plan importer (which must not import Django) uses it
too. LibreOffice converts .doc/.wps/.xls for the importer and turns the reports' .docx into
PDF, so the Word and the PDF of a report are the same document.

Where LibreOffice is missing, :func:`find_soffice` returns None and callers say so (the
reports' PDF button, the importer's refusal); tests that need it call
:func:`require_libreoffice`, which skips them, or fails them under CI
(``TAIZHANG_REQUIRE_LIBREOFFICE=1``, set by ``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Converting a large document takes seconds; a stuck office process must not hang a request.
TIMEOUT_SECONDS = 180


class ConversionError(Exception):
    """LibreOffice is missing, failed, or timed out; the message says which (Chinese)."""


def find_soffice() -> str | None:
    """Path of the LibreOffice command (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, target: str, outdir: Path, timeout: int = TIMEOUT_SECONDS) -> Path:
    """Convert ``path`` with LibreOffice headless to ``target`` ("pdf", "docx", "xlsx") in
    ``outdir``; returns the converted file. Each run uses a private profile (a user's running
    LibreOffice would otherwise swallow the job, and two conversions at once would collide).

    Raises :class:`ConversionError` when LibreOffice is missing, cannot run, times out, or
    writes no file (a damaged input)."""
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError("服务器未安装 LibreOffice（soffice），无法转换")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="taizhang-lo-profile-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--convert-to", target, "--outdir", str(outdir), str(path)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice 在 {timeout} 秒内未能完成转换") from exc
        except OSError as exc:
            raise ConversionError(f"无法运行 LibreOffice（{exc}）") from exc
    converted = outdir / (path.stem + "." + target.split(":")[0])
    if not converted.exists():
        raise ConversionError("LibreOffice 无法转换该文件，文件可能已损坏")
    return converted


def docx_to_pdf(content: bytes, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a .docx given as bytes (see :func:`convert`; raises :class:`ConversionError`)."""
    with tempfile.TemporaryDirectory(prefix="taizhang-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(content)
        return convert(source, "pdf", Path(tmp) / "out", timeout).read_bytes()


def require_libreoffice() -> str:
    """For tests: the soffice path; skips the test when LibreOffice is missing, fails it
    under CI (``TAIZHANG_REQUIRE_LIBREOFFICE=1``)."""
    import pytest

    soffice = find_soffice()
    if soffice is None:
        if os.environ.get("TAIZHANG_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice is required here but soffice is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice
