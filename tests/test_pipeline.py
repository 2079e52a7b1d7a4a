from __future__ import annotations

from dataclasses import dataclass

import pytest

from babelwire import Article, ErrorPolicy, Pipeline
from babelwire.errors import ConfigError, StageError


@dataclass
class Upper:
    name: str = "upper"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("text",)

    def __call__(self, article: Article) -> Article:
        article.text = article.text.upper()
        return article


@dataclass
class NeedsLang:
    name: str = "needs_lang"
    requires: tuple[str, ...] = ("lang",)
    assigns: tuple[str, ...] = ("story_id",)

    def __call__(self, article: Article) -> Article:
        return article


@dataclass
class Boom:
    name: str = "boom"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:
        raise ValueError(f"cannot handle {article.text!r}")


@dataclass
class ReturnsNone:
    name: str = "returns_none"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:
        return None  # type: ignore[return-value]


def test_pipeline_build_names_the_missing_field_and_stage() -> None:
    with pytest.raises(ConfigError) as info:
        Pipeline([NeedsLang()])
    assert str(info.value) == (
        "stage 'needs_lang' requires ['lang'], which no earlier stage assigns;"
        " move it after the stage that assigns them"
    )


def test_pipeline_build_rejects_a_stage_listed_twice() -> None:
    with pytest.raises(ConfigError, match="appears twice"):
        Pipeline([Upper(), Upper()])


def test_pipeline_runs_stages_in_order(make_article) -> None:
    out = Pipeline([Upper()]).run(make_article(text="abc"))
    assert [a.text for a in out] == ["ABC"]


def test_raise_policy_raises_stage_error_naming_the_stage(make_article) -> None:
    with pytest.raises(StageError) as info:
        Pipeline([Boom()]).run(make_article(text="x", input_ref="file.txt"))
    assert info.value.stage == "boom"
    assert "stage 'boom' failed on article 'file.txt': ValueError: cannot handle 'x'" == str(
        info.value)


def test_record_policy_records_failure_and_continues_with_next_stage(make_article) -> None:
    pipeline = Pipeline([Boom(), Upper()], policy=ErrorPolicy.RECORD)
    [article] = pipeline.run(make_article(text="x", input_ref="file.txt"))
    assert article.text == "X"
    assert [(f.stage, f.error, f.message, f.input) for f in article.failures] == [
        ("boom", "ValueError", "cannot handle 'x'", "file.txt")]
    assert pipeline.stats.failures["boom"] == 1


def test_pipeline_rejects_a_stage_that_returns_no_article(make_article) -> None:
    with pytest.raises(StageError, match="returned NoneType, expected an Article"):
        Pipeline([ReturnsNone()], policy=ErrorPolicy.RECORD).run(make_article())


def test_policy_for_unknown_stage_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"unknown stage\(s\) \['nope'\]"):
        Pipeline([Upper()], policy={"nope": ErrorPolicy.RECORD})
