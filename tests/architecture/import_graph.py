"""The import graph of compat/: which module imports which, its circles and the arrows that point up a layer.

Every import statement counts, also one inside a function (it still ties the two modules together), and so does
``importlib.import_module`` with a literal name; only an ``if TYPE_CHECKING:`` block is left out.
``from pkg import name`` is an arrow to ``pkg.name`` when that is a module, otherwise to ``pkg`` (its ``__init__``).

    python -m tests.architecture.import_graph          # circles and upward arrows; exit 1 if any
    python -m tests.architecture.import_graph --dot    # Graphviz picture of the package-level graph
"""
import argparse
import ast
import sys
from pathlib import Path

COMPAT = Path(__file__).resolve().parents[2] / "compat"

# Bottom to top. A module may import from its own layer and the layers below it, never from one above.
# The longest prefix that matches a module decides its layer.
LAYERS = (
    ("about", ("lightning.__about__",)),
    ("fabric", ("lightning.fabric",)),
    # leaves that every layer of the trainer reads; their public path is under trainer/ or loops/
    ("utilities", ("lightning.pytorch.utilities", "lightning.pytorch.overrides", "lightning.pytorch.trainer.states",
                   "lightning.pytorch.trainer.results", "lightning.pytorch.loops.rng")),
    # _extensions: the named points where 1.x support plugs into 2.x code (the package itself is at the top)
    ("core", ("lightning.pytorch.core", "lightning.pytorch.trainer.data", "lightning.pytorch._extensions")),
    ("plugins", ("lightning.pytorch.accelerators", "lightning.pytorch.plugins", "lightning.pytorch.strategies",
                 "lightning.pytorch._graveyard")),
    ("callbacks", ("lightning.pytorch.callbacks", "lightning.pytorch.loggers", "lightning.pytorch.profilers",
                   "lightning.pytorch.tuner._trial", "lightning.pytorch.tuner.lr_finder",
                   "lightning.pytorch.tuner.batch_size_scaling")),
    ("loops", ("lightning.pytorch.loops",)),
    ("trainer", ("lightning.pytorch.trainer",)),
    ("tools", ("lightning.pytorch.tuner", "lightning.pytorch.cli", "lightning.pytorch.demos")),
    ("api", ("lightning.pytorch", "lightning")),
    ("legacy", ("lightning.pytorch._legacy", "pytorch_lightning")),
)

# The arrows up a layer that are needed and allowed, each with its reason: (importer, imported module or package).
ALLOWED_UP = {
    ("lightning.pytorch._extensions", "lightning.pytorch._legacy"):
        "the named extension points: the one door from 2.x code into 1.x support, imported inside the function that "
        "needs it (docs/legacy.md; tests/architecture/test_legacy_boundary.py)",
    ("lightning.pytorch.utilities.migration.migration", "lightning.pytorch.callbacks.early_stopping"):
        "a 0.9 checkpoint's top-level callback keys become states keyed by the callback classes, as 2.6.6 does",
    ("lightning.pytorch.utilities.migration.migration", "lightning.pytorch.callbacks.model_checkpoint"):
        "same step as above",
}


def _allowed_up(src: str, dst: str) -> bool:
    return any(src == importer and (dst == imported or dst.startswith(imported + "."))
               for importer, imported in ALLOWED_UP)


def module_names(root: Path = COMPAT) -> dict:
    """Dotted module name -> file, for every .py file under ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Yield (module name, None) for ``import a.b`` and literal ``import_module``, (the ImportFrom node, its names)
    for ``from ... import``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            yield node, [alias.name for alias in node.names]
        elif _literal_import(node):
            yield node.args[0].value, None
        if isinstance(node, ast.If) and _is_type_checking(node):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def _literal_import(node: ast.AST) -> bool:
    """``importlib.import_module("a.b")`` or ``__import__("a.b")`` with a literal name: an import like any other."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)):
        return False
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in ("import_module", "__import__"))


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def build_graph(root: Path = COMPAT) -> dict:
    """Module -> set of compat modules it imports."""
    names = module_names(root)
    graph = {}
    for module, path in names.items():
        targets = set()
        for imported, fromlist in _imports(ast.parse(path.read_text(), str(path))):
            if fromlist is None:
                candidates = [imported]
            else:
                base = _resolve(module, path.name == "__init__.py", imported)
                candidates = [f"{base}.{name}" if f"{base}.{name}" in names else base for name in fromlist]
            for target in candidates:
                while target and target not in names:  # `import a.b.c` where c is a name, not a module
                    target = target.rpartition(".")[0]
                if target and target != module:
                    targets.add(target)
        graph[module] = targets
    return graph


def strongly_connected(graph: dict) -> list:
    """The circles of ``graph``: its strongly connected components with more than one module, biggest first."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found, key=lambda c: (-len(c), c))


def _match(module: str) -> tuple:
    """(layer rank, the LAYERS prefix that placed it): the longest matching prefix wins."""
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (rank, prefix)
    if best is None:
        raise ValueError(f"{module} belongs to no layer; add its package to LAYERS in {__file__}")
    return best


def layer_of(module: str) -> int:
    return _match(module)[0]


def upward_arrows(graph: dict) -> list:
    """(importer, imported) pairs where the imported module sits in a higher layer than its importer (less those
    in ALLOWED_UP)."""
    return sorted((src, dst) for src, targets in graph.items() for dst in targets
                  if layer_of(dst) > layer_of(src) and not _allowed_up(src, dst))


def _box(module: str) -> str:
    """The picture's box of a module: its package, or the module itself where LAYERS places it on its own."""
    parts = module.split(".")
    package = ".".join(parts[:3] if parts[0] == "lightning" else parts[:2])
    prefix = _match(module)[1]
    return prefix if len(prefix) > len(package) else package


def to_dot(graph: dict) -> str:
    """Package-level picture: one box per package, grouped by layer; a red edge holds an arrow up a layer."""
    up = set(upward_arrows(graph))
    edges: dict = {}
    for src, targets in graph.items():
        for dst in targets:
            if _box(src) != _box(dst):
                edges[_box(src), _box(dst)] = edges.get((_box(src), _box(dst)), False) or (src, dst) in up
    boxes = sorted({_box(m) for m in graph})
    lines = ["digraph compat {", "  rankdir=BT; node [shape=box, fontsize=10];"]
    for rank, (name, _) in enumerate(LAYERS):
        members = [box for box in boxes if layer_of(box) == rank]
        if members:
            lines.append(f'  subgraph cluster_{rank} {{ label="{rank} {name}"; ' +
                         " ".join(f'"{box}";' for box in members) + " }")
    for (src, dst), is_up in sorted(edges.items()):
        lines.append(f'  "{src}" -> "{dst}"{" [color=red, penwidth=2]" if is_up else ""};')
    lines.append("}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dot", action="store_true", help="print a Graphviz picture instead of the report")
    args = parser.parse_args(argv)
    graph = build_graph()
    if args.dot:
        print(to_dot(graph))
        return 0
    circles, arrows = strongly_connected(graph), upward_arrows(graph)
    print(f"{len(graph)} modules, {sum(map(len, graph.values()))} import arrows")
    for circle in circles:
        print(f"circle of {len(circle)}: " + " ".join(circle))
    for src, dst in arrows:
        print(f"up: {src} ({LAYERS[layer_of(src)][0]}) -> {dst} ({LAYERS[layer_of(dst)][0]})")
    return 1 if any(len(c) > 2 for c in circles) or arrows else 0


if __name__ == "__main__":
    sys.exit(main())
