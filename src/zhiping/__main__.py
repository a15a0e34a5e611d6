"""``python -m zhiping``: the same as the ``zhiping`` command."""

from __future__ import annotations

from zhiping.cli import main

raise SystemExit(main())
