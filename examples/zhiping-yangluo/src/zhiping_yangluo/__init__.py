"""The pack ``yangluo``: 阳逻街 (Yangluo street, Xinzhou district), prefix ``420117102``.

An example for rule authors (``docs/plugins.md``): a township pack under ``xinzhou`` that
changes only what differs from its parent. It relaxes the representatives' quorum to
20, sets its own performance-pay coefficients and switches the three-100% reach check
off. Everything else (notice, party-member quorum, grading, sanctions) is inherited.

The division code ``420117102`` is the one zhiping's demo district gives 阳逻街; it is
illustrative, not the official statistical code. The local measure cited is fictional:
no such document exists.

References:
    示例:阳逻街“直评村官”实施细则(虚构,仅供演示) (a fictional local measure), 第五条
    (the representatives' quorum).
"""

from __future__ import annotations

from zhiping import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
