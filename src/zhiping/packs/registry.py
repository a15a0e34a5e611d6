"""Collecting packs and mechanisms from plugins, and resolving the chain for a session.

pluggy collects (project ``zhiping``, entry-point group ``zhiping``, ``check_pending()``
always); this module decides. The chain for a village is the most specific pack in force
whose prefix covers its code, then that pack's parents up to the root ``cn``. Nothing
depends on the order in which plugins were registered.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from importlib.resources import files
from types import ModuleType
from typing import TypeVar

import attrs
import pluggy

from zhiping.documents.vocabulary import Vocabulary
from zhiping.errors import PackConflict, PackError
from zhiping.packs import hookspecs
from zhiping.packs.checking import value_problems, vocabulary_problems
from zhiping.packs.loading import load_pack
from zhiping.packs.model import Chain, Pack, vocabulary_of_packs
from zhiping.rules import Mechanism, ParameterType

__all__ = ["PackRegistry", "default_registry", "discover"]

ROOT = "cn"

CHAINS_KEPT = 512
"""How many chains (a pack and a date each) a registry keeps for the sessions to come."""


@attrs.frozen
class PackRegistry:
    """The packs and mechanisms available, by name.

    Attributes:
        packs: every pack, by name.
        mechanisms: every mechanism, by name.
        origins: where each pack comes from: ``bundled``, or the distribution
            (``zhiping-yangluo 1.0.0``) or plugin that provides it.
    """

    packs: Mapping[str, Pack]
    mechanisms: Mapping[str, Mechanism]
    origins: Mapping[str, str] = attrs.field(factory=dict)
    _checked: dict[tuple[str, ...], None] = attrs.field(
        factory=dict, init=False, repr=False, eq=False
    )
    _chains: dict[tuple[str, date], Chain] = attrs.field(
        factory=dict, init=False, repr=False, eq=False
    )

    @classmethod
    def of(
        cls,
        packs: Iterable[Pack],
        mechanisms: Iterable[Mechanism],
        origins: Mapping[str, str] | None = None,
        *,
        checked: bool = True,
    ) -> PackRegistry:
        """Build a registry and check every pack's chain; any order of packs will do.

        Args:
            packs: the packs.
            mechanisms: the mechanisms their rules use.
            origins: where each pack comes from, by name.
            checked: check every pack's chain now; ``zhiping packs check`` passes
                false, to check each pack on its own and report them all.

        Raises:
            PackError: two packs or two mechanisms share a name, a parent is missing,
                parents form a cycle, or a chain's rules and parameters disagree
                (see :meth:`check`).
        """
        by_name: dict[str, Pack] = {}
        for pack in sorted(packs, key=lambda p: (p.name, p.source)):
            if pack.name in by_name:
                first, second = by_name[pack.name].source or "?", pack.source or "?"
                raise PackError(
                    f"two packs are named {pack.name!r}: {first} and {second}",
                    zh=f"有两个规则包都名为 {pack.name!r}:{first} 和 {second}",
                )
            by_name[pack.name] = pack
        known: dict[str, Mechanism] = {}
        for mechanism in sorted(mechanisms, key=lambda m: m.name):
            if mechanism.name in known:
                raise PackError(
                    f"two mechanisms are named {mechanism.name!r}",
                    zh=f"有两个机制都名为 {mechanism.name!r}",
                )
            known[mechanism.name] = mechanism
        registry = cls(by_name, known, dict(origins or {}))
        if checked:
            for name in by_name:
                registry.check_pack(name)
        return registry

    def check_pack(self, name: str) -> Chain:
        """Check the chain that ends with the pack ``name``, as on its first day in force.

        Returns:
            the chain checked.

        Raises:
            PackError: the chain cannot be used (see :meth:`lineage`, :meth:`check`).
        """
        if name not in self.packs:
            raise self._no_pack(name)
        chain = Chain(self.lineage(name), self.packs[name].in_force_from)
        self.check(chain)
        return chain

    def vocabulary(self, packs: Sequence[str]) -> Vocabulary:
        """Return the words of the chain an outcome names (its ``packs``, root first).

        Outputs print a stored or streamed outcome in its chain's words with this. A
        chain whose most specific pack is not installed (an outcome kept from another
        installation) is printed in the glossary's words.
        """
        if not packs or packs[-1] not in self.packs:
            return Vocabulary()
        try:
            return vocabulary_of_packs(self.lineage(packs[-1]))
        except PackError:
            return Vocabulary()

    def names(self) -> tuple[str, ...]:
        """Return the names of every pack, sorted."""
        return tuple(sorted(self.packs))

    def lineage(self, name: str) -> tuple[Pack, ...]:
        """Return the pack and its ancestors, root first.

        Raises:
            PackError: no pack has that name, a parent is missing, parents form a cycle,
                or a parent's prefix does not cover its child's.
        """
        if name not in self.packs:
            raise self._no_pack(name)
        line: list[Pack] = []
        pack: Pack | None = self.packs[name]
        while pack is not None:
            if pack in line:
                raise PackError(
                    f"pack {name}: its parents form a cycle",
                    zh=f"规则包 {name}:上级规则包形成了循环",
                )
            line.append(pack)
            if pack.parent is None:
                break
            parent = self.packs.get(pack.parent)
            if parent is None:
                raise PackError(
                    f"pack {pack.name}: parent {pack.parent!r} is not installed",
                    zh=f"规则包 {pack.name}:上级规则包 {pack.parent!r} 没有安装",
                )
            if not pack.prefix.startswith(parent.prefix):
                raise PackError(
                    f"pack {pack.name}: prefix {pack.prefix!r} is not within its parent "
                    f"{parent.name}'s prefix {parent.prefix!r}",
                    zh=f"规则包 {pack.name}:区划代码前缀 {pack.prefix!r} 不在上级规则包 "
                    f"{parent.name} 的前缀 {parent.prefix!r} 之内",
                )
            pack = parent
        if line[-1].name != ROOT:
            raise PackError(
                f"pack {name}: its ancestry does not reach the root pack {ROOT}",
                zh=f"规则包 {name}:逐级上溯到不了根规则包 {ROOT}",
            )
        return tuple(reversed(line))

    def governing(self, village_code: str, on: date) -> Pack:
        """Return the most specific pack in force on ``on`` whose prefix covers the village.

        Raises:
            PackConflict: two packs claim the same most specific prefix on that date.
            PackError: not even the root pack is in force.
        """
        candidates = [
            pack
            for pack in self.packs.values()
            if pack.governs(village_code) and pack.in_force_on(on)
        ]
        if not candidates:
            raise PackError(
                f"no pack is in force for village {village_code} on {on}",
                zh=f"{on} 没有对村 {village_code} 生效的规则包",
            )
        longest = max(len(pack.prefix) for pack in candidates)
        winners = sorted(pack.name for pack in candidates if len(pack.prefix) == longest)
        if len(winners) > 1:
            prefix = village_code[:longest]
            raise PackConflict(
                f"packs {' and '.join(winners)} both claim prefix {prefix!r} on {on}",
                zh=f"规则包 {' 和 '.join(winners)} 在 {on} 都适用于区划代码前缀 {prefix!r}",
            )
        return self.packs[winners[0]]

    def chain(self, village_code: str, held_on: date, *, pack: str | None = None) -> Chain:
        """Return the chain that governs a session, checked against the mechanisms.

        Args:
            village_code: the village's 12-digit code; its prefixes select the packs.
            held_on: the session's date: packs and values in force on it apply.
            pack: a pack to apply whatever the village code, with its ancestors.

        Raises:
            PackError: the chain cannot be used (see :meth:`lineage`, :meth:`check`);
                a forced pack or one of its ancestors is not in force on ``held_on``.
            PackConflict: two packs claim the village on that date.
        """
        chosen = self.packs.get(pack) if pack else self.governing(village_code, held_on)
        if chosen is None:
            raise self._no_pack(pack)
        # The same chain for every session of a pack and date, so that what the chain
        # resolves (rules, parameters, the engine's compiled rules) is resolved once:
        # packs and mechanisms never change once the registry holds them.
        key = (chosen.name, held_on)
        found = self._chains.get(key)
        if found is not None:
            return found
        chain = self._resolved_chain(chosen, held_on)
        if len(self._chains) >= CHAINS_KEPT:
            # The oldest first; another thread may have evicted it already.
            with contextlib.suppress(StopIteration, RuntimeError):
                self._chains.pop(next(iter(self._chains)), None)
        self._chains[key] = chain
        return chain

    def _resolved_chain(self, chosen: Pack, held_on: date) -> Chain:
        line = self.lineage(chosen.name)
        for member in line:
            if not member.in_force_on(held_on):
                raise PackError(
                    f"pack {member.name} is not in force on {held_on}",
                    zh=f"规则包 {member.name} 在 {held_on} 不生效",
                )
        chain = Chain(line, held_on)
        self.check(chain)
        return chain

    def check(self, chain: Chain) -> None:
        """Check that every rule of the chain has its mechanism and sound parameters.

        Each parameter must be set by some pack of the chain (unless the mechanism
        declares a default for it), with the kind the mechanism reads, and every
        parameter set must belong to a rule of the chain.
        Then every dated value of every pack is checked for what its mechanism declares
        it means, against the chain's vocabulary (see :mod:`zhiping.packs.checking`).

        Raises:
            PackError: naming the pack and the key that is wrong; for values, every
                problem of the chain, each with its file, key and value.
        """
        if chain.names in self._checked:
            return
        declared: dict[str, ParameterType] = {}
        for rule in chain.rules():
            if rule.disabled is not None:
                self._check_disabled(chain, rule.id, rule.pack)
                continue
            mechanism = self.mechanisms.get(rule.mechanism or "")
            if mechanism is None:
                defining = self.packs[rule.pack]
                raise PackError(
                    f"{defining.label}: rule {rule.id}: unknown mechanism {rule.mechanism!r}",
                    zh=f"{defining.label_zh}:规则 {rule.id} 使用的机制 {rule.mechanism!r} 不存在",
                )
            for name, kind in mechanism.parameters.items():
                declared[f"{rule.id}.{name}"] = kind
        names = " ► ".join(chain.names)
        for pack in chain.packs:
            for name, parameter in pack.parameters.items():
                if name not in declared:
                    if any(r.id == name.rsplit(".", 1)[0] and r.disabled for r in chain.rules()):
                        continue
                    raise PackError(
                        f"{pack.label}: parameter {name} belongs to no rule of the chain {names}",
                        zh=f"{pack.label_zh}:参数 {name} 不属于规则包链 {names} 中的任何规则",
                    )
                if parameter.kind != declared[name].kind:
                    raise PackError(
                        f"{pack.label}: parameter {name} is of kind {parameter.kind}; "
                        f"its mechanism reads kind {declared[name].kind}",
                        zh=f"{pack.label_zh}:参数 {name} 的类型为 {parameter.kind},"
                        f"而其机制读取的类型为 {declared[name].kind}",
                    )
        for name, declaration in declared.items():
            if declaration.default is not None:
                continue  # optional: the mechanism's default applies where no pack sets it
            if not any(name in pack.parameters for pack in chain.packs):
                last = chain.packs[-1]
                raise PackError(
                    f"{last.label}: no pack of the chain {names} sets parameter {name}",
                    zh=f"{last.label_zh}:规则包链 {names} 中没有规则包设定参数 {name}",
                )
        problems = vocabulary_problems(chain) + value_problems(chain, declared, chain.vocabulary)
        if problems:
            raise PackError(
                f"the chain {names} has {len(problems)} bad "
                f"{'value' if len(problems) == 1 else 'values'}:\n"
                + "\n".join(f"  {problem.en}" for problem in problems),
                zh=f"规则包链 {names} 有 {len(problems)} 个取值不当:\n"
                + "\n".join(f"  {problem.zh}" for problem in problems),
            )
        self._checked[chain.names] = None

    def _check_disabled(self, chain: Chain, rule_id: str, pack_name: str) -> None:
        position = chain.names.index(pack_name)
        defined = any(
            rule.id == rule_id and rule.mechanism is not None
            for pack in chain.packs[:position]
            for rule in pack.rules
        )
        if not defined:
            pack, names = self.packs[pack_name], " ► ".join(chain.names)
            raise PackError(
                f"{pack.label}: disables rule {rule_id}, which no pack "
                f"above it in the chain {names} defines",
                zh=f"{pack.label_zh}:停用了规则 {rule_id},但规则包链 {names} 中"
                f"在它之上的规则包都没有定义这条规则",
            )

    def _no_pack(self, name: str | None) -> PackError:
        installed = self.names()
        return PackError(
            f"no pack named {name!r}; installed: {', '.join(installed)}",
            zh=f"没有名为 {name!r} 的规则包;已安装的有:{'、'.join(installed)}",
        )


def discover(
    *, entry_points: bool = True, plugins: Iterable[object] = (), checked: bool = True
) -> PackRegistry:
    """Collect packs and mechanisms from the bundled plugins and installed ones.

    Every plugin's hook implementations are called one by one, so that each pack is
    known by where it comes from; the result does not depend on their order.

    Args:
        entry_points: also load the plugins of installed distributions (group ``zhiping``).
        plugins: further plugin objects or modules to register, e.g. in tests.
        checked: check every pack's chain (see :meth:`PackRegistry.of`).

    Raises:
        PackError: a plugin fails to load, implements an unknown hook or a hook
            wrongly, fails in its hook, or provides a bad pack; the message names it.
    """
    from zhiping.plugins import BUNDLED

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    try:
        for plugin in (*BUNDLED, *plugins):
            manager.register(plugin, name=_plugin_name(plugin))
        if entry_points:
            manager.load_setuptools_entrypoints(hookspecs.PROJECT)
        manager.check_pending()
    except PackError:
        raise
    except (pluggy.PluginValidationError, ImportError, AttributeError, ValueError) as error:
        raise PackError(
            f"a zhiping plugin cannot be loaded: {error}", zh=f"无法加载 zhiping 插件:{error}"
        ) from error
    origins = _origins(manager, BUNDLED)
    packs: list[Pack] = []
    pack_origins: dict[str, str] = {}
    for name, pack in _pack_files(manager, (*BUNDLED, *plugins)):
        packs.append(pack)
        pack_origins.setdefault(pack.name, origins.get(name, name))
    for impl in manager.hook.zhiping_packs.get_hookimpls():
        origin = origins.get(impl.plugin_name, impl.plugin_name)
        for pack in _provided(impl, Pack, origin, "zhiping_packs"):
            packs.append(pack)
            pack_origins.setdefault(pack.name, origin)
    mechanisms = [
        mechanism
        for impl in manager.hook.zhiping_mechanisms.get_hookimpls()
        for mechanism in _provided(
            impl, Mechanism, origins.get(impl.plugin_name, impl.plugin_name), "zhiping_mechanisms"
        )
    ]
    return PackRegistry.of(packs, mechanisms, pack_origins, checked=checked)


PACK_FILE = "pack.toml"
"""The file a data-only plugin package holds: its pack, read without any code of its own."""


def _pack_files(manager: pluggy.PluginManager, given: Iterable[object]) -> list[tuple[str, Pack]]:
    """Return the packs of data-only plugins, with each plugin's name.

    An installed distribution whose entry point names a package that implements no
    hook (a package of data files, with no ``__init__.py``) provides the ``pack.toml``
    it holds: a town's pack needs no Python at all.

    Raises:
        PackError: such a package holds no ``pack.toml``, or a bad one.
    """
    found = []
    for plugin in manager.get_plugins():
        if plugin in given or not isinstance(plugin, ModuleType):
            continue
        if manager.get_hookcallers(plugin):
            continue
        name = manager.get_name(plugin) or plugin.__name__
        resource = files(plugin) / PACK_FILE
        if not resource.is_file():
            raise PackError(
                f"plugin {name} ({plugin.__name__}) implements no hook and holds no {PACK_FILE}",
                zh=f"插件 {name}({plugin.__name__})既没有实现钩子,也没有 {PACK_FILE}",
            )
        found.append((name, load_pack(resource)))
    return found


def _origins(manager: pluggy.PluginManager, bundled: Iterable[object]) -> dict[str, str]:
    origins = {manager.get_name(plugin) or "": "bundled" for plugin in bundled}
    for plugin, dist in manager.list_plugin_distinfo():
        origins[manager.get_name(plugin) or ""] = f"{dist.project_name} {dist.version}"
    return origins


T = TypeVar("T")


def _provided(impl: pluggy.HookImpl, kind: type[T], origin: str, hook: str) -> list[T]:
    try:
        result = impl.function()
    except PackError:
        raise
    except Exception as error:  # a plugin's own fault, named as such
        raise PackError(
            f"plugin {origin}: its {hook} hook failed: {error!r}",
            zh=f"插件 {origin}:其 {hook} 钩子出错:{error!r}",
        ) from error
    if not isinstance(result, Iterable) or isinstance(result, str | bytes):
        raise PackError(
            f"plugin {origin}: its {hook} hook returned {result!r}, not a list",
            zh=f"插件 {origin}:其 {hook} 钩子返回了 {result!r},而不是列表",
        )
    items = list(result)
    for item in items:
        if not isinstance(item, kind):
            raise PackError(
                f"plugin {origin}: its {hook} hook returned {item!r}, not a {kind.__name__}",
                zh=f"插件 {origin}:其 {hook} 钩子返回了 {item!r},而不是 {kind.__name__}",
            )
    return items


def _plugin_name(plugin: object) -> str | None:
    return plugin.__name__ if isinstance(plugin, ModuleType) else None


@functools.cache
def default_registry() -> PackRegistry:
    """Return the registry of bundled and installed plugins, discovered once per process."""
    return discover()
