"""1.x support is one package, ``lightning.pytorch._legacy``, that the 2.x code reaches only through the named
extension points of ``lightning.pytorch._extensions`` (docs/legacy.md, "Where 1.x support lives"); and no
``lightning.*`` module imports ``pytorch_lightning.*`` (the 1.x namespace sits on top of ``lightning``, never under).

An AST walk over compat/lightning: every import statement counts, also one inside a function or an
``if TYPE_CHECKING:`` block, and so does ``importlib.import_module`` / ``__import__`` with a literal module name.
"""
import ast
from pathlib import Path
from typing import Iterator, Optional

import pytest

COMPAT = Path(__file__).resolve().parents[2] / "compat"
LEGACY = "lightning.pytorch._legacy"
# The 2.x modules allowed to import the legacy package: the extension points, and the package itself.
EXTENSION_POINTS = ("lightning.pytorch._extensions",)
ONE_X_NAMESPACE = "pytorch_lightning"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(COMPAT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _literal_import(node: ast.Call) -> Optional[str]:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def imported_modules(source: str, module: str, is_package: bool = False) -> Iterator[tuple]:
    """(line, dotted name) of everything ``source`` imports; ``from a import b`` yields ``a.b`` too, since ``b`` may
    be a module (``from lightning.pytorch import _legacy``)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, module, is_package)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"
        elif isinstance(node, ast.Call):
            name = _literal_import(node)
            if name is not None:
                yield node.lineno, name


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(source: str, module: str, is_package: bool = False) -> list:
    """What ``module`` (a ``lightning.*`` module with this ``source``) must not import."""
    may_import_legacy = _within(module, LEGACY) or module in EXTENSION_POINTS
    found = []
    for line, name in imported_modules(source, module, is_package):
        if _within(name, ONE_X_NAMESPACE):
            found.append(f"{module}:{line} imports {name} (lightning.* never imports the 1.x namespace)")
        elif _within(name, LEGACY) and not may_import_legacy:
            found.append(f"{module}:{line} imports {name}: use lightning.pytorch._extensions instead")
    return sorted(set(found))


def lightning_modules() -> list:
    return sorted((COMPAT / "lightning").rglob("*.py"))


def test_the_walk_sees_the_whole_tree():
    names = {module_name(path) for path in lightning_modules()}
    assert {"lightning.pytorch.trainer.trainer", "lightning.pytorch.core.module", *EXTENSION_POINTS,
            LEGACY, f"{LEGACY}.hooks"} <= names


def test_2x_code_reaches_the_legacy_package_only_through_the_extension_points():
    found = []
    for path in lightning_modules():
        found += violations(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert found == []


def test_the_extension_points_are_the_only_2x_importers_of_the_legacy_package():
    """The allow-list stays honest: every extension point does import the legacy package."""
    for point in EXTENSION_POINTS:
        path = COMPAT.joinpath(*point.split(".")).with_suffix(".py")
        names = [name for _, name in imported_modules(path.read_text(encoding="utf-8"), point)]
        assert any(_within(name, LEGACY) for name in names), point


def extension_names_used(source: str) -> Iterator[tuple]:
    """(line, name) of each ``_extensions.<name>`` / ``from lightning.pytorch._extensions import <name>``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "_extensions":
            yield node.lineno, node.attr
        elif isinstance(node, ast.ImportFrom) and node.module == EXTENSION_POINTS[0]:
            yield from ((node.lineno, alias.name) for alias in node.names)


def test_2x_code_uses_only_the_declared_extension_points():
    """The points are the names in ``_extensions.__all__`` (docs/legacy.md lists each): nothing private of it."""
    from lightning.pytorch import _extensions

    declared = set(_extensions.__all__)
    assert declared <= set(vars(_extensions))
    found = []
    for path in lightning_modules():
        module = module_name(path)
        if module in EXTENSION_POINTS or _within(module, LEGACY):
            continue
        found += [f"{module}:{line} uses _extensions.{name}" for line, name in
                  extension_names_used(path.read_text(encoding="utf-8")) if name not in declared]
    assert found == []
    assert [name for _, name in extension_names_used("from lightning.pytorch import _extensions\n"
                                                     "_extensions._private()")] == ["_private"]


def test_docs_list_every_extension_point():
    from lightning.pytorch import _extensions

    doc = (COMPAT.parent / "docs" / "legacy.md").read_text(encoding="utf-8")
    assert [name for name in _extensions.__all__ if f"`{name}" not in doc] == []


@pytest.mark.parametrize("source", [
    "from lightning.pytorch._legacy.hooks import written_for_1x",
    "from lightning.pytorch import _legacy",
    "import lightning.pytorch._legacy.usage as usage",
    "def f():\n    from .._legacy import usage\n",
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from lightning.pytorch._legacy import usage\n",
    "import importlib\nimportlib.import_module('lightning.pytorch._legacy.hooks')",
    "__import__('lightning.pytorch._legacy')",
    "import pytorch_lightning",
    "def f():\n    from pytorch_lightning.utilities import argparse\n",
])
def test_an_import_outside_the_extension_points_is_caught(source):
    assert violations(source, "lightning.pytorch.trainer.some_module") != []


def test_the_1x_namespace_is_refused_even_inside_the_legacy_package():
    assert violations("import pytorch_lightning.utilities.argparse", f"{LEGACY}.hooks") != []
    assert violations("from lightning.pytorch._legacy import usage", f"{LEGACY}.hooks") == []
    assert violations("from . import usage", LEGACY, is_package=True) == []


@pytest.mark.parametrize("source", [
    "from lightning.pytorch import _extensions",
    "from lightning.pytorch.trainer import trainer",
    "x = 'pytorch_lightning.utilities.parsing.AttributeDict'",  # a name in a string (checkpoint unpickling)
    "import lightning.pytorch._legacy_free_module",
])
def test_what_is_not_an_import_of_the_legacy_package_passes(source):
    assert violations(source, "lightning.pytorch.trainer.some_module") == []


def test_relative_imports_resolve_against_the_module():
    assert violations("from .._legacy import hooks", "lightning.pytorch.core.module") != []
    assert violations("from . import hooks", "lightning.pytorch.trainer.trainer") == []
    assert violations("from ._legacy import hooks", "lightning.pytorch", is_package=True) != []
