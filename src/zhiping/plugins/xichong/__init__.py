"""The pack ``xichong``: 南充市西充县 (Xichong county, Nanchong), prefix ``511325``.

Quarterly evaluation by three groups weighted 50% (ordinary villagers), 30% (township
officials) and 20% (resident village officers); satisfaction below 60% brings an
individual interview and a team interview by the town's discipline committee. "Even if
both official groups give full marks, the rate is at most 50%." The organization itself
is not graded; the 60% line as the grade is assumed.

References:
    2018 report (中国新闻网) on 西充's quarterly evaluation of village cadres, as
    summarized in zhiping's bundled-variants reference.
"""

from __future__ import annotations

from zhiping.packs.loading import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
