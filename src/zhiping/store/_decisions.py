"""What an outcome decides, apart from how its messages are worded.

Verification and the report of stale sessions compare decisions: the status, the
findings by rule, severity and subject, and for each subject its eligibility, tally,
grade, pay and actions. A reworded message or trace changes none of them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from zhiping.glossary import Text
from zhiping.store._chain import canonical_json

__all__ = ["decisions", "differences"]

_SUBJECT_KEYS = ("kind", "eligible", "tally", "valid_votes", "grade", "pay")


def decisions(outcome: Mapping[str, Any]) -> dict[str, Any]:
    """Return the decisions of an outcome document, wording left out."""
    findings = sorted(
        canonical_json([f.get("rule"), f.get("severity"), f.get("subject")])
        for f in outcome.get("findings", [])
    )
    subjects = {
        str(s.get("id")): {
            **{key: s.get(key) for key in _SUBJECT_KEYS},
            "actions": [[a.get("kind"), a.get("rule")] for a in s.get("actions", [])],
        }
        for s in outcome.get("subjects", [])
    }
    return {"status": outcome.get("status"), "findings": findings, "subjects": subjects}


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Text, ...]:
    """Return, in words, how the decisions of ``after`` differ from those of ``before``."""
    old, new = decisions(before), decisions(after)
    changed: list[Text] = []
    if old["status"] != new["status"]:
        changed.append(
            Text(
                zh=f"状态 {old['status']} → {new['status']}",
                en=f"status {old['status']} → {new['status']}",
            )
        )
    changed.extend(_findings_changed(old["findings"], new["findings"]))
    for subject in sorted(set(old["subjects"]) | set(new["subjects"])):
        was, now = old["subjects"].get(subject, {}), new["subjects"].get(subject, {})
        for key in (*_SUBJECT_KEYS, "actions"):
            if was.get(key) != now.get(key):
                shown = f"{canonical_json(was.get(key))} → {canonical_json(now.get(key))}"
                changed.append(
                    Text(zh=f"{subject} 的 {key}:{shown}", en=f"{subject} {key}: {shown}")
                )
    return tuple(changed)


def _findings_changed(old: list[str], new: list[str]) -> Iterator[Text]:
    """Say which findings (rule, severity, subject) one outcome has that the other lacks."""
    for words, found in (
        (Text(zh="新增", en="added"), Counter(new) - Counter(old)),
        (Text(zh="不再有", en="gone"), Counter(old) - Counter(new)),
    ):
        for finding in sorted(found.elements()):
            rule, severity, subject = json.loads(finding)
            about = f" {subject}" if subject else ""
            yield Text(
                zh=f"发现事项{words.zh}:{rule}({severity}){about}",
                en=f"finding {words.en}: {rule} ({severity}){about}",
            )
