"""The import machinery that makes ``pytorch_lightning.*`` the same module tree as ``lightning.pytorch.*``.

One meta path finder answers every ``pytorch_lightning.<path>`` import, in this order:

1. a file of this package (the 1.x-only modules of migration-table section D, e.g. ``core/decorators.py``);
2. an *overlay* when 1.x spelled something under this path that 2.x moved or renamed (a module move in
   ``legacy_facts.MODULE_MOVES`` such as ``core.lightning``, or a name move in ``legacy_facts.NAME_MOVES`` such as
   ``callbacks.ProgressBar``): a thin module whose attributes resolve, on access, to the very objects of
   ``lightning.pytorch`` (so ``isinstance`` and identity always agree), warning once with the 2.x spelling;
3. otherwise the ``lightning.pytorch`` module itself, registered under the old name (a pure alias: the same module
   object, not a copy).

Nothing is imported until it is asked for, so ``import pytorch_lightning`` stays cheap.
"""
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
from typing import Any, Optional

from lit_migrate import legacy_facts as facts

OLD = facts.OLD_ROOT  # "pytorch_lightning"
NEW = facts.NEW_ROOT  # "lightning.pytorch"
_HERE = os.path.dirname(os.path.abspath(__file__))

# Modules that hold at least one moved 1.x name (their attribute access goes through the table).
_NAME_MOVE_PARENTS = frozenset(key.rsplit(".", 1)[0] for key in facts.NAME_MOVES)
# Every package on the way to a row of the table (so that e.g. `pytorch_lightning.overrides.fairscale` can answer
# with its advice although `lightning.pytorch.overrides` does not exist).
_TABLE_PREFIXES = frozenset(
    ".".join(key.split(".")[:cut]) for key in (*facts.NAME_MOVES, *facts.MODULE_MOVES)
    for cut in range(2, key.count(".") + 1)
)


def strict_mode() -> bool:
    return os.environ.get("LIGHTNING_COMPAT_STRICT", "0").lower() not in ("", "0", "false", "no")


def legacy_usage(*args: Any, **kwargs: Any) -> None:
    # imported on first use: `lightning.pytorch` pulls in torch, which `import pytorch_lightning` alone must not
    from lightning.pytorch._legacy.usage import legacy_usage as report

    report(*args, **kwargs)


def swap_root(dotted: str) -> str:
    """``pytorch_lightning.x.y`` -> ``lightning.pytorch.x.y`` (no table lookup)."""
    return NEW + dotted[len(OLD):]


def _own_file(fullname: str) -> Optional[tuple]:
    """(path, is_package) of a module this package ships for ``fullname``, if any."""
    rel = os.path.join(_HERE, *fullname.split(".")[1:])
    if os.path.isfile(os.path.join(rel, "__init__.py")):
        return os.path.join(rel, "__init__.py"), True
    if os.path.isfile(rel + ".py"):
        return rel + ".py", False
    return None


def _own_dir(fullname: str) -> bool:
    """Whether this package ships 1.x-only modules under ``fullname`` (so it must not alias the 2.x package, which
    would receive them as attributes)."""
    return os.path.isdir(os.path.join(_HERE, *fullname.split(".")[1:]))


def _module_move(fullname: str) -> Optional[facts.ImportMove]:
    """The table's module move that covers ``fullname`` (exact or by prefix), if any."""
    parts = fullname.split(".")
    for cut in range(len(parts), 1, -1):
        move = facts.MODULE_MOVES.get(".".join(parts[:cut]))
        if move is not None:
            return move
    return None


def _find_module(dotted: str) -> Optional[types.ModuleType]:
    """Import ``dotted`` if it exists; None when it (or a parent) does not."""
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as err:
        if err.name and (dotted == err.name or dotted.startswith(err.name + ".")):
            return None
        raise


def resolve_dotted(dotted: str) -> Any:
    """The object at a dotted path that may end in a module or in an attribute of one."""
    module = _find_module(dotted)
    if module is not None:
        return module
    head, _, name = dotted.rpartition(".")
    owner = _find_module(head) if head else None
    if owner is None or not hasattr(owner, name):
        raise ImportError(f"cannot find `{dotted}`")
    return getattr(owner, name)


class LegacyOverlay(types.ModuleType):
    """A 1.x module path whose names live elsewhere in 2.x; attribute access resolves them through the table."""

    def __init__(self, name: str, targets: list) -> None:
        super().__init__(name)
        self.__targets = targets  # 2.x module paths searched for plain names, in order
        self.__path__: list = []  # a package: its children are found by the finder, by full name

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        old = f"{self.__name__}.{name}"
        move = facts.NAME_MOVES.get(old)
        if move is not None:
            return _moved_name(old, move)
        for target in self.__targets:
            module = _find_module(target)
            if module is not None and hasattr(module, name):
                return getattr(module, name)
        try:
            return importlib.import_module(old)
        except ModuleNotFoundError:
            pass
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __dir__(self) -> list:
        names = set(super().__dir__())
        for target in self.__targets:
            module = _find_module(target)
            if module is not None:
                names.update(n for n in dir(module) if not n.startswith("_"))
        prefix = self.__name__ + "."
        names.update(k[len(prefix):] for k in facts.NAME_MOVES if k.startswith(prefix) and "." not in k[len(prefix):])
        return sorted(names)


def _moved_name(old: str, move: facts.ImportMove) -> Any:
    """A name that 1.x had at ``old``: the 2.x object it became, or an error that says what replaced it."""
    swapped = swap_root(old)
    if strict_mode():
        try:  # real 2.x: the name still exists under its 2.x meaning (ProgressBar is now the base class; the
            return resolve_dotted(swapped)  # removed TPU/HPU classes 2.6.6 keeps as deprecated or raising stubs)
        except ImportError:
            pass
    if move.new is None:
        raise AttributeError(f"`{old}` was removed from Lightning: {move.advice} (run `lit-migrate` to rewrite it).")
    note = f" ({move.review})" if move.review else ""
    legacy_usage(f"`{old}` is a 1.x name; in Lightning 2.x it is `{move.new}`{note}.", error=AttributeError,
                 stacklevel=5)
    try:
        return resolve_dotted(move.new)
    except ImportError:
        return resolve_dotted(swapped)  # the table names a package we do not ship; ours keeps it at the same path


class _AliasLoader(importlib.abc.Loader):
    """Loads a ``pytorch_lightning.*`` name as an existing module object (alias) or as a fresh overlay.

    ``target`` is the 2.x module an alias stands for: ``python -m pytorch_lightning.x`` (runpy) asks the loader for
    code to run as ``__main__``, and gets the 2.x module's."""

    def __init__(self, make: Any, target: Optional[str] = None) -> None:
        self._make = make
        self._target = target
        self._own_spec: Any = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = self._make()
        self._own_spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        # importlib has just set module.__spec__ to the alias spec; an alias is the 2.x module itself, which keeps its
        # own spec (else find_spec("lightning.pytorch.x") would answer with this loader)
        if self._own_spec is not None and module.__name__ != module.__spec__.name:
            module.__spec__ = self._own_spec

    def get_code(self, fullname: str) -> Any:
        target = importlib.util.find_spec(self._target) if self._target else None
        get_code = getattr(target.loader, "get_code", None) if target is not None else None
        if get_code is None:
            raise ImportError(f"`{fullname}` has no code to run as a script here; run the Lightning 2.x module "
                              f"instead{f' (python -m {self._target})' if self._target else ''}.")
        return get_code(self._target)

    def is_package(self, fullname: str) -> bool:
        target = importlib.util.find_spec(self._target) if self._target else None
        return target is not None and target.submodule_search_locations is not None


class LegacyFinder(importlib.abc.MetaPathFinder):
    """Answers ``pytorch_lightning.*`` imports (see the module docstring)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Optional[importlib.machinery.ModuleSpec]:
        if not fullname.startswith(OLD + "."):
            return None
        own = _own_file(fullname)
        if own is not None:
            file, is_package = own
            locations = [os.path.dirname(file)] if is_package else None
            return importlib.util.spec_from_file_location(fullname, file, submodule_search_locations=locations)
        move = _module_move(fullname)
        if move is not None:
            return self._moved_module_spec(fullname, move)
        new = swap_root(fullname)
        legacy_parent = fullname in _NAME_MOVE_PARENTS or fullname in _TABLE_PREFIXES
        if legacy_parent or _own_dir(fullname):  # holds 1.x names or 1.x-only modules
            if strict_mode() and importlib.util.find_spec(new) is None:
                raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
            return self._overlay_spec(fullname, [new])
        return _alias_spec(fullname, new)

    def _moved_module_spec(self, fullname: str, move: facts.ImportMove) -> importlib.machinery.ModuleSpec:
        resolved = facts.resolve_import(fullname)
        swapped = swap_root(fullname)
        if strict_mode():  # real 2.x has only the 2.x module at this path, if any
            spec = _alias_spec(fullname, swapped)
            if spec is None:
                raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
            return spec
        if resolved.new is None:
            raise ModuleNotFoundError(
                f"`{fullname}` was removed from Lightning: {resolved.advice} (run `lit-migrate` to rewrite it).",
                name=fullname,
            )
        legacy_usage(f"`{fullname}` is a 1.x module; in Lightning 2.x it is `{resolved.new}`.",
                     error=ModuleNotFoundError, stacklevel=6)
        return self._overlay_spec(fullname, [resolved.new, swapped])

    @staticmethod
    def _overlay_spec(fullname: str, targets: list) -> importlib.machinery.ModuleSpec:
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(lambda: LegacyOverlay(fullname, targets)),
                                              is_package=True)


def _alias_spec(fullname: str, new: str) -> Optional[importlib.machinery.ModuleSpec]:
    """A spec that loads the existing module ``new`` under the name ``fullname`` (None when ``new`` is missing)."""
    target = importlib.util.find_spec(new)
    if target is None:
        return None
    # origin: the 2.x file (what runpy puts in sys.argv[0] for `python -m pytorch_lightning.x`)
    return importlib.machinery.ModuleSpec(fullname, _AliasLoader(lambda: importlib.import_module(new), new),
                                          origin=target.origin,
                                          is_package=target.submodule_search_locations is not None)


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, LegacyFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, LegacyFinder())
