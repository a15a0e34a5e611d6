"""The hooks a zhiping plugin implements.

A plugin is a module (or object) named under the entry-point group ``zhiping`` of an
installed distribution. zhiping's own packs and mechanisms are registered through the
same hooks and the same pack format. pluggy collects what the hooks return
(``check_pending()`` refuses, naming the plugin, an implementation of a hook that is not
specified here); zhiping, not registration order, decides precedence (DESIGN §4). See
``docs/plugins.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from zhiping.packs.model import Pack
    from zhiping.rules import Mechanism

__all__ = ["PROJECT", "hookimpl", "hookspec", "zhiping_mechanisms", "zhiping_packs"]

PROJECT = "zhiping"
"""The pluggy project name, and the entry-point group plugins register under."""

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def zhiping_packs() -> Iterable[Pack]:  # type: ignore[empty-body]
    """Return the rule packs this plugin provides.

    Receives nothing. Returns a list of :class:`~zhiping.packs.model.Pack`, usually read
    from the plugin's ``pack.toml`` by :func:`zhiping.packs.loading.load_pack`;
    :func:`zhiping.packs.loading.pack_plugin` writes this hook for a pack that is only data.

    Not ``firstresult``: every implementation is called, each on its own so that its
    packs are known by the plugin or distribution that provides them, and all packs are
    gathered. Two packs with the same name are an error, whoever provides them.
    Precedence among packs follows their prefixes and parents, never the order in which
    plugins were registered.
    """


@hookspec
def zhiping_mechanisms() -> Iterable[Mechanism]:  # type: ignore[empty-body]
    """Return the mechanisms (generic rules) this plugin provides, for packs to bind.

    Receives nothing. Returns a list of :class:`~zhiping.rules.Mechanism`, usually made
    with the :func:`zhiping.rules.mechanism` decorator; a pack binds one to a rule id
    with ``mechanism = "<name>"`` in its ``pack.toml``.

    Not ``firstresult``: every implementation is called and all mechanisms gathered;
    two mechanisms with the same name are an error. zhiping's own mechanisms come
    through this hook too (``zhiping.plugins.mechanisms``).
    """
