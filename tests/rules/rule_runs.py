"""Mechanisms applied by hand: one session, one mechanism at a time, with the parameters a
test gives, so that a rules test sets a threshold and reads the results and the trace.

Not a test module: the rules tests import it (``from rule_runs import Run``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from zhiping.documents.outcome import Finding, TraceEntry
from zhiping.documents.session import HistoryEntry, parse_session
from zhiping.documents.values import ParameterUse, Value
from zhiping.engine import merge_history
from zhiping.errors import PackError
from zhiping.glossary import Severity
from zhiping.rules import Evaluation, Mechanism, RuleContext, RuleDefinition

PACK = "test"
"""The pack every rule and parameter of a run comes from."""


@attrs.frozen
class Parameters:
    """The parameter values of one rule, as a chain in force would give them."""

    values: Mapping[str, Value]

    def parameter(self, name: str) -> ParameterUse:
        """Return the value of ``name`` and the record of its use.

        Raises:
            PackError: the test set no such parameter.
        """
        if name not in self.values:
            raise PackError(f"no parameter {name}", zh=f"没有参数 {name}")
        return ParameterUse(name, PACK, self.values[name], date(2000, 1, 1))


@attrs.define
class Run:
    """A session evaluated by hand: the state the mechanisms applied so far left."""

    evaluation: Evaluation

    @classmethod
    def of(cls, document: Mapping[str, Any], history: Iterable[HistoryEntry] = ()) -> Run:
        """Start a run of a session document, everyone present counted as they claim."""
        session = parse_session(dict(document))
        return cls(Evaluation.start(session, merge_history(session, history)))

    def context(
        self,
        mechanism: Mechanism,
        rule: str = "test.rule",
        *,
        severity: Severity | None = None,
        **parameters: Value,
    ) -> RuleContext:
        """Return the context ``mechanism`` would get as rule ``rule`` with these parameters."""
        values = {f"{rule}.{name}": value for name, value in parameters.items()}
        definition = RuleDefinition(rule, PACK, mechanism.name, severity)
        return RuleContext(definition, mechanism, Parameters(values), self.evaluation)

    def apply(
        self,
        mechanism: Mechanism,
        rule: str = "test.rule",
        *,
        severity: Severity | None = None,
        **parameters: Value,
    ) -> Run:
        """Apply ``mechanism`` as rule ``rule`` with these parameters; return the run."""
        mechanism.apply(self.context(mechanism, rule, severity=severity, **parameters))
        return self

    @property
    def findings(self) -> list[Finding]:
        """Return the findings so far."""
        return self.evaluation.findings

    @property
    def trace(self) -> list[TraceEntry]:
        """Return the trace so far."""
        return self.evaluation.trace

    def entry(self, rule: str, subject: str | None = None) -> TraceEntry:
        """Return the one trace entry of ``rule`` about ``subject``."""
        (found,) = [e for e in self.trace if e.rule == rule and e.subject == subject]
        return found

    def finding_rules(self) -> list[str]:
        """Return the rule of each finding, in order."""
        return [finding.rule for finding in self.findings]
