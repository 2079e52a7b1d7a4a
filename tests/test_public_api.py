from __future__ import annotations

import inspect

import pluggy

import babelwire
from babelwire import hookspecs
from babelwire.plugins import build_registry, make_plugin_manager
from babelwire.registry import StageRegistry


def test_public_api_is_pinned() -> None:
    assert sorted(babelwire.__all__) == [
        "Article", "BabelwireError", "Database", "Entity", "ErrorPolicy", "Pipeline", "Quote",
        "QuoteType", "Settings", "StageFailure", "Store", "Story", "__version__",
        "load_settings",
    ]


def test_every_hookspec_has_type_hints_and_a_docstring() -> None:
    specs = [f for name, f in vars(hookspecs).items()
             if inspect.isfunction(f) and hasattr(f, "babelwire_spec")]
    assert {f.__name__ for f in specs} == {"register_stages", "register_commands"}
    for spec in specs:
        assert spec.__doc__ and len(spec.__doc__.splitlines()) == 1
        assert inspect.get_annotations(spec)


def test_register_stages_hook_registers_core_and_plugin_stages() -> None:
    class Plugin:
        @hookspecs.hookimpl
        def register_stages(self, registry: StageRegistry) -> None:
            registry.register("upper.test.v1", lambda: None, "a test stage")

    manager = make_plugin_manager(load_entry_points=False)
    manager.register(Plugin())
    names = [entry.name for entry in build_registry(manager).entries()]
    assert names == ["clean.trafilatura.v1", "embed.e5.v1", "language.cld2.v1", "ner.e5.v3",
                     "quotes.rules.v1", "segment.rules.v1", "upper.test.v1"]


def test_register_commands_hook_is_callable_with_the_cli_group() -> None:
    import click

    from babelwire.cli import cli

    group = click.Group(commands=dict(cli.commands))

    class Plugin:
        @hookspecs.hookimpl
        def register_commands(self, cli: click.Group) -> None:
            cli.add_command(click.Command("hello", callback=lambda: None))

    manager = pluggy.PluginManager("babelwire")
    manager.add_hookspecs(hookspecs)
    manager.register(Plugin())
    manager.hook.register_commands(cli=group)
    assert "hello" in group.commands


def test_registry_names_must_be_versioned() -> None:
    import pytest

    from babelwire.errors import ConfigError

    with pytest.raises(ConfigError, match="must look like '<stage>.<impl>.v<N>'"):
        StageRegistry().register("language", lambda: None)


def test_a_retired_stage_name_points_to_its_successor() -> None:
    import pytest

    from babelwire.errors import ConfigError

    registry = build_registry(make_plugin_manager(load_entry_points=False))
    for retired in ("ner.e5.v1", "ner.e5.v2"):
        assert retired not in registry
        with pytest.raises(ConfigError, match=f"'{retired}' was retired .*use 'ner.e5.v3'"):
            registry.create(retired)
