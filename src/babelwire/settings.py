"""Settings: parsed once, frozen, passed explicitly.

Precedence, later wins: the shipped ``defaults.toml``, then ``./babelwire.toml``
or the file given with ``--config``, then ``BABELWIRE_<SECTION>__<KEY>``
environment variables, then ``--set section.key=value`` overrides. Nothing reads
the environment or a file after `load_settings` returns.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

ENV_PREFIX = "BABELWIRE_"

FULL_STAGES = ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1", "ner.e5.v3",
               "quotes.rules.v1", "embed.e5.v1")
"""The default pipeline: names (so canonical entities), quotes with speakers, embeddings (stories).

NER comes before quotes so speakers resolve to its mentions. About 3 articles/s on two
cores (the encoder's passes are 96 % of it: docs/BENCHMARKS.md, "pipeline").
"""

LIGHT_STAGES = ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1", "quotes.rules.v1")
"""Without the encoder: hundreds of articles/s, but no entities, no embeddings, no stories."""

STAGE_PRESETS = {"full": FULL_STAGES, "light": LIGHT_STAGES}
"""Names ``pipeline.stages`` may be set to instead of a list (``--set pipeline.stages=light``)."""


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One row of the settings table: its dotted name, type and help text."""

    name: str
    type: type
    help: str


SETTINGS_TABLE: tuple[SettingSpec, ...] = (
    SettingSpec("db.path", str, "SQLite file the store uses"),
    SettingSpec("ingest.max_bytes", int, "largest input read, in bytes"),
    SettingSpec("ingest.fetch_timeout_s", float, "seconds before a URL fetch gives up"),
    SettingSpec("ingest.fetch_allow", list,
                "networks URL fetches may reach although not public (e.g. 127.0.0.1/32)"),
    SettingSpec("ingest.min_text_chars", int, "shorter bodies are recorded as failures"),
    SettingSpec("ingest.near_duplicate_jaccard", float, "near-duplicate Jaccard threshold"),
    SettingSpec("pipeline.stages", list,
                "stage implementations, in order, or a preset: 'full' (default) or 'light'"),
    SettingSpec("pipeline.error_policy", str, "'record' (go on) or 'raise' (stop) on failure"),
    SettingSpec("index.exact_below", int,
                "below this many embeddings semantic search scans exactly; above, a faiss file"),
    SettingSpec("index.kind", str, "faiss index above the threshold: 'hnsw' or 'flat' (exact)"),
    SettingSpec("index.ef_search", int, "HNSW candidates per query: higher, better recall"),
    SettingSpec("stories.window_days", float,
                "days a story stays live: articles further from its span start a new story"),
    SettingSpec("stories.thread_window_days", float,
                "days within which a new story may join an earlier story's thread"),
    SettingSpec("stories.candidates", int, "live stories scored per article"),
    SettingSpec("stories.model", str, "clusterer model file (JSON); empty: the shipped one"),
    SettingSpec("web.host", str, "address the web server binds"),
    SettingSpec("web.port", int, "port the web server binds"),
    SettingSpec("web.search_rate_per_minute", int,
                "searches one client may run per minute (0: no limit)"),
    SettingSpec("web.search_burst", int, "searches one client may run at once before the rate"
                " applies"),
)
_SPECS = {spec.name: spec for spec in SETTINGS_TABLE}


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Every setting babelwire reads, with its final value."""

    db_path: str = "babelwire.db"
    max_bytes: int = 100_000_000
    fetch_timeout_s: float = 20.0
    fetch_allow: tuple[str, ...] = ()
    min_text_chars: int = 1
    near_duplicate_jaccard: float = 0.8
    stages: tuple[str, ...] = FULL_STAGES
    error_policy: str = "record"
    index_exact_below: int = 50_000
    index_kind: str = "hnsw"
    index_ef_search: int = 128
    stories_window_days: float = 3.0
    stories_thread_window_days: float = 21.0
    stories_candidates: int = 5
    stories_model: str = ""
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_search_rate_per_minute: int = 60
    web_search_burst: int = 20


_FIELD_FOR = {
    "db.path": "db_path",
    "ingest.max_bytes": "max_bytes",
    "ingest.fetch_timeout_s": "fetch_timeout_s",
    "ingest.fetch_allow": "fetch_allow",
    "ingest.min_text_chars": "min_text_chars",
    "ingest.near_duplicate_jaccard": "near_duplicate_jaccard",
    "pipeline.stages": "stages",
    "pipeline.error_policy": "error_policy",
    "index.exact_below": "index_exact_below",
    "index.kind": "index_kind",
    "index.ef_search": "index_ef_search",
    "stories.window_days": "stories_window_days",
    "stories.thread_window_days": "stories_thread_window_days",
    "stories.candidates": "stories_candidates",
    "stories.model": "stories_model",
    "web.host": "web_host",
    "web.port": "web_port",
    "web.search_rate_per_minute": "web_search_rate_per_minute",
    "web.search_burst": "web_search_burst",
}


def load_settings(
    config_file: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build `Settings` from defaults, a config file, the environment and overrides."""
    values = _flatten(tomllib.loads(_defaults_text()))
    path = Path(config_file) if config_file else (cwd or Path.cwd()) / "babelwire.toml"
    if config_file and not path.is_file():
        raise ConfigError(f"config file {str(path)!r} does not exist; check the --config path")
    if path.is_file():
        values.update(_checked(_flatten(_read_toml(path)), origin=str(path)))
    values.update(_checked(_from_env(os.environ if env is None else env), origin="environment"))
    values.update(_checked(_parse_overrides(overrides or {}), origin="--set"))
    return _build(values)


def _defaults_text() -> str:
    return resources.files("babelwire").joinpath("defaults.toml").read_text(encoding="utf-8")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read config file {str(path)!r}: {error}") from error


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, prefix=name + "."))
        else:
            flat[name] = value
    return flat


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    found = {}
    for key, raw in env.items():
        if key.startswith(ENV_PREFIX) and "__" in key:
            name = key[len(ENV_PREFIX):].lower().replace("__", ".")
            found[name] = _coerce(name, raw)
    return found


def _parse_overrides(overrides: Mapping[str, str]) -> dict[str, Any]:
    return {name: _coerce(name, raw) for name, raw in overrides.items()}


def _coerce(name: str, raw: str) -> Any:
    spec = _spec(name, origin="override")
    try:
        if spec.type is list:
            return json.loads(raw) if raw.startswith("[") else [s.strip() for s in raw.split(",")]
        return spec.type(raw)
    except ValueError as error:
        raise ConfigError(
            f"setting {name!r} needs a {spec.type.__name__}, got {raw!r}"
        ) from error


def _spec(name: str, *, origin: str) -> SettingSpec:
    try:
        return _SPECS[name]
    except KeyError:
        known = ", ".join(sorted(_SPECS))
        raise ConfigError(
            f"unknown setting {name!r} in {origin}; known settings: {known}") from None


def _checked(values: dict[str, Any], *, origin: str) -> dict[str, Any]:
    for name in values:
        _spec(name, origin=origin)
    return values


def _build(values: Mapping[str, Any]) -> Settings:
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        spec = _spec(name, origin="settings")
        if spec.type is list:
            value = tuple(value)
            if name == "pipeline.stages" and len(value) == 1 and value[0] in STAGE_PRESETS:
                value = STAGE_PRESETS[value[0]]
        elif spec.type is float and isinstance(value, int):
            value = float(value)
        elif not isinstance(value, spec.type):
            raise ConfigError(f"setting {name!r} needs a {spec.type.__name__}, got {value!r}")
        kwargs[_FIELD_FOR[name]] = value
    if kwargs.get("error_policy", "record") not in ("record", "raise"):
        raise ConfigError(
            f"pipeline.error_policy must be 'record' or 'raise', got {kwargs['error_policy']!r}"
        )
    _check_fetch_allow(kwargs.get("fetch_allow", ()))
    if kwargs.get("index_kind", "hnsw") not in ("hnsw", "flat"):
        raise ConfigError(f"index.kind must be 'hnsw' or 'flat', got {kwargs['index_kind']!r}")
    if not 0 <= kwargs.get("web_port", 8000) <= 65535:
        raise ConfigError(f"web.port must be a TCP port, 0 to 65535, got {kwargs['web_port']!r}")
    return Settings(**kwargs)


def _check_fetch_allow(entries: tuple[str, ...]) -> None:
    """Fail at load time, not at the first fetch, on an allow-list entry that is no network."""
    from .sources.address_policy import AddressPolicy

    AddressPolicy.from_settings(entries)
