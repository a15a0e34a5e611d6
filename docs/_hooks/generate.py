"""MkDocs hooks: the reference pages that are generated from the code at build time.

Listed under ``hooks:`` in ``mkdocs.yml``; ``exclude_docs`` keeps this file out of the
site. Nothing generated here is written into ``docs/`` or committed: the pages exist only
in the build, so they cannot drift from the code.

- ``reference/packs/index.md`` and ``reference/packs/<name>.md``: every installed pack
  (``zhiping.packs.registry.default_registry()``): its chain, references, rules, and every
  parameter with its dated values, citations and ``assumed`` marks (also on a rule and on
  the date in force), and its cases;
- ``reference/mechanisms.md``: every mechanism the installed plugins provide;
- ``reference/schemas.md`` and ``reference/schemas/{session,outcome}.schema.json``: the
  JSON Schemas, exactly as ``zhiping schema session|outcome`` prints them;
- ``reference/cli.md``: every command and option, walked from the argparse parser;
- ``reference/http.md`` and ``reference/openapi.json``: the HTTP API of ``zhiping serve``,
  from the OpenAPI document the application generates (when the ``serve`` extra is
  installed);
- ``tutorials/outcome-viewer/``: the frontend tutorial's viewer (``examples/frontend/``)
  with the outcome of ``examples/guanzhai-2026.json`` beside it, as a live demo;
- ``samples/``: that session's outcome as CSV and as results sheets, for the results
  outputs page.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import io
import json
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import zhiping
from zhiping.cli import _parser, main
from zhiping.documents.values import ShareCondition
from zhiping.packs.model import Pack
from zhiping.packs.parameters import DatedValue, Parameter
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.rules import RuleDefinition

ROOT = Path(__file__).resolve().parents[2]
PACKS_INDEX = "reference/packs/index.md"
PACKS_NAV_TITLE = "Rule packs"
EXAMPLE_SESSION = ROOT / "examples" / "guanzhai-2026.json"
VIEWER_SOURCE = ROOT / "examples" / "frontend"
VIEWER = "tutorials/outcome-viewer"
SAMPLES = {
    "guanzhai-2026.csv": ["--format", "csv", "--lang", "en"],
    "guanzhai-2026.zh.html": ["--format", "html", "--lang", "zh"],
    "guanzhai-2026.en.html": ["--format", "html", "--lang", "en"],
}
"""The outputs of the example session that the results outputs page links to."""
NOTE = (
    "<!-- Generated at build time by docs/_hooks/generate.py from the installed code. "
    "Do not edit: change the code or the pack. -->\n\n"
)


# The hooks.


def on_config(config: Any) -> Any:
    """Put one nav entry per installed pack under the packs index."""
    entries = [PACKS_INDEX]
    entries += [{name: pack_page(name)} for name in _registry().names()]
    if not _replace_nav_entry(config["nav"], PACKS_INDEX, {PACKS_NAV_TITLE: entries}):
        raise ValueError(f"mkdocs.yml: the nav has no entry for {PACKS_INDEX}")
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages and files to the site."""
    from mkdocs.structure.files import File

    for path, content in generated_files().items():
        files.append(File.generated(config, path, content=content))
    for source in sorted(VIEWER_SOURCE.iterdir()):
        if source.is_file():
            path = f"{VIEWER}/{source.name}"
            files.append(File.generated(config, path, abs_src_path=str(source)))
    return files


SPHINX_ROLE = re.compile(
    r":(?:class|func|meth|mod|data|attr|exc|obj):<code>(?P<short>~?)(?P<target>[\w.]+)</code>"
)
"""A cross-reference in a docstring, as Markdown renders the Sphinx role zhiping writes."""


def on_page_content(html: str, **kwargs: Any) -> str:
    """Turn the docstrings' Sphinx roles into links to the API reference, where it has them.

    ``:class:`~zhiping.packs.model.Pack``` becomes ``Pack`` linked to its entry; a name the
    reference does not document (a relative one, say) stays as code, without the role.
    """
    return SPHINX_ROLE.sub(_autoref, html)


def _autoref(match: re.Match[str]) -> str:
    target = match["target"]
    title = target.rsplit(".", 1)[-1] if match["short"] else target
    # mkdocs-autorefs resolves these once every page is rendered; optional: no warning.
    return f'<autoref identifier="{target}" optional><code>{title}</code></autoref>'


def generated_files() -> dict[str, str]:
    """Return every generated file, by its path in the site's sources."""
    registry = _registry()
    pages = {PACKS_INDEX: packs_index(registry)}
    for name in registry.names():
        pages[pack_page(name)] = pack_reference(registry, name)
    pages["reference/mechanisms.md"] = mechanisms_reference(registry)
    schemas = {document: schema_text(document) for document in ("session", "outcome")}
    pages["reference/schemas.md"] = schemas_reference(schemas)
    for document, text in schemas.items():
        pages[f"reference/schemas/{document}.schema.json"] = text
    pages["reference/cli.md"] = cli_reference()
    openapi = openapi_document()
    pages["reference/http.md"] = http_reference(openapi)
    if openapi is not None:
        pages["reference/openapi.json"] = json.dumps(openapi, ensure_ascii=False, indent=2) + "\n"
    pages[f"{VIEWER}/outcome.json"] = _printed(
        ["evaluate", str(EXAMPLE_SESSION), "--format", "json"]
    )
    for name, argv in SAMPLES.items():
        pages[f"samples/{name}"] = _printed(["evaluate", str(EXAMPLE_SESSION), *argv])
    return pages


@functools.cache
def _registry() -> PackRegistry:
    return default_registry()


def _replace_nav_entry(nav: list[Any], target: str, replacement: Any) -> bool:
    for index, entry in enumerate(nav):
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if value == target:
            nav[index] = replacement
            return True
        if isinstance(value, list) and _replace_nav_entry(value, target, replacement):
            return True
    return False


def _printed(argv: list[str]) -> str:
    """Return what ``zhiping ARGV`` prints, run in this process."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(argv)
    if status != 0:
        raise RuntimeError(f"zhiping {' '.join(argv)} exited {status}")
    return out.getvalue()


def pack_page(name: str) -> str:
    """Return the path of a pack's reference page."""
    return f"reference/packs/{name}.md"


# Markdown helpers.


def cell(text: object) -> str:
    """Return text that fits in a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def code(text: object) -> str:
    """Return inline code, for identifiers."""
    return f"`{text}`"


def table(header: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# The packs.


def packs_index(registry: PackRegistry) -> str:
    """Return the page listing every installed pack and how they nest."""
    rows = []
    for name in registry.names():
        pack = registry.packs[name]
        assumed = sum(
            dated.assumed for parameter in pack.parameters.values() for dated in parameter.values
        )
        rows.append(
            [
                f"[{code(name)}]({name}.md)",
                cell(f"{pack.title.zh} · {pack.title.en}"),
                _prefix(pack),
                code(pack.parent) if pack.parent else "—",
                _in_force(pack) + (" (*assumed*)" if pack.in_force_from_assumed else ""),
                str(len(pack.rules)),
                f"{len(pack.parameters)} ({assumed} assumed)"
                if assumed
                else str(len(pack.parameters)),
                cell(registry.origins.get(name, "—")),
            ]
        )
    tree = "\n".join(_tree(registry, parent=None, depth=0))
    return (
        NOTE
        + "# Rule packs\n\n"
        + "Every pack installed where this site was built: zhiping's bundled packs, and "
        "any pack distribution installed beside it. Each page lists the pack's rules and "
        "parameters as its chain resolves them, with the dates from which each value is in "
        "force, its citation, or the mark *assumed* where the source does not fix it. "
        "`zhiping packs` and `zhiping packs show NAME` print the same from the command line; "
        "[Rule packs and precedence](../../packs.md) explains the format.\n\n"
        + table(
            [
                "pack",
                "jurisdiction",
                "prefix",
                "parent",
                "in force",
                "rules",
                "parameters",
                "origin",
            ],
            rows,
        )
        + "\n## How they nest\n\nA chain runs from the root down to the most specific pack "
        "whose prefix covers the village code; each pack says only what differs from "
        "its parent.\n\n" + tree + "\n"
    )


def _tree(registry: PackRegistry, *, parent: str | None, depth: int) -> Iterator[str]:
    for name in registry.names():
        pack = registry.packs[name]
        if pack.parent == parent:
            yield f"{'    ' * depth}- [{code(name)}]({name}.md) {_prefix(pack)}: {pack.title.en}"
            yield from _tree(registry, parent=name, depth=depth + 1)


def pack_reference(registry: PackRegistry, name: str) -> str:
    """Return one pack's page: header, references, resolved rules and parameters, cases."""
    line = registry.lineage(name)
    pack = line[-1]
    chain = " ► ".join(f"[{code(p.name)}]({p.name}.md)" for p in line)
    parent = f"[{code(pack.parent)}]({pack.parent}.md)" if pack.parent else "— (the root)"
    header = {
        "prefix": _prefix(pack),
        "parent": parent,
        "chain": chain,
        "in force": _in_force(pack) + _in_force_mark(pack),
        "origin": cell(registry.origins.get(name, "—")),
        "file": code(_shown_path(pack.source)),
    }
    parts = [
        "---\nhide:\n  - toc\n---\n\n",
        NOTE,
        f"# {code(name)}: {pack.title.en}\n\n",
        f"**{pack.title.zh}** · {pack.title.en}\n\n",
        table(list(header), [list(header.values())]) + "\n",
        _module_text(pack),
        _references(pack),
        _rules(registry, line),
        _parameters(line),
        _cases(pack),
    ]
    return "".join(parts)


def _module_text(pack: Pack) -> str:
    """Return the description in the docstring of the pack's plugin module, if it has one."""
    module = Path(pack.source).parent / "__init__.py" if pack.source else None
    if module is None or not module.is_file():
        return ""
    docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
    body, _, sources = docstring.partition("\nReferences:\n")
    paragraphs = body.split("\n\n")[1:]  # the first line repeats the page's heading
    text = "".join(f"{' '.join(p.split())}\n\n" for p in paragraphs if p.strip())
    if sources.strip():
        text += f"Sources, as the plugin module names them: {' '.join(sources.split())}\n\n"
    return text


def _prefix(pack: Pack) -> str:
    if pack.selectable_only:
        return "by name only (`--pack`)"
    return code(pack.prefix) if pack.prefix else "every village"


def _in_force(pack: Pack) -> str:
    until = pack.in_force_until.isoformat() if pack.in_force_until else "…"
    return f"{pack.in_force_from.isoformat()} – {until}"


def _in_force_mark(pack: Pack) -> str:
    if not pack.in_force_from_assumed:
        return ""
    return f" (**assumed**: {cell(pack.in_force_from_note or '')})"


def _shown_path(source: str) -> str:
    path = Path(source)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name or source


def _references(pack: Pack) -> str:
    if not pack.references:
        return ""
    items = []
    for reference in pack.references:
        title = f"[{reference.title}]({reference.url})" if reference.url else reference.title
        published = f" ({reference.published_on.isoformat()})" if reference.published_on else ""
        items.append(f"- {title}{published}")
    return "## References\n\n" + "\n".join(items) + "\n\n"


def _rules(registry: PackRegistry, line: tuple[Pack, ...]) -> str:
    rules = _resolved_rules(line)
    rows = []
    for rule in rules:
        mechanism = registry.mechanisms.get(rule.mechanism or "")
        if rule.disabled is not None:
            what = f"*disabled*: {cell(rule.disabled)}"
            stage = severity = "—"
        else:
            what = f"[{code(rule.mechanism)}](../mechanisms.md#{rule.mechanism})"
            stage = mechanism.stage if mechanism else "?"
            severity = rule.severity or (mechanism.severity if mechanism else "?")
        rows.append(
            [
                code(rule.id),
                what,
                stage,
                severity,
                _pack_link(rule.pack, line),
                _rule_source(rule),
            ]
        )
    return (
        "## Rules\n\n"
        "Each rule id as the chain resolves it: the most specific pack that defines or "
        "disables it wins, whole. The severity is that of the findings the rule reports "
        "when it is not met; a `violation` voids the session.\n\n"
        + table(["rule", "mechanism", "stage", "severity", "pack", "source"], rows)
        + "\n"
    )


def _resolved_rules(line: tuple[Pack, ...]) -> list[RuleDefinition]:
    return list({rule.id: rule for pack in line for rule in pack.rules}.values())


def _basis(rule: RuleDefinition) -> str:
    return "; ".join(
        f"{citation.title} {citation.article}" if citation.article else citation.title
        for citation in rule.basis
    )


def _rule_source(rule: RuleDefinition) -> str:
    """Return a rule's sources, and the mark **assumed** with its note if the pack chose it."""
    basis = cell(_basis(rule))
    if not rule.assumed:
        return basis
    assumed = f"**assumed**: {cell(rule.note or '')}"
    return f"{basis}; {assumed}" if basis else assumed


def _pack_link(name: str, line: tuple[Pack, ...]) -> str:
    return code(name) if name == line[-1].name else f"[{code(name)}]({name}.md)"


def _parameters(line: tuple[Pack, ...]) -> str:
    resolved: dict[str, tuple[Pack, Parameter]] = {}
    for pack in line:
        for name, parameter in pack.parameters.items():
            resolved[name] = (pack, parameter)
    disabled = {rule.id for rule in _resolved_rules(line) if rule.disabled is not None}
    rows = []
    for name in sorted(resolved):
        pack, parameter = resolved[name]
        off = name.rsplit(".", 1)[0] in disabled
        for dated in parameter.values:
            source = "its rule is disabled: not applied" if off else _source(dated)
            rows.append(
                [
                    code(name),
                    parameter.kind,
                    dated.effective_from.isoformat(),
                    cell(_value(dated.value)),
                    _pack_link(pack.name, line),
                    source,
                ]
            )
    return (
        "## Parameters\n\n"
        "Each parameter from the most specific pack of the chain that sets it, with every "
        "dated value: a session uses the value in force on its `held_on`. "
        "**assumed** marks a value the pack chose where its source does not fix it; the "
        "trace of every outcome that uses it says so.\n\n"
        + table(["parameter", "kind", "from", "value", "pack", "source"], rows)
        + "\n"
    )


def _value(value: object) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {amount}" for key, amount in value.items())
    if isinstance(value, tuple) and value and isinstance(value[0], ShareCondition):
        return "; ".join(f"{c.grade} if {c.describe()}" for c in value)
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def _source(dated: DatedValue) -> str:
    if dated.assumed:
        return "**assumed**" + (f": {cell(dated.note)}" if dated.note else "")
    citation = dated.citation
    if citation is None:
        return "—"
    text = cell(f"{citation.title} {citation.article}" if citation.article else citation.title)
    return f"[{text}]({citation.url})" if citation.url else text


def _cases(pack: Pack) -> str:
    directory = Path(pack.source).parent / "cases" if pack.source else None
    if directory is None or not directory.is_dir():
        return ""
    rows = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as file:
            name = tomllib.load(file).get("case", {}).get("name", "")
        rows.append([code(path.stem), cell(name)])
    if not rows:
        return ""
    return (
        "## Cases\n\n"
        "The pack's declarative cases, worked out by hand; "
        f"`pytest --zhiping-pack {pack.name}` runs them with the laws "
        "([Testing a pack](../../testing.md)).\n\n" + table(["case", "what it shows"], rows)
    )


# The mechanisms.


def mechanisms_reference(registry: PackRegistry) -> str:
    """Return the page listing every mechanism and the packs that bind it."""
    users: dict[str, list[str]] = {}
    for pack in registry.packs.values():
        for rule in pack.rules:
            if rule.mechanism:
                users.setdefault(rule.mechanism, []).append(f"{pack.name}: {rule.id}")
    parts = [
        NOTE,
        "# Mechanisms\n\n",
        'The generic rules that packs bind to rule ids (`mechanism = "NAME"` in '
        "`pack.toml`), as the installed plugins provide them through the hook "
        "[`zhiping_mechanisms`](hooks.md#zhiping_mechanisms). A parameter `NAME` of a "
        "mechanism is set by the pack as `<rule id>.NAME`. "
        "[Rule packs and precedence](../packs.md#mechanisms) describes each at length. "
        "The severity is that of the findings a rule reports when it is not met, unless its "
        "pack sets another; a `violation` voids the session.\n\n",
    ]
    for name in sorted(registry.mechanisms, key=lambda n: _stage_order(registry, n)):
        mechanism = registry.mechanisms[name]
        parameters = ", ".join(f"`{p}` ({kind})" for p, kind in mechanism.parameters.items())
        bound = ", ".join(f"`{use}`" for use in sorted(users.get(name, []))) or "—"
        parts.append(
            f"## {name}\n\n{mechanism.summary}\n\n"
            + table(
                ["stage", "parameters", "severity", "bound by"],
                [[mechanism.stage, parameters or "—", mechanism.severity, bound]],
            )
            + "\n"
        )
    return "".join(parts)


def _stage_order(registry: PackRegistry, name: str) -> tuple[int, str]:
    from zhiping.rules import STAGES

    return STAGES.index(registry.mechanisms[name].stage), name


# The schemas.


def schema_text(document: str) -> str:
    """Return the JSON Schema exactly as ``zhiping schema DOCUMENT`` prints it."""
    return _printed(["schema", document])


def openapi_document() -> dict[str, Any] | None:
    """Return the OpenAPI document of ``zhiping serve``; None without the serve extra."""
    try:
        from zhiping.serve import create_app
    except ImportError:
        return None
    document: dict[str, Any] = create_app().openapi()
    return document


def http_reference(openapi: Mapping[str, Any] | None) -> str:
    """Return the page listing every operation of the HTTP API, from its OpenAPI document."""
    parts = [NOTE, "# HTTP API\n\n"]
    if openapi is None:
        parts.append(
            "Built without the `serve` extra: install it (`pip install -e '.[serve,docs]'`) "
            "to generate this page from the application.\n"
        )
        return "".join(parts)
    parts.append(
        f"The operations of `zhiping serve` ({openapi['info']['title']} "
        f"{openapi['info']['version']}), from the OpenAPI document the application "
        "generates: [`openapi.json`](openapi.json), the same as `GET /openapi.json`. "
        "[The HTTP service](../serve.md) says who may call what, and what public reads "
        "withhold; errors are RFC 9457 problem details.\n\n"
    )
    rows = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            answers = ", ".join(sorted(operation.get("responses", {})))
            summary = operation.get("summary") or operation.get("operationId", "")
            rows.append([code(f"{method.upper()} {path}"), cell(summary), cell(answers)])
    parts.append(table(["operation", "what it does", "answers"], rows))
    return "".join(parts)


def schemas_reference(schemas: Mapping[str, str]) -> str:
    """Return the page describing and showing both JSON Schemas."""
    formats = {"session": "zhiping.session/1", "outcome": "zhiping.outcome/1"}
    parts = [
        NOTE,
        "# JSON Schemas\n\n",
        "Both documents have a JSON Schema (draft 2020-12) generated from the models that "
        "parse and write them, so that a frontend in any language can validate what it "
        "sends and reads. `zhiping schema session|outcome` prints the same text. "
        "[The documents](../documents.md) describes each field and the checks that a "
        "schema cannot express (ids that must agree, counts that must add up).\n\n",
    ]
    for document, text in schemas.items():
        schema = json.loads(text)
        parts.append(
            f"## {formats[document]}\n\n"
            f"Download: [`{document}.schema.json`](schemas/{document}.schema.json) "
            f"(`$id` `{schema['$id']}`).\n\n"
        )
        parts.append(_schema_table(schema))
        body = "\n".join(f"    {line}" if line else "" for line in text.rstrip().splitlines())
        parts.append(
            f'??? example "The whole schema: {document}.schema.json"\n\n'
            f"    ```json\n{body}\n    ```\n\n"
        )
    return "".join(parts)


def _schema_table(schema: Mapping[str, Any]) -> str:
    rows = []
    objects = [(schema.get("title", "document"), schema)]
    objects += sorted(schema.get("$defs", {}).items())
    for title, definition in objects:
        properties = definition.get("properties")
        if not properties:
            continue
        required = set(definition.get("required", ()))
        fields = ", ".join(
            f"**`{field}`**" if field in required else f"`{field}`" for field in properties
        )
        rows.append([code(title), cell(definition.get("description", "")), fields])
    return (
        "Objects of the schema; **bold** fields are required.\n\n"
        + table(["object", "what", "fields"], rows)
        + "\n"
    )


# The command line.


def cli_reference() -> str:
    """Return the page describing every command, walked from the argparse parser."""
    with _environment(LANG="", COLUMNS="88"):
        parser = _parser()
        commands = list(_commands(parser, None))
        parts = [
            NOTE,
            "# Command line\n\n",
            f"`zhiping` {zhiping.__version__}. {parser.description}\n\n",
            _cli_module_text(),
        ]
        for command, summary in commands:
            parts.append(_command_section(command, summary))
    return "".join(parts)


@contextlib.contextmanager
def _environment(**variables: str) -> Iterator[None]:
    """Fix the environment the parser reads (LANG for --lang's default, COLUMNS)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _cli_module_text() -> str:
    import zhiping.cli

    paragraphs = (zhiping.cli.__doc__ or "").strip().split("\n\n")
    exit_status = [p for p in paragraphs if p.startswith("Exit status")]
    return "".join(re.sub(r" \(DESIGN §\d+\)", "", p) + "\n\n" for p in exit_status)


def _commands(
    parser: argparse.ArgumentParser, summary: str | None
) -> Iterator[tuple[argparse.ArgumentParser, str | None]]:
    yield parser, summary
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, subparser in action.choices.items():
                yield from _commands(subparser, helps.get(name))


def _command_section(parser: argparse.ArgumentParser, summary: str | None) -> str:
    depth = parser.prog.count(" ")  # zhiping 0, zhiping packs 1, zhiping packs show 2
    usage = parser.format_usage().removeprefix("usage: ").rstrip()
    text = [f"{'#' * (1 + depth)} {parser.prog}\n\n"] if depth else ["## Usage\n\n"]
    if summary:
        text.append(f"*{summary[0].upper()}{summary[1:]}.*\n\n")
    if parser.description and depth:
        text.append(f"{parser.description}\n\n")
    text.append(f"```text\n{usage}\n```\n\n")
    rows = [_argument_row(action) for action in parser._actions if _documented(action)]
    if rows:
        text.append(table(["argument", "values", "default", "what"], rows) + "\n")
    return "".join(text)


def _documented(action: argparse.Action) -> bool:
    return not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)


def _argument_row(action: argparse.Action) -> list[str]:
    if action.option_strings:
        name = ", ".join(code(option) for option in action.option_strings)
    else:
        name = code(action.metavar or action.dest)
    if action.choices:
        values = " \\| ".join(code(choice) for choice in action.choices)
    elif action.nargs == 0:
        values = "flag"
    elif action.option_strings:
        values = code(action.metavar or action.dest.upper())
    else:
        values = ""
    default = action.default
    if isinstance(action, argparse._VersionAction) or default in (None, False, argparse.SUPPRESS):
        shown = ""
    else:
        shown = code(default)
    what = cell(action.help or "")
    if action.required and action.option_strings:
        what = f"required; {what}" if what else "required"
    return [name, values, shown, what]
