"""Rule packs: the model of a pack and a chain, dated parameters, reading a pack file,
the registry that collects packs from plugins, and the hooks plugins implement.
"""

from __future__ import annotations

from zhiping.packs.hookspecs import hookimpl, hookspec
from zhiping.packs.loading import load_pack, pack_from_data, pack_plugin
from zhiping.packs.model import Chain, Pack
from zhiping.packs.parameters import DatedValue, Parameter
from zhiping.packs.registry import PackRegistry, default_registry, discover

__all__ = [
    "Chain",
    "DatedValue",
    "Pack",
    "PackRegistry",
    "Parameter",
    "default_registry",
    "discover",
    "hookimpl",
    "hookspec",
    "load_pack",
    "pack_from_data",
    "pack_plugin",
]
