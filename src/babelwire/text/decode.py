"""Turn the bytes of an input into text, saying which encoding was used.

Order: a byte-order mark (UTF-8/16/32), then ISO-2022-JP (7-bit, so it would
pass as ASCII with its escape sequences dropped), then strict UTF-8, then UTF-8
holding encoded surrogates (CESU-8 or WTF-8, as Java and JavaScript write), then
UTF-8 with at most a few stray bytes replaced, then UTF-8 lines mixed with lines of one
other encoding (files concatenated from two sources), then the charset the
document declares (HTML ``<meta charset>``, XML declaration), then
charset-normalizer's guess. A guess is recorded as such (``method``) so that a
reader can see that the text was not declared.

Binary: input is refused as binary when over 10 % of its first 4 KiB are
control bytes, or when it holds a NUL and is not valid UTF-8. A NUL in valid
UTF-8 text is a stray (a C string terminator left by an export) and does not
cost the article; `text.normalize` removes it with the other control
characters. UTF-16 or UTF-32 without a BOM also looks binary (a NUL or control
byte in every other byte); it is decoded when charset-normalizer recognises it.
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
_GUESS_PREFERENCE = ("utf_8", "cp1252", "cp1251", "koi8_r", "cp1250", "iso8859_15", "cp1253",
                     "cp1254", "cp1256", "cp1255", "gbk", "big5", "shift_jis", "euc_kr")
# Encodings news sites use (the ones above plus the ISO and KOI8 twins). A guess outside
# this list (mac_cyrillic, iso8859_10, shift_jis_2004 for a short cp1251, Polish or KOI8-U
# text) is checked against these: one that reads the bytes as cleanly is taken instead.
_COMMON_ENCODINGS = (*_GUESS_PREFERENCE, "iso8859_2", "iso8859_7", "iso8859_9", "koi8_u",
                     "cp1257", "euc_jp", "cp874", "iso8859_6", "iso8859_8", "iso8859_5",
                     "mac_roman")
_ISO2022_JP_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J")
MAX_STRAY_BYTES = 3
"""Invalid bytes tolerated in otherwise valid UTF-8 before another encoding is guessed."""
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
    if any(escape in data for escape in _ISO2022_JP_ESCAPES):
        try:
            return Decoded(data.decode("iso2022_jp"), "iso2022_jp", "escape-sequences")
        except UnicodeDecodeError:
            pass  # an escape byte in other text: go on as for any text
    if looks_binary(data):
        wide = _wide_unicode_without_bom(data)
        if wide is None:
            raise ParseError(
                f"{input_ref or 'input'}: looks like a binary file, not text"
                " (NUL or control bytes); babelwire reads text, HTML, JSONL, feeds and WARC",
                input_ref=input_ref,
            )
        return wide
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    with_surrogates = _utf8_with_surrogates(data)
    if with_surrogates is not None:
        return Decoded(with_surrogates, "utf-8", "utf-8-surrogates")
    repaired = _mostly_utf8(data)
    if repaired is not None:
        return Decoded(repaired, "utf-8", "utf-8-repaired")
    mixed = _utf8_mixed_with_one_other(data, input_ref)
    if mixed is not None:
        return mixed
    declared = declared_charset(data)
    if declared:
        try:
            return Decoded(data.decode(declared), declared, "declared")
        except (UnicodeDecodeError, LookupError):
            pass
    return _guess(data, input_ref)


def _utf8_with_surrogates(data: bytes) -> str | None:
    """UTF-8 whose only flaw is encoded surrogates: pairs joined, lone ones left; else None.

    Lone surrogates are removed later by `text.normalize.strip_unsafe`; a pair
    (CESU-8's way of writing an emoji) is the character it stands for.
    """
    try:
        text = data.decode("utf-8", errors="surrogatepass")
    except UnicodeDecodeError:
        return None
    return text.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le",
                                                                  errors="surrogatepass")


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes (a pasted cp1252 quote): replace those, keep the rest.

    Guessing another encoding for the whole text would turn every correct
    multi-byte character into mojibake, which is worse than a few U+FFFD.
    """
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte_chars = sum(1 for char in text if "\u0080" <= char and char != "\ufffd")
    if replaced <= MAX_STRAY_BYTES and multibyte_chars >= 1:
        return text
    return None


def _utf8_mixed_with_one_other(data: bytes, input_ref: str) -> Decoded | None:
    """Lines of UTF-8 among lines of another encoding, each line decoded in its own; else None.

    A line of legacy single-byte text that is also valid UTF-8 with a multi-byte
    character is rare (an accented letter would have to be followed by 1-3 bytes
    from 0x80-0xBF), so such lines are taken as UTF-8 and the invalid ones are
    guessed together, as one text in one other encoding.
    """
    lines = data.split(b"\n")
    is_utf8 = [_is_utf8(line) for line in lines]
    if all(is_utf8) or not any(ok and not line.isascii() for ok, line in zip(is_utf8, lines,
                                                                               strict=True)):
        return None
    other = _guess(b"\n".join(line for ok, line in zip(is_utf8, lines, strict=True) if not ok),
                   input_ref)
    text = "\n".join(line.decode("utf-8" if ok else other.encoding, errors="replace")
                     for ok, line in zip(is_utf8, lines, strict=True))
    return Decoded(text, f"utf-8+{other.encoding}", "mixed")


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def looks_binary(data: bytes) -> bool:
    """True if the first 4 KiB hold many control bytes, or a NUL in bytes that are not UTF-8."""
    head = data[:4096]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    if controls > BINARY_CONTROL_SHARE * len(head):
        return True
    return b"\x00" in head and not _is_utf8_prefix(head)


def _is_utf8_prefix(head: bytes) -> bool:
    """True if ``head`` is valid UTF-8 up to its end, where a character may be cut off."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _wide_unicode_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 or UTF-32 text that lost its BOM, if charset-normalizer recognises it; else None."""
    best = from_bytes(data[:200_000]).best()
    if best is None or not best.encoding.startswith(("utf_16", "utf_32")):
        return None
    try:
        return Decoded(data.decode(best.encoding), codecs.lookup(best.encoding).name, "guessed")
    except UnicodeDecodeError:
        return None


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
    results = from_bytes(data[:200_000])
    best = results.best()
    if best is None:
        # Every byte string decodes as cp1252 apart from 5 unassigned bytes; replace those.
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "guessed")
    # charset-normalizer often ties Western single-byte text between cp1250, cp1252,
    # cp1257 and others (same chaos, same coherence); cp1250 then turns "è" into "č".
    # Among equally good candidates, prefer the most widely used encoding.
    tied = [m.encoding for m in results
            if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    encoding = next((e for e in _GUESS_PREFERENCE if e in tied), None)
    if encoding is None:
        encoding = _common_alternative(data, best.chaos) or best.encoding
    encoding = codecs.lookup(encoding).name
    return Decoded(data.decode(encoding, errors="replace"), encoding, "guessed")


def _common_alternative(data: bytes, chaos: float) -> str | None:
    """A common encoding that reads ``data`` with no more chaos than a rare guess did."""
    results = [m for m in from_bytes(data[:200_000], cp_isolation=list(_COMMON_ENCODINGS))
               if m.chaos <= chaos]
    if not results:
        return None
    top = max(m.coherence for m in results)
    tied = {m.encoding for m in results if m.coherence == top}
    return next(e for e in _COMMON_ENCODINGS if e in tied)
