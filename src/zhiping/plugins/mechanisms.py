"""The plugin that provides zhiping's built-in mechanisms, through the public hook."""

from __future__ import annotations

from collections.abc import Iterable

from zhiping.packs.hookspecs import hookimpl
from zhiping.rules import BUILTIN_MECHANISMS, Mechanism

__all__ = ["zhiping_mechanisms"]


@hookimpl
def zhiping_mechanisms() -> Iterable[Mechanism]:
    """Return every mechanism in :mod:`zhiping.rules`."""
    return BUILTIN_MECHANISMS
