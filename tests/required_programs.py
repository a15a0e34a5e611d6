"""Programs some tests need beside Python (Chromium, node): found on the PATH, or skipped.

Without the program the test is skipped, unless the environment variable that requires
it is ``1`` (CI sets ``ZHIPING_REQUIRE_CHROMIUM`` and ``ZHIPING_REQUIRE_NODE``): then its
absence fails the test, so that a check CI relies on is never skipped quietly.
"""

from __future__ import annotations

import os
import shutil

import pytest


def required_program(*names: str, purpose: str, required_by: str) -> str:
    """Return the path of the first of ``names`` on the PATH.

    Args:
        names: the program's names, in order of preference.
        purpose: what is not done without it, for the skip or failure message.
        required_by: the environment variable that, set to ``1``, makes its absence fail.
    """
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    reason = f"{names[0]} is not on PATH: {purpose}"
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{reason}, and {required_by}=1 requires it")
    pytest.skip(reason)
