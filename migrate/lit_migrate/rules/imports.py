"""Rule family `imports` (table D): `pytorch_lightning` -> `lightning.pytorch`, moved modules and names, renamed
names at their uses, attribute chains through a module alias (`pl.core.lightning.LightningModule`), and Python
logger names (D.3)."""

from __future__ import annotations

from typing import Any

import libcst as cst

from .. import legacy_facts as facts
from ..cstutil import dotted_expr
from ..engine import Rule, register
from ..names import dotted, import_module_name


@register
class ImportsRule(Rule):
    name = "imports"
    family = "imports"
    summary = "import paths: pytorch_lightning -> lightning.pytorch, moved modules and names (D.1-D.3)"
    order = 10

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.name_renames: dict[str, str] = {}  # local name -> new local name (no alias was given)
        self.root_renames: dict[str, str] = {}  # `import pytorch_lightning` -> references to `lightning.pytorch`
        self.skip_names: set[int] = set()  # Name nodes that are not references (attr, keyword, param, def names)
        self.inner_chain: set[int] = set()

    # -- bookkeeping of Name positions that are not references ---------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.skip_names.add(id(node.attr))
        if isinstance(node.value, cst.Attribute):
            self.inner_chain.add(id(node.value))  # the outermost attribute of a chain rewrites it whole

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.skip_names.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.skip_names.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.skip_names.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.skip_names.add(id(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        for sub in _names_in(node.name):
            self.skip_names.add(id(sub))
        if node.asname is not None:
            self.skip_names.add(id(node.asname.name))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            for sub in _names_in(node.module):
                self.skip_names.add(id(sub))

    # -- import statements ---------------------------------------------------------------------------------------
    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        aliases = []
        changed = False
        for alias in updated.names:
            old = dotted(alias.name) or ""
            if not facts.is_legacy_path(old):
                aliases.append(alias)
                continue
            move = facts.resolve_import(old)
            if move.new is None:
                self.ctx.note(original, self, f"`import {old}`: {move.advice}")
                aliases.append(alias)
                continue
            new = self.ctx.render_path(move.new)
            if move.review:
                self.ctx.note(original, self, f"{old} -> {new}: {move.review}")
            if new == old:
                aliases.append(alias)
                continue
            if alias.asname is None:
                # `import pytorch_lightning.x` binds `pytorch_lightning`; references are rewritten below.
                old_root, new_root = old.split(".")[0], self.ctx.render_path(facts.NEW_ROOT)
                if new.startswith(new_root):
                    self.root_renames[old_root] = new_root
            aliases.append(alias.with_changes(name=dotted_expr(new)))
            self.ctx.change(original, self, f"import {old} -> import {new}")
            changed = True
        return updated.with_changes(names=aliases) if changed else updated

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine) -> Any:
        if not any(isinstance(s, cst.ImportFrom) for s in updated.body):
            return updated
        body: list[cst.BaseSmallStatement] = []
        for small, orig_small in zip(updated.body, original.body):
            if isinstance(small, cst.ImportFrom):
                body.extend(self._import_from(orig_small, small))  # type: ignore[arg-type]
            else:
                body.append(small)
        if len(body) == len(updated.body) and all(a is b for a, b in zip(body, updated.body)):
            return updated
        if len(updated.body) == 1 and len(body) > 1:
            lines = [updated.with_changes(body=[body[0]])]
            lines += [cst.SimpleStatementLine(body=[b]) for b in body[1:]]
            return cst.FlattenSentinel(lines)
        return updated.with_changes(body=[b.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for b in body])

    def _import_from(self, original: cst.ImportFrom, node: cst.ImportFrom) -> list[cst.ImportFrom]:
        if node.relative:
            return [node]
        module = import_module_name(node.module)
        if not facts.is_legacy_path(module):
            return [node]
        if isinstance(node.names, cst.ImportStar):
            move = facts.resolve_import(module)
            if move.new is None:
                self.ctx.note(original, self, f"`from {module} import *`: {move.advice}")
                return [node]
            new = self.ctx.render_path(move.new)
            if new != module:
                self.ctx.change(original, self, f"from {module} import * -> from {new} import *")
                return [node.with_changes(module=dotted_expr(new))]
            return [node]
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias in node.names:
            name = dotted(alias.name) or ""
            old = f"{module}.{name}"
            move = facts.resolve_import(old)
            if move.new is None:
                self.ctx.note(original, self, f"`from {module} import {name}`: {move.advice}")
                groups.setdefault(module, []).append(alias)
                continue
            new_module, _, new_name = self.ctx.render_path(move.new).rpartition(".")
            if move.review:
                self.ctx.note(original, self, f"{old} -> {new_module}.{new_name}: {move.review}")
            if new_name != name:
                if alias.asname is None:
                    self.name_renames[name] = new_name
                alias = alias.with_changes(name=cst.Name(new_name))
            groups.setdefault(new_module, []).append(alias)
        if list(groups) == [module] and all(a is b for a, b in zip(groups[module], node.names)):
            return [node]
        described = ", ".join(f"from {m} import {', '.join(dotted(a.name) or '' for a in g)}"
                              for m, g in groups.items())
        self.ctx.change(original, self, f"from {module} import ... -> {described}")
        if len(groups) == 1:
            (new_module, aliases), = groups.items()
            return [node.with_changes(module=dotted_expr(new_module), names=aliases)]
        out = []
        for new_module, aliases in groups.items():
            fixed = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                     for a in aliases[:-1]] + [aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
            out.append(cst.ImportFrom(module=dotted_expr(new_module), names=fixed))
        return out

    # -- references ------------------------------------------------------------------------------------------------
    def leave_Name(self, original: cst.Name, updated: cst.Name) -> Any:
        if not (self.name_renames or self.root_renames) or id(original) in self.skip_names:
            return updated
        if original.value in self.name_renames:
            return updated.with_changes(value=self.name_renames[original.value])
        if original.value in self.root_renames:
            return dotted_expr(self.root_renames[original.value])
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> Any:
        if id(original) in self.inner_chain:
            return updated
        root = original.value
        while isinstance(root, cst.Attribute):
            root = root.value
        bound = self.ctx.bindings.names.get(root.value) if isinstance(root, cst.Name) else None
        if bound is None or not facts.is_legacy_path(bound):
            return updated  # only chains rooted at a legacy import can move
        qualified = self.ctx.bindings.qualify(original)
        if qualified is None or not facts.is_legacy_path(qualified):
            return updated
        root_local = dotted(original).split(".")[0]  # type: ignore[union-attr]
        root_path = self.ctx.bindings.names[root_local]
        if not facts.is_legacy_path(root_path):
            return updated
        move = facts.resolve_import(qualified)
        if move.new is None:
            self.ctx.note(original, self, f"`{qualified}`: {move.advice}")
            return updated
        plain = facts.resolve_import(root_path).new or root_path
        if move.new == plain + qualified[len(root_path):]:
            return updated  # only the namespace moved; the import (or the root rename) takes care of it
        root_expr = self.root_renames.get(root_local, root_local)
        if move.new.startswith(plain + "."):
            new_expr = f"{root_expr}{move.new[len(plain):]}"
        else:
            module = move.new.rpartition(".")[0] or move.new
            self.ctx.need_module(module)
            new_expr = move.new
        if move.review:
            self.ctx.note(original, self, f"{qualified} -> {move.new}: {move.review}")
        self.ctx.change(original, self, f"{dotted(original)} -> {new_expr}")
        return dotted_expr(self.ctx.render_path(new_expr))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """`logging.getLogger("pytorch_lightning")` -> `"lightning.pytorch"` (D.3)."""
        func = original.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if name != "getLogger" or self.ctx.options.keep_namespace or \
                self.ctx.bindings.qualify(func) != "logging.getLogger":
            return updated
        if not updated.args or not isinstance(updated.args[0].value, cst.SimpleString):
            return updated
        literal = updated.args[0].value
        value = literal.evaluated_value
        if not isinstance(value, str) or not facts.is_legacy_path(value):
            return updated
        new = facts.LOGGER_NAME_MOVES[facts.OLD_ROOT] + value[len(facts.OLD_ROOT):]
        self.ctx.change(original, self, f'logging.getLogger("{value}") -> "{new}"')
        new_literal = literal.with_changes(value=f"{literal.prefix}{literal.quote}{new}{literal.quote}")
        return updated.with_changes(args=[updated.args[0].with_changes(value=new_literal), *updated.args[1:]])


def _names_in(node: cst.CSTNode) -> list[cst.Name]:
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, cst.Attribute):
        return [*_names_in(node.value), node.attr]
    return []
