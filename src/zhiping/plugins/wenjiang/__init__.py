"""The pack ``wenjiang``: 成都市温江区 (Wenjiang district, Chengdu), prefix ``510115``.

A 100-point total: democratic evaluation 30%, township committee 20%, target assessment
50%; ≥ 90 优秀, 80–90 称职, 70–80 基本称职, < 70 不称职; listed faults make the cadre
不合格 at once (一票否决); satisfaction below 50% brings 调整和罢免. The organization is
not graded.

References:
    2005 report on 温江's measures for managing village cadres, as summarized in
    zhiping's bundled-variants reference.
"""

from __future__ import annotations

from zhiping.packs.loading import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
