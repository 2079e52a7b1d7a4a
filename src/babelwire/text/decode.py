"""Turn the bytes of an input into text, saying which encoding was used.

Order: a byte-order mark (UTF-8/16/32), then strict UTF-8, then the charset the
document declares (HTML ``<meta charset>``, XML declaration), then
charset-normalizer's guess. A guess is recorded as such (``method``) so that a
reader can see that the text was not declared.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from ..errors import ParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_RE = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
# What browsers do with these labels (WHATWG Encoding Standard).
_BROWSER_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "gb2312": "gbk", "x-sjis": "shift_jis"}
BINARY_CONTROL_SHARE = 0.10
"""Share of C0 control bytes (not tab/CR/LF/FF) above which bytes are treated as binary."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how it was decoded."""

    text: str
    encoding: str
    method: str  # "bom", "utf-8", "declared" or "guessed"


def decode_bytes(data: bytes, *, input_ref: str = "") -> Decoded:
    """Decode ``data``; raise `ParseError` if it is empty or looks binary."""
    if not data.strip():
        raise ParseError(f"{input_ref or 'input'}: empty input (0 bytes of content)",
                         input_ref=input_ref)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_decode(data, encoding, input_ref), encoding, "bom")
    if looks_binary(data):
        raise ParseError(
            f"{input_ref or 'input'}: looks like a binary file, not text"
            " (NUL or control bytes); babelwire reads text, HTML, JSONL, feeds and WARC",
            input_ref=input_ref,
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared:
        try:
            return Decoded(data.decode(declared), declared, "declared")
        except (UnicodeDecodeError, LookupError):
            pass
    return _guess(data, input_ref)


def looks_binary(data: bytes) -> bool:
    """True if the first 4 KiB hold NUL bytes or many control bytes (and no BOM)."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > BINARY_CONTROL_SHARE * len(head)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 2 KiB, as Python names it."""
    match = _DECLARED_RE.search(data[:2048])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _BROWSER_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(data: bytes, encoding: str, input_ref: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ParseError(
            f"{input_ref or 'input'}: starts with a {encoding} byte-order mark but is not valid"
            f" {encoding} at byte {error.start}",
            input_ref=input_ref,
        ) from error


def _guess(data: bytes, input_ref: str) -> Decoded:
    best = from_bytes(data[:200_000]).best()
    if best is None:
        # Every byte string decodes as cp1252 apart from 5 unassigned bytes; replace those.
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "guessed")
    encoding = codecs.lookup(best.encoding).name
    return Decoded(data.decode(encoding, errors="replace"), encoding, "guessed")
