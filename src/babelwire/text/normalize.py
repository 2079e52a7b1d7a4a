"""Make arbitrary strings safe for every stage and for SQLite.

Inputs carry control characters (NUL, form feeds, C1 codes from mis-decoded
cp1252), lone surrogates (from JSON ``\\ud800`` escapes or ``surrogateescape``
decoding) and non-characters. pycld2 crashes on some of them, SQLite rejects
lone surrogates when encoding to UTF-8, and none of them is text a reader wants.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab/newline/carriage return, DEL, C1 controls, lone surrogates,
# and the non-characters U+FFFE/U+FFFF (and their plane-n twins are rare enough to ignore).
_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_HORIZONTAL_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def strip_unsafe(text: str) -> str:
    """Remove control characters, lone surrogates and non-characters; keep tabs and newlines."""
    return _UNSAFE_RE.sub("", text)


def clean_text(text: str) -> str:
    """Return text fit for storage: NFC, safe characters, tidy whitespace, Unix newlines.

    Paragraph breaks (blank lines) are kept because segmentation reads them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace(
        "\u2029", "\n\n"
    )
    text = unicodedata.normalize("NFC", strip_unsafe(text))
    lines = [_HORIZONTAL_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    """Clean a one-line field such as a title: like `clean_text`, all whitespace to one space."""
    return " ".join(clean_text(text).split())
