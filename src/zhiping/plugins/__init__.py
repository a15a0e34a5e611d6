"""The packs and mechanisms that ship with zhiping, registered as plugins."""

from __future__ import annotations

from types import ModuleType

from zhiping.plugins import cn, mechanisms, xinzhou

__all__ = ["BUNDLED"]

BUNDLED: tuple[ModuleType, ...] = (mechanisms, cn, xinzhou)
"""The bundled plugin modules, registered before any installed plugin."""
