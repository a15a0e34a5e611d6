"""The pack ``taizhou``: 江苏省泰州市 (Taizhou, Jiangsu), prefix ``3212``: the city, all counties.

All villagers evaluate (村民直评村官); only cadres in office more than half a year are
evaluated; questioning on site, then a secret ballot with 满意 / 基本满意 / 不满意;
grades 优秀 / 称职 / 不称职. No notice or quorum rule is stated, so none applies. The
grade thresholds are assumed.

References:
    Reports on 泰州's 村民直评村官 (400+ villages, 8,600 commitments, 8,200 kept), as
    summarized in zhiping's bundled-variants reference.
"""

from __future__ import annotations

from zhiping.packs.loading import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
