"""Line cleaning: site artefacts out, widths and whitespace normalised, text kept.

Pure Python. Every later stage (outline, dates, recurrence, ...) sees cleaned text, so the
rules here are the only place that decides what "the same text" means.
"""

from __future__ import annotations

import html
import re

# Copy-paste sites wrap paid content in markers such as ``##paidbegin##``/``##paidend##``
# (seed lines 6 and 46); the marker may share a line with real text, so only the marker goes.
_MARKER_RE = re.compile(r"##\s*[A-Za-z][A-Za-z0-9_\-]{0,40}\s*##")

# Full-width ASCII digits and letters (U+FF10..U+FF5A) map to ASCII; full-width Chinese
# punctuation such as （）、，。： stays, because it is the normal form of Chinese text and
# the outline's label styles are defined on it. U+FF0E (．) is a full-width full stop used
# after arabic numbers ("1．"), so it becomes ".".
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_WIDTH_TABLE.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_WIDTH_TABLE.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_WIDTH_TABLE[0xFF0E] = ord(".")
# Invisible characters that editors and web pages leave behind.
for _invisible in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
    _WIDTH_TABLE[ord(_invisible)] = None

_NEEDS_WIDTH_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH_TABLE)) + "]")

# Any run of whitespace, including U+3000 (ideographic space, the usual paragraph
# indentation of Chinese documents) and U+00A0.
_SPACE_RE = re.compile(r"[\s\u3000\u00a0]+")
_ENTITY_RE = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


def normalize_width(text: str) -> str:
    """Return ``text`` with full-width digits/letters as ASCII and invisible characters removed.

    ``"１０月１５日"`` → ``"10月15日"``. Chinese punctuation is left alone. Used by every
    parser that may receive raw text (table cells as well as lines).
    """
    if not _NEEDS_WIDTH_RE.search(text):  # the usual case: nothing to change, no copy
        return text
    return text.translate(_WIDTH_TABLE)


def remove_markers(text: str) -> str:
    """Remove site artefacts such as ``##paidbegin##`` and keep the text around them.

    Rule source: seed lines 6 and 46 (``##paidbegin##要把握…`` / ``##paidend##``).
    """
    if "##" not in text:
        return text
    return _MARKER_RE.sub("", text)


def clean_line(text: str) -> str:
    """Clean one source line: markers removed, HTML entities decoded, widths normalised,
    whitespace runs collapsed to one space and stripped at both ends.

    ``text`` is one line without its line end; returns ``""`` for a line that held only
    whitespace or artefacts. Never raises.
    """
    text = remove_markers(text)
    if "&" in text and _ENTITY_RE.search(text):
        text = html.unescape(text)
    text = normalize_width(text)
    text = _SPACE_RE.sub(" ", text).strip()
    if text[:1].isdigit() and "." in text[:6]:
        text = _DOUBLED_DOT_RE.sub(r"\1.", text, count=1)
    return text


# "1..开展谈心谈话", "2．．" (full-width, normalised first): a doubled dot after an item's
# number is a typing slip, not a decimal (issue 16 §2).
_DOUBLED_DOT_RE = re.compile(r"^(\d{1,3})\s*\.(?:\s*\.)+(?!\d)")


def split_lines(text: str) -> list[str]:
    """Split ``text`` on CRLF, CR or LF only (not on the other characters that
    ``str.splitlines`` treats as breaks), so line numbers match a text editor's.

    A leading byte-order mark is dropped. A final line end does not add an empty line.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
