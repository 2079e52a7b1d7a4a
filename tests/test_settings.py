from __future__ import annotations

from pathlib import Path

import pytest

from babelwire import load_settings
from babelwire.errors import ConfigError


def test_defaults_load_without_any_config(tmp_path: Path) -> None:
    settings = load_settings(env={}, cwd=tmp_path)
    assert (settings.db_path, settings.max_bytes, settings.web_host) == (
        "babelwire.db", 100_000_000, "127.0.0.1")
    assert settings.stages == ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1",
                               "ner.e5.v3", "quotes.rules.v1", "embed.e5.v1")


@pytest.mark.parametrize(("preset", "stages"), [
    ("full", ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1", "ner.e5.v3",
              "quotes.rules.v1", "embed.e5.v1")),
    ("light", ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1",
               "quotes.rules.v1"))])
def test_a_preset_name_stands_for_its_stage_list(tmp_path: Path, preset: str,
                                                 stages: tuple[str, ...]) -> None:
    assert load_settings(env={}, overrides={"pipeline.stages": preset},
                         cwd=tmp_path).stages == stages


def test_later_sources_win_file_then_env_then_overrides(tmp_path: Path) -> None:
    (tmp_path / "babelwire.toml").write_text('[db]\npath = "file.db"\n[web]\nport = 9000\n')
    settings = load_settings(
        env={"BABELWIRE_DB__PATH": "env.db", "BABELWIRE_INGEST__MAX_BYTES": "5"},
        overrides={"ingest.max_bytes": "7"}, cwd=tmp_path)
    assert (settings.db_path, settings.web_port, settings.max_bytes) == ("env.db", 9000, 7)


def test_unknown_setting_in_config_file_names_it_and_the_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[db]\npaht = 'x'\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'db.paht' in .*c.toml"):
        load_settings(config, env={})


def test_wrong_type_is_reported_with_the_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, overrides={"web.port": "eighty"}, cwd=tmp_path)
    assert str(info.value) == "setting 'web.port' needs a int, got 'eighty'"


@pytest.mark.parametrize("port", ["-1", "65536", "99999"])
def test_a_port_outside_tcp_range_is_refused_at_load_time(tmp_path: Path, port: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, overrides={"web.port": port}, cwd=tmp_path)
    assert str(info.value) == f"web.port must be a TCP port, 0 to 65535, got {int(port)}"


def test_serve_refuses_a_port_outside_tcp_range_before_binding() -> None:
    from click.testing import CliRunner

    from babelwire.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--port", "99999"])
    assert result.exit_code == 2
    assert "99999 is not in the range 0<=x<=65535" in result.output


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_stage_list_from_environment_is_comma_separated(tmp_path: Path) -> None:
    settings = load_settings(env={"BABELWIRE_PIPELINE__STAGES": "clean.trafilatura.v1"},
                             cwd=tmp_path)
    assert settings.stages == ("clean.trafilatura.v1",)
