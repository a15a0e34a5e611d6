"""The root pack ``cn``: document checks, attendance, ballot accounting and tallying.

It holds only what every variant shares and grades nothing: a chain needs a pack below
it that defines grading.

References:
    中华人民共和国村民委员会组织法 (2018 text), for the statutory frame.
    zhiping DESIGN §5–6, for the practice every bundled variant shares.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files

from zhiping.hookspecs import hookimpl
from zhiping.packs import load_pack
from zhiping.rulebook import Pack

__all__ = ["zhiping_packs"]


@hookimpl
def zhiping_packs() -> Iterable[Pack]:
    """Return the root pack ``cn``."""
    return [load_pack(files(__name__) / "pack.toml")]
