"""Reading evaluation files and writing prediction files (JSON Lines)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import EvaluationError


def read_records(path: Path, *, required: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Yield the objects of a JSONL file, checking each has the ``required`` keys."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise EvaluationError(f"{path} line {number}: not JSON ({error.msg})") from error
            missing = [key for key in required if key not in record]
            if missing:
                raise EvaluationError(
                    f"{path} line {number}: missing {missing}; is this the right task's file?")
            yield record


def write_predictions(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Write one prediction object per line."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
