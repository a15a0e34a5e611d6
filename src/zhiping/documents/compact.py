"""The compact outcome document ``zhiping.outcome/2``: a table of parameters, trace levels.

In ``zhiping.outcome/1`` every trace entry repeats each parameter it read with its value,
date and citation, which is most of an outcome's bytes. In ``zhiping.outcome/2`` the
outcome carries one table of the parameter values its rules used, ``parameters``, keyed
by a reference ``"<pack>/<name>@<effective date>"`` (as OpenFisca's trace names a
parameter ``name<date>``), and each trace entry lists the references it read.

The trace comes at one of three levels (``trace_level``):

- ``full``: every entry with its inputs and its sentence in zh and en; nothing of
  ``zhiping.outcome/1`` is lost (:func:`as_format_1` rebuilds it exactly);
- ``decisions``: every entry's rule, subject, result and parameter references, without
  inputs or sentences;
- ``none``: no trace and no table, for analytics over many sessions.

Findings and subjects (status, tallies, grades, pay, actions) are the same at every
level. An explanation can always be regenerated: evaluate the session document again
under the same chain (``zhiping evaluate FILE --explain``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zhiping.documents.outcome import (
    FORMAT,
    FindingDocument,
    Outcome,
    ParameterDocument,
    SubjectDocument,
    TextDocument,
    parameter_json,
)
from zhiping.documents.values import ParameterUse

__all__ = [
    "COMPACT_FORMAT",
    "TRACE_LEVELS",
    "CompactOutcomeDocument",
    "OutcomeVersion",
    "TraceLevel",
    "as_format_1",
    "compact_document",
    "outcome_document",
    "outcome_text",
    "parameter_reference",
]

COMPACT_FORMAT = "zhiping.outcome/2"

TraceLevel = Literal["full", "decisions", "none"]
"""How much of the trace an outcome carries: see the module's docstring."""

TRACE_LEVELS: tuple[TraceLevel, ...] = get_args(TraceLevel)

OutcomeVersion = Literal[1, 2]
"""The outcome formats: ``1`` for ``zhiping.outcome/1``, ``2`` for ``zhiping.outcome/2``."""


def outcome_document(
    outcome: Outcome, *, version: OutcomeVersion = 1, trace: TraceLevel = "full"
) -> dict[str, Any]:
    """Return an outcome's document in format ``version``, its trace at level ``trace``.

    Raises:
        ValueError: ``version`` is neither 1 nor 2, ``trace`` is not a level, or a level
            other than ``full`` is asked of format 1 (which always carries the full trace).
    """
    if version == 2:
        return compact_document(outcome, trace=trace)
    if version != 1:
        raise ValueError(f"the outcome format is 1 or 2, not {version!r}")
    if trace != "full":
        raise ValueError(
            f"zhiping.outcome/1 carries the full trace: the level {trace!r} needs format 2"
        )
    return outcome.to_document()


def outcome_text(
    outcome: Outcome, *, version: OutcomeVersion = 1, trace: TraceLevel = "full"
) -> str:
    """Return an outcome's document as compact JSON text: one line, UTF-8 as it is.

    The text is ``json.dumps(outcome_document(outcome, version=version, trace=trace),
    ensure_ascii=False, separators=(",", ":"))``, character for character, written
    faster for format 1 (:meth:`Outcome.to_text`).

    Raises:
        ValueError: as :func:`outcome_document`.
    """
    if version == 1 and trace == "full":
        return outcome.to_text()
    return json.dumps(
        outcome_document(outcome, version=version, trace=trace),
        ensure_ascii=False,
        separators=(",", ":"),
    )


def parameter_reference(use: ParameterUse) -> str:
    """Return the reference of a parameter value: ``<pack>/<name>@<effective date>``.

    For example ``xinzhou/quorum.representatives.minimum@2016-01-01``.
    """
    return f"{use.pack}/{use.name}@{use.effective_from.isoformat()}"


def compact_document(outcome: Outcome, *, trace: TraceLevel = "full") -> dict[str, Any]:
    """Return the ``zhiping.outcome/2`` document of an outcome, with the trace at ``trace``.

    Raises:
        ValueError: ``trace`` is not one of :data:`TRACE_LEVELS`.
    """
    if trace not in TRACE_LEVELS:
        raise ValueError(f"trace must be one of {', '.join(TRACE_LEVELS)}, not {trace!r}")
    table: dict[str, dict[str, Any]] = {}
    entries: list[dict[str, Any]] = []
    if trace != "none":
        for entry in outcome.trace:
            references = []
            for use in entry.parameters:
                reference = parameter_reference(use)
                if reference not in table:
                    table[reference] = parameter_json(use)
                references.append(reference)
            shown: dict[str, Any] = {
                "stage": entry.stage,
                "rule": entry.rule,
                "pack": entry.pack,
                "subject": entry.subject,
            }
            if trace == "full":
                shown["inputs"] = dict(entry.inputs)
            shown |= {
                "parameters": references,
                "fulfilled": entry.fulfilled,
                "result": entry.result,
            }
            if trace == "full":
                shown["message"] = entry.message.to_json()
            if entry.rule_assumed:
                shown["rule_assumed"] = True
                if entry.rule_note is not None:
                    shown["rule_note"] = entry.rule_note
            entries.append(shown)
    return {
        "format": COMPACT_FORMAT,
        **outcome.results_json(),
        "trace_level": trace,
        "parameters": table,
        "trace": entries,
    }


def as_format_1(document: dict[str, Any]) -> dict[str, Any]:
    """Return the ``zhiping.outcome/1`` document of a ``zhiping.outcome/2`` one at level ``full``.

    Each reference is replaced by the parameter value it names, so that the result is
    the document ``Outcome.to_document()`` gives; a document already in format 1 is
    returned as it is.

    Raises:
        ValueError: the document is of another format, or its trace is not ``full``
            (the sentences and inputs of a shorter trace are not in it: evaluate the
            session again to explain it).
    """
    if document.get("format") == FORMAT:
        return document
    if document.get("format") != COMPACT_FORMAT:
        raise ValueError(f"not an outcome document: format {document.get('format')!r}")
    if document.get("trace_level") != "full":
        raise ValueError(
            f"a trace at level {document.get('trace_level')!r} has no sentences or inputs: "
            "evaluate the session again to explain it"
        )
    table = document["parameters"]
    trace = []
    for entry in document["trace"]:
        expanded = {key: value for key, value in entry.items() if key != "parameters"}
        expanded["parameters"] = [table[reference] for reference in entry["parameters"]]
        trace.append(
            {
                key: expanded[key]
                for key in (
                    "stage",
                    "rule",
                    "pack",
                    "subject",
                    "inputs",
                    "parameters",
                    "fulfilled",
                    "result",
                    "message",
                    "rule_assumed",
                    "rule_note",
                )
                if key in expanded
            }
        )
    return {
        "format": FORMAT,
        "session": document["session"],
        "packs": document["packs"],
        "status": document["status"],
        "findings": document["findings"],
        "subjects": document["subjects"],
        "trace": trace,
    }


# The document models below give the JSON Schema of ``zhiping.outcome/2``.


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Reference = Annotated[str, Field(pattern=r"^[a-z0-9_-]+/[^@]+@[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


class DecisionDocument(_Doc):
    """One decision, at the trace level ``decisions``: no inputs, no sentence."""

    stage: str
    rule: str
    pack: str
    subject: str | None
    parameters: list[Reference]
    fulfilled: bool | None
    result: str | None
    rule_assumed: Annotated[bool, Field(exclude_if=lambda value: not value)] = False
    rule_note: Annotated[str | None, Field(exclude_if=lambda value: value is None)] = None


class CompactTraceDocument(DecisionDocument):
    """One decision, at the trace level ``full``: with its inputs and its sentence."""

    inputs: dict[str, Any]
    message: TextDocument


class CompactOutcomeDocument(_Doc):
    """The compact outcome document ``zhiping.outcome/2``."""

    format: Literal["zhiping.outcome/2"]
    session: str
    packs: list[str]
    status: Literal["valid", "void"]
    findings: list[FindingDocument]
    subjects: list[SubjectDocument]
    trace_level: TraceLevel
    parameters: dict[Reference, ParameterDocument]
    trace: list[CompactTraceDocument] | list[DecisionDocument]

    @model_validator(mode="after")
    def _references_resolve(self) -> CompactOutcomeDocument:
        full = self.trace_level == "full"
        for index, entry in enumerate(self.trace):
            if full != isinstance(entry, CompactTraceDocument):
                raise ValueError(f"trace[{index}]: not an entry of the level {self.trace_level}")
            missing = [r for r in entry.parameters if r not in self.parameters]
            if missing:
                raise ValueError(f"trace[{index}].parameters: not in the table: {missing}")
        if self.trace_level == "none" and (self.trace or self.parameters):
            raise ValueError("the trace level none carries no trace and no parameters")
        return self
