"""The pack ``xinzhou``: 武汉市新洲区 (Xinzhou district, Wuhan), prefix ``420117``.

The seed of zhiping: the party organization and every cadre of each village are
evaluated once a year by the party members and representatives, with invited observers;
notice 3 days ahead; at least 4/5 of the party members and 30 representatives present;
grades feed performance pay; two incompetent years running bring an organizational
adjustment. The received text is cut before the rating scale, the grade thresholds and
the pay coefficients: the pack assumes them and marks each ``assumed``.

References:
    武汉市新洲区:全面推行“直评村官”的实践与探索 (practice report), 一(二), 一(四),
    二(一) 一是、二是、三是.
"""

from __future__ import annotations

from zhiping.packs.loading import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
