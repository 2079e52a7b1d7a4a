"""Building the plugin manager: core stages register through the same hooks as plugins.

The manager is created on request and owned by its caller; entry points
(``[project.entry-points.babelwire]``) are loaded only when asked.
"""

from __future__ import annotations

import pluggy

from . import hookspecs
from .errors import PluginError
from .registry import StageRegistry

ENTRY_POINT_GROUP = "babelwire"


def make_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with the core plugin and, optionally, installed plugins."""
    from . import core_plugin  # the default plugin: imported here, not at module import

    manager = pluggy.PluginManager("babelwire")
    manager.add_hookspecs(hookspecs)
    manager.register(core_plugin, name="babelwire.core")
    if load_entry_points:
        try:
            manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as error:  # noqa: BLE001 - any plugin import error is reported
            raise PluginError(
                f"a babelwire plugin failed to load: {type(error).__name__}: {error};"
                " uninstall or fix the plugin") from error
    return manager


def build_registry(manager: pluggy.PluginManager) -> StageRegistry:
    """A stage registry filled by every registered plugin."""
    registry = StageRegistry()
    manager.hook.register_stages(registry=registry)
    return registry
