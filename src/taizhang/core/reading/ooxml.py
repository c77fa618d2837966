"""The one check every importer runs on an Office Open XML file (.xlsx/.docx) before parsing.

A ZIP archive states in its central directory how many entries it holds and how large each
unpacks; reading that costs milliseconds whatever the archive unpacks to. ``zipfile`` never
inflates an entry past its stated size (it stops and reports a damaged file), so the stated
sizes bound what any later parser (openpyxl, python-docx, lxml) can be made to unpack.

Refused (issue 16 §3, "a 755 KB .xlsx that unpacks to a 314 MB sheet"):

- more than ``max_entries`` entries;
- more than ``max_unpacked_bytes`` in total once unpacked;
- a total compression ratio over ``max_ratio`` (unpacked / packed) once the archive
  unpacks to more than ``ratio_floor_bytes`` (tiny files compress wildly and are harmless);
- one XML part (``*.xml``, ``*.rels``, ``*.vml``) over ``max_part_bytes``.

The limits are settings (``TAIZHANG_OOXML_*``, put in place by ``core.apps`` at start-up
through :func:`configure`); the command line may widen them for one run with
:func:`overridden`. Pure Python: no Django import.
"""

from __future__ import annotations

import contextlib
import dataclasses
import zipfile
from pathlib import Path

MB = 1024 * 1024


class ReadError(ValueError):
    """A file that cannot be read at all; the message is one line naming the file (Chinese)."""


class FileRefused(ReadError):
    """A file refused before it is parsed (too large, too many parts, a ZIP bomb).

    ``name``: the user's file name; ``reason``: why, in Chinese, without the name.
    """

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}：{reason}")


@dataclasses.dataclass(frozen=True)
class OoxmlLimits:
    """The limits of :func:`check_ooxml` (bytes are unpacked sizes)."""

    max_entries: int = 2000
    max_unpacked_bytes: int = 100 * MB
    max_part_bytes: int = 50 * MB
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 10 * MB
    # The size of the file itself (the upload limit); the web form checks it before saving.
    max_file_bytes: int = 20 * MB


_current = OoxmlLimits()
XML_SUFFIXES = (".xml", ".rels", ".vml")


def current_limits() -> OoxmlLimits:
    """The limits in force (settings, or the command line's override)."""
    return _current


def configure(limits: OoxmlLimits) -> None:
    """Put ``limits`` in force for the process (``core.apps`` calls it with the settings)."""
    global _current
    _current = limits


@contextlib.contextmanager
def overridden(**changes):
    """Widen (or narrow) the limits for the duration of a ``with`` block; ``changes`` are
    :class:`OoxmlLimits` field names. Used by the CLI flags ``--max-mb``/``--max-ratio``."""
    global _current
    before = _current
    _current = dataclasses.replace(before, **{k: v for k, v in changes.items() if v is not None})
    try:
        yield _current
    finally:
        _current = before


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0") + " MB"


def check_file_size(path, name: str | None = None, limits: OoxmlLimits | None = None) -> None:
    """Refuse a file larger than ``limits.max_file_bytes`` (the upload limit), for readers
    that get a path (the CLI) rather than an upload. Raises :class:`FileRefused`."""
    limits = limits or _current
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise FileRefused(name, f"文件过大（{_mb(size)}，上限 {_mb(limits.max_file_bytes)}）")


def check_ooxml(source, name: str | None = None, limits: OoxmlLimits | None = None) -> None:
    """Refuse an Office Open XML file whose archive could unpack to too much.

    ``source``: a path (str/Path) or a binary file object positioned anywhere (it is read
    from the start and left at the start). ``name``: the user's file name for the message.
    A file that is not a ZIP archive at all is not this check's business (returns quietly:
    the reader then says what it is). Raises :class:`FileRefused` naming the file and the
    reason (entry count, total size, ratio or the part that is too large).
    """
    limits = limits or _current
    if name is None:
        name = Path(source).name if isinstance(source, (str, Path)) else "文件"
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if len(infos) > limits.max_entries:
        raise FileRefused(name, f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_entries} 个），"
                                "可能是恶意构造的文件，已拒绝读取")
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    for info in infos:
        if info.filename.lower().endswith(XML_SUFFIXES) and info.file_size > limits.max_part_bytes:
            raise FileRefused(name, f"其中的 {info.filename} 解压后达 {_mb(info.file_size)}"
                                    f"（单个部分上限 {_mb(limits.max_part_bytes)}），已拒绝读取；"
                                    "请删除多余的行列或格式后另存再上传")
    if unpacked > limits.max_unpacked_bytes:
        raise FileRefused(name, f"解压后达 {_mb(unpacked)}（上限 {_mb(limits.max_unpacked_bytes)}），"
                                "已拒绝读取；请删除多余的行列或格式后另存再上传")
    ratio = unpacked / packed
    if unpacked > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        raise FileRefused(name, f"压缩比异常（解压后是压缩时的 {ratio:.0f} 倍，上限 {limits.max_ratio:g} 倍），"
                                "可能是压缩炸弹，已拒绝读取")
