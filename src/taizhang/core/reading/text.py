"""Text files as offices exchange them: encoding detection (pure Python, no Django).

One decoder for every importer (the plan's .txt/.md reader, the roster's CSV). Chinese offices
exchange text files in UTF-8 (with or without BOM), GB18030/GBK (Windows Notepad before 2019,
most intranet systems) and UTF-16 ("Unicode" in Notepad). The order of guesses below is
deliberate: a byte-order mark is certain, strict UTF-8 almost certain (GBK text is very rarely
valid UTF-8), NUL bytes mean UTF-16, and GB18030 is the expected legacy encoding.
charset-normalizer comes last because it misguesses short Chinese texts (it calls a few
hundred bytes of GBK "Big5" or "cp1252" often enough to matter).
"""

from __future__ import annotations

import codecs
from collections import Counter

# Longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of non-ASCII characters that must lie in GB2312 (the 6,763 common hanzi and
# punctuation) for a GB18030 decoding to be trusted without asking charset-normalizer.
_GB2312_SHARE = 0.9


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; return (text, encoding name).

    Raises ``ValueError`` when no encoding gives a plausible text. The BOM is not part of the
    returned text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding + "-bom"
            except UnicodeDecodeError as exc:
                raise ValueError(f"开头标明是 {encoding} 编码，内容却不符合：{exc.reason}") from exc
    # Text never holds NUL bytes, UTF-16 nearly always does (before UTF-8: UTF-16 of pure
    # ASCII is valid UTF-8).
    if b"\x00" in data:
        utf16 = _guess_utf16(data)
        if utf16:
            return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    gb_text = _strict(data, "gb18030")
    if gb_text is not None and _mostly_gb2312(gb_text):
        return gb_text, "gb18030"
    guessed = _charset_normalizer(data)
    if guessed:
        return guessed
    if gb_text is not None:
        return gb_text, "gb18030"
    raise ValueError("不是 UTF-8、UTF-16 或 GB18030（GBK）编码")


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: ASCII characters put their NUL byte on the odd (LE) or even (BE)
    position; pick the side with more NULs and accept it only if it decodes strictly."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for encoding in order:
        text = _strict(data, encoding)
        if text is not None and not _has_controls(text):
            return text, encoding
    return None


def _has_controls(text: str) -> bool:
    """True if the text holds C0 control characters other than tab/line ends (a wrong guess)."""
    return any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text)


def _mostly_gb2312(text: str) -> bool:
    # Count each distinct character once (Counter runs in C): megabyte files stay fast.
    counts = Counter(text)
    wide = common = 0
    for ch, n in counts.items():
        if ord(ch) <= 127:
            continue
        wide += n
        try:
            ch.encode("gb2312")
            common += n
        except UnicodeEncodeError:
            pass
    return wide == 0 or common / wide >= _GB2312_SHARE


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding
