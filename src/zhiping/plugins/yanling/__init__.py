"""The pack ``yanling``: 许昌市鄢陵县 (Yanling county, Xuchang), prefix ``411024``.

An evaluation group of at least 20 (village cadres, party-member and villager
representatives) rates the cadres on site; satisfaction below 50% means dismissal; of
the rest, at most 15% are rated 优秀, with ties at the last place kept out. The
organization is not graded.

References:
    2015 report on 鄢陵's on-site evaluation of village officials, as summarized in
    zhiping's bundled-variants reference.
"""

from __future__ import annotations

from zhiping.packs.loading import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
