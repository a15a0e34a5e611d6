"""The bundled pack ``xinzhou`` passes the laws every pack must pass.

Its rules are tested case by case, on both sides of each threshold, in ``tests/rules``.
"""

from __future__ import annotations

from zhiping.testing import PackTests


class TestXinzhou(PackTests):
    pack = "xinzhou"
