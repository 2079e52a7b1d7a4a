"""The clean stage reads trafilatura's JSON even where its NFC pass broke an escape."""

from __future__ import annotations

import base64
import json

from babelwire.pipeline import ErrorPolicy, Pipeline
from babelwire.sources.reader import SourceOptions, read_bytes
from babelwire.stages.clean import CleanStage, parse_extraction

# The HTML fuzzer's finding (scripts/fuzz_html.py, CI run of session 4): 0xF2 reads as a
# combining dot below, so the text holds "\n" + U+0323, which trafilatura's NFC turns into
# a backslash + "ṇ" inside its JSON string.
FOUND = base64.b64decode("8gry8jxodG1saDyy8j5yCmhhcnNldDgiPjwvaWNsZT4KPGgxPvJIYWJwb3VyIG4gRn"
                         "IvZGF5IGFmdGNoZSBvcm2XnJOWPjwvK2I=")


def test_an_escape_merged_with_a_combining_mark_is_read_back() -> None:
    broken = json.dumps({"text": "a\n\u0323b", "title": "t"}, ensure_ascii=False)
    broken = broken.replace("\\n\u0323", "\\\u1e47")  # what NFC does to the serialised text
    assert parse_extraction(broken) == {"text": "a\n\u0323b", "title": "t"}


def test_the_fuzzers_page_is_cleaned_or_refused_as_no_article_never_a_json_error() -> None:
    [item] = list(read_bytes(FOUND, "fuzz.html", SourceOptions(max_bytes=1_000_000),
                             name="fuzz.html"))
    [article] = Pipeline([CleanStage()], policy=ErrorPolicy("record")).run(item)
    assert [f.error for f in article.failures] in ([], ["NoMainText"])
