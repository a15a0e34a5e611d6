"""The root pack ``cn``: document checks, attendance, ballot accounting and tallying.

It holds only what every variant shares and grades nothing: a chain needs a pack below
it that defines grading.

References:
    中华人民共和国村民委员会组织法 (2018 text), for the statutory frame.
    zhiping DESIGN §5–6, for the practice every bundled variant shares.
"""

from __future__ import annotations

from zhiping.packs.loading import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
