"""The hooks a zhiping plugin implements.

A plugin is a module (or object) registered under the entry-point group ``zhiping`` of
an installed distribution. zhiping's own packs and mechanisms are registered through
the same hooks. pluggy collects what the hooks return; zhiping, not registration
order, decides precedence (DESIGN §4). See ``docs/plugins.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from zhiping.rulebook import Pack
    from zhiping.rules import Mechanism

__all__ = ["PROJECT", "hookimpl", "hookspec", "zhiping_mechanisms", "zhiping_packs"]

PROJECT = "zhiping"
"""The pluggy project name, and the entry-point group plugins register under."""

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def zhiping_packs() -> Iterable[Pack]:  # type: ignore[empty-body]
    """Return the rule packs this plugin provides.

    Every implementation is called; the packs of all plugins are gathered. Two packs
    with the same name are an error, whoever registered them.
    """


@hookspec
def zhiping_mechanisms() -> Iterable[Mechanism]:  # type: ignore[empty-body]
    """Return the mechanisms (generic rules) this plugin provides, for packs to bind.

    Every implementation is called; two mechanisms with the same name are an error.
    """
