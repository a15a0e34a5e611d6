"""The pack ``cn-organic-law``: the statutory democratic evaluation of the villagers' committee.

Selected by name (``--pack cn-organic-law``); it governs no prefix by itself. Members of
the villagers' committee are evaluated at least once a year by the villagers' meeting or
the representatives' meeting; a member evaluated incompetent twice running leaves
office. The law was amended on 2025-10-28 and its article numbers may have moved; the
pack cites the 2018 text with its date.

References:
    中华人民共和国村民委员会组织法 (2018年修正), art. 26 (2/3 of the representatives
    present), art. 33 (annual democratic evaluation; 连续两次被评议不称职的,其职务终止).
"""

from __future__ import annotations

from zhiping.packs.loading import pack_plugin

__all__ = ["zhiping_packs"]

zhiping_packs = pack_plugin(__name__)
