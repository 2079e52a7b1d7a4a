"""Plugin hook specifications (pluggy). Few, typed, named for their effect."""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("babelwire")
hookimpl = pluggy.HookimplMarker("babelwire")


@hookspec
def register_stages(registry: Any) -> None:
    """Register stage implementations in the `StageRegistry`."""


@hookspec
def register_commands(cli: Any) -> None:
    """Add click commands to the ``babelwire`` command group."""
