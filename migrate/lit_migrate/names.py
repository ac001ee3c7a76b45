"""What the names of one file refer to: import bindings, and dotted qualified names of expressions.

Bindings are recorded in document order during the single tree walk, so a use after its import resolves.
Qualified names of the legacy namespace are canonicalised to their 2.x home (via the legacy-facts table), so a
rule asks "is this `lightning.pytorch.Trainer`?" once, whatever spelling or alias the user wrote.
"""

from __future__ import annotations

import libcst as cst

from . import legacy_facts as facts

# `lightning.X` names that live in `lightning.pytorch` (`import lightning as L; L.Trainer`).
_LIGHTNING_TOP = frozenset({"Trainer", "LightningModule", "LightningDataModule", "Callback", "seed_everything"})


def dotted(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        left = dotted(node.value)
        return None if left is None else f"{left}.{node.attr.value}"
    return None


def import_module_name(node: cst.BaseExpression | None) -> str:
    return dotted(node) if node is not None else ""  # type: ignore[return-value]


class Bindings:
    """Local name -> the dotted path it was imported as (`pl` -> `pytorch_lightning`)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def record_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.names[alias.asname.name.value] = full
            else:
                root = full.split(".")[0]
                self.names[root] = root

    def record_import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or isinstance(node.names, cst.ImportStar):
            return
        module = import_module_name(node.module)
        for alias in node.names:
            name = dotted(alias.name) or ""
            local = alias.asname.name.value if alias.asname is not None and isinstance(
                alias.asname.name, cst.Name) else name
            self.names[local] = f"{module}.{name}"

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """The dotted path an expression refers to through the imports seen so far, else None."""
        path = dotted(node)
        if path is None:
            return None
        head, _, rest = path.partition(".")
        bound = self.names.get(head)
        if bound is None:
            return None
        return f"{bound}.{rest}" if rest else bound

    def mentions_lightning(self) -> bool:
        return any(is_lightning_path(v) for v in self.names.values())


def is_lightning_path(path: str) -> bool:
    return path.split(".")[0] in ("pytorch_lightning", "lightning")


def canonical(path: str | None) -> str | None:
    """The 2.x path of a qualified name (legacy paths mapped through D.1; `lightning.Trainer` -> `lightning.pytorch`)."""
    if path is None:
        return None
    if facts.is_legacy_path(path):
        return facts.resolve_import(path).new
    parts = path.split(".")
    if parts[0] == "lightning" and len(parts) == 2 and parts[1] in _LIGHTNING_TOP:
        return f"{facts.NEW_ROOT}.{parts[1]}"
    return path


def is_class(path: str | None, name: str) -> bool:
    """Whether a canonical path names the Lightning class `name` (any of its public module paths)."""
    return path is not None and path.startswith(facts.NEW_ROOT + ".") and path.rsplit(".", 1)[-1] == name
