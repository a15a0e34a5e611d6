"""The packs and mechanisms that ship with zhiping, registered as plugins."""

from __future__ import annotations

from types import ModuleType

from zhiping.plugins import (
    cn,
    cn_organic_law,
    mechanisms,
    taizhou,
    wenjiang,
    xichong,
    xinzhou,
    yanling,
)

__all__ = ["BUNDLED"]

BUNDLED: tuple[ModuleType, ...] = (
    mechanisms,
    cn,
    cn_organic_law,
    xinzhou,
    taizhou,
    wenjiang,
    xichong,
    yanling,
)
"""The bundled plugin modules, registered before any installed plugin."""
