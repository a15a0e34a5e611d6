"""The largest hostile documents: huge strings, megabytes of whitespace, nesting 100,000 deep.

Too large to hold in memory as cases, they are written to files piece by piece just
before their probe subprocess runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reliability.documented_limits import MAX_STRING_LENGTH, over_limit
from reliability.hostile_cases import Base, Case
from reliability.json_damage import deeply
from reliability.json_text import JsonPath, Piece, Repeat, around, nesting
from reliability.plan import Plan
from reliability.probes import MB


def big_cases(plan: Plan, bases: Sequence[Base]) -> list[tuple[Case, list[Piece]]]:
    """Return the largest inputs with the pieces of their files, those of the plan only.

    Each is written to a file just before its probe subprocess runs, and removed after.
    """
    example, cast = bases[0].document, bases[1].document
    size, megabytes = plan.huge_string, f"{plan.huge_string // MB} MB"
    long = (
        f"over MAX_STRING_LENGTH={MAX_STRING_LENGTH}" if over_limit(MAX_STRING_LENGTH, size) else ""
    )
    strings: list[tuple[str, str, Any, JsonPath, str]] = [
        ("string_name", "as the village name", example, ("village", "name"), long or "too long"),
        ("string_id", "as the session id", example, ("id",), long or "too long"),
        (
            "string_remarks",
            "as an unknown field",
            {**example, "remarks": 0},
            ("remarks",),
            "unknown",
        ),
        # A mark is any string (DESIGN §2): one outside the scale is an invalid vote.
        ("string_mark", "as a mark", cast, ("ballots", "cast", 0, "marks", "c1"), long),
    ]
    cases: list[tuple[Case, list[Piece]]] = []
    for key, where, document, path, why in strings:
        before, after = around(document, path)
        label = f"{megabytes} string {where}"
        case = Case("huge_string", label, expect="reject" if why else "either", why=why, key=key)
        cases.append((case, [before, '"', Repeat(b"x", size), '"', after]))
    label = f"{plan.whitespace // MB} MB of whitespace"
    whitespace: list[Piece] = [Repeat(b" ", plan.whitespace - 1), b"\n"]
    empty = "it is not a document"
    cases.append((Case("whitespace", label, why=empty, key="whitespace"), whitespace))
    label = f"arrays {plan.depth} deep as the document"
    deep: list[Piece] = [nesting(plan.depth)]
    why = deeply(plan.depth)
    cases.append((Case("deep_nesting", label, why=why, key="nesting_document"), deep))
    before, after = around(example, ("village", "name"))
    label = f"arrays {plan.depth} deep as village.name"
    deep = [before, nesting(plan.depth), after]
    cases.append((Case("deep_nesting", label, why=why, key="nesting_name"), deep))
    return [(case, pieces) for case, pieces in cases if case.key in plan.big]
