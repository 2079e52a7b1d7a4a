"""Parsing the dates sources give (ISO 8601, RFC 822, plain days) into aware datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MIN_YEAR = 2
MAX_YEAR = 9998
"""Dates outside these years are refused: a day of slack on each side of datetime's range
(years 1-9999), so converting to UTC (0001-01-01T00:00+14:00 is in year 0) or adding a
story window to 9999-12-31 cannot overflow anywhere downstream (issue 9)."""

# The year of an RFC 822 date ("Mon, 01 Jan 0001 ..."): email.utils reads every year
# under 100 as two digits (1 -> 2001), which is a guess when four digits were written.
_RFC822_YEAR_RE = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\s+(\d+)\b")


def parse_date(value: str) -> datetime | None:
    """Parse an ISO 8601 or RFC 822 date; None if it is neither (never a guess) or out of range."""
    value = value.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = _rfc822(value)
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        # OverflowError: a field past a C int ("Mon, 06 May 2024 1999999999999999990:00:00
        # GMT", found by the feed fuzzer) overflows inside datetime()
        return None
    written = _RFC822_YEAR_RE.search(value)
    if written and len(written.group(1)) > 2 and int(written.group(1)) != parsed.year:
        return None  # "0001" was widened to 2001
    return parsed
