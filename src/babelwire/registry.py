"""Stage factories by versioned name, e.g. ``"language.cld2.v1"``.

Names never change meaning: an implementation that behaves differently gets a
new ``vN``. Core stages register through the same plugin hook as third-party
ones (see `babelwire.plugins`). A factory registered with ``shares_resources``
gets the pipeline's `StageResources` (one encoder for every stage that runs
one) as its ``resources`` keyword.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError
from .pipeline import Stage
from .resources import StageResources

StageFactory = Callable[..., Stage]


@dataclass(frozen=True, slots=True)
class StageEntry:
    """A registered stage implementation."""

    name: str
    factory: StageFactory
    help: str
    shares_resources: bool = False


class StageRegistry:
    """Maps versioned implementation names to stage factories."""

    def __init__(self) -> None:
        self._entries: dict[str, StageEntry] = {}
        self._retired: dict[str, tuple[str, str]] = {}

    def register(self, name: str, factory: StageFactory, help: str = "", *,
                 shares_resources: bool = False) -> None:
        """Register ``factory`` under ``name`` (``<stage>.<impl>.v<N>``).

        ``shares_resources``: the factory takes ``resources=`` (`StageResources`),
        so stages of one pipeline can share expensive objects such as the encoder.
        """
        parts = name.split(".")
        if len(parts) != 3 or not parts[2].startswith("v") or not parts[2][1:].isdigit():
            raise ConfigError(
                f"stage implementation name {name!r} must look like '<stage>.<impl>.v<N>',"
                " e.g. 'language.cld2.v1'"
            )
        if name in self._entries:
            raise ConfigError(f"stage implementation {name!r} is registered twice")
        self._entries[name] = StageEntry(name=name, factory=factory, help=help,
                                         shares_resources=shares_resources)

    def retire(self, name: str, replacement: str, why: str) -> None:
        """Record that ``name`` no longer exists and what replaced it.

        Why: a configuration written for an older release names the old
        implementation; the error should point to its successor instead of
        listing every stage.
        """
        self._retired[name] = (replacement, why)

    def create(self, name: str, *, resources: StageResources | None = None,
               **options: Any) -> Stage:
        """Build the stage registered as ``name`` with ``options``.

        ``resources``: what the pipeline's stages share; a stage that shares
        resources and gets none has its own.
        """
        try:
            entry = self._entries[name]
        except KeyError:
            if name in self._retired:
                replacement, why = self._retired[name]
                raise ConfigError(
                    f"stage implementation {name!r} was retired ({why});"
                    f" use {replacement!r} in pipeline.stages instead") from None
            available = ", ".join(sorted(self._entries)) or "none"
            raise ConfigError(
                f"unknown stage implementation {name!r}; available: {available}"
            ) from None
        if entry.shares_resources:
            options["resources"] = resources if resources is not None else StageResources()
        return entry.factory(**options)

    def entries(self) -> list[StageEntry]:
        """All registered implementations, sorted by name."""
        return [self._entries[name] for name in sorted(self._entries)]

    def __contains__(self, name: object) -> bool:
        return name in self._entries
