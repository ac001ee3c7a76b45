"""Trainer arguments built as a dict before the call (table A): `kwargs = dict(gpus=1, ...)` or
`kwargs = {"gpus": 1, ...}` in the same function (or at module level), later unpacked as `Trainer(**kwargs)`.

Such a dict is rewritten like the call's own arguments when every write to the name in that scope is a dict
literal the trainer-args rule translates without a review note, and the result repeats no keyword the call
passes itself. Otherwise the call keeps its review note. The decision is made at the call (a dry run of the
translation); the assignments, which come before the call, are rewritten when the walk leaves their scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import libcst as cst

from ..cstutil import FastTransformer, code, keyword
from ..values import literal_value


@dataclass
class DictWrites:
    """The writes to one name in one scope (original nodes, source order)."""

    literals: list[cst.BaseExpression] = field(default_factory=list)  # dict(...) / {...} values assigned
    lists: int = 0  # [...] list displays assigned
    other: bool = False  # any other write: a non-literal assignment, item assignment, update(), |=, del

    @property
    def only_dicts(self) -> bool:
        return bool(self.literals) and not self.lists and not self.other

    @property
    def only_lists(self) -> bool:
        return bool(self.lists) and not self.literals and not self.other


class Scope:
    """A function body or the module: which names it binds to dict literals, scanned once when first asked."""

    def __init__(self, node: cst.CSTNode) -> None:
        self.node = node
        self._writes: dict[str, DictWrites] | None = None
        # name -> (the Trainer call (original) that unpacks it, whether the dict gets the 1.x default device,
        # the statement of the call)
        self.followed: dict[str, tuple[cst.Call, bool, cst.CSTNode]] = {}

    def writes(self, name: str) -> DictWrites | None:
        """The writes to `name` here, None when this scope never binds it."""
        if self._writes is None:
            self._writes = {}
            body = self.node.body.body if isinstance(self.node, cst.FunctionDef) else self.node.body
            for small in _small_statements(body):
                _record(small, self._writes)
        return self._writes.get(name)


def _small_statements(body: Any) -> Iterator[cst.BaseSmallStatement]:
    """The small statements of a block and its nested blocks (not of nested functions or classes)."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(stmt, cst.BaseCompoundStatement):
            for block in _blocks(stmt):
                yield from _small_statements(block)


def _blocks(stmt: cst.BaseCompoundStatement) -> Iterator[Any]:
    yield getattr(stmt.body, "body", ())
    for handler in getattr(stmt, "handlers", ()):
        yield getattr(handler.body, "body", ())
    orelse = getattr(stmt, "orelse", None)
    if isinstance(orelse, cst.If):
        yield from _blocks(orelse)
    elif orelse is not None:
        yield getattr(orelse.body, "body", ())
    final = getattr(stmt, "finalbody", None)
    if final is not None:
        yield getattr(final.body, "body", ())


def _record(small: cst.BaseSmallStatement, writes: dict[str, DictWrites]) -> None:
    if isinstance(small, (cst.Assign, cst.AnnAssign)):
        targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
        for target in targets:
            if isinstance(target, cst.Name):
                entry = writes.setdefault(target.value, DictWrites())
                if small.value is not None and is_dict_literal(small.value):
                    entry.literals.append(small.value)
                elif isinstance(small.value, cst.List):
                    entry.lists += 1
                else:
                    entry.other = True
            elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                writes.setdefault(target.value.value, DictWrites()).other = True
            elif isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:
                    if isinstance(element.value, cst.Name):
                        writes.setdefault(element.value.value, DictWrites()).other = True
    elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
        entry = writes.setdefault(small.target.value, DictWrites())
        if isinstance(small.operator, cst.AddAssign) and isinstance(small.value, cst.List):
            entry.lists += 1  # `callbacks += [...]` keeps a list a list
        else:
            entry.other = True
    elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and \
                func.attr.value in ("update", "setdefault", "pop", "popitem", "clear", "__setitem__"):
            writes.setdefault(func.value.value, DictWrites()).other = True
    elif isinstance(small, cst.Del):
        for target in ([small.target] if not isinstance(small.target, cst.Tuple) else
                       [e.value for e in small.target.elements]):
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                writes.setdefault(target.value.value, DictWrites()).other = True


def is_dict_literal(node: cst.BaseExpression) -> bool:
    """`dict(a=1, **rest)` or `{"a": 1, **rest}` (string keys): keyword arguments the rule can read."""
    if isinstance(node, cst.Call):
        return isinstance(node.func, cst.Name) and node.func.value == "dict" and \
            all(a.keyword is not None or a.star == "**" for a in node.args)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.StarredDictElement) or
                   (isinstance(e.key, cst.SimpleString) and isinstance(literal_value(e.key), str) and
                    literal_value(e.key).isidentifier()) for e in node.elements)
    return False


def as_arguments(node: cst.BaseExpression) -> list[cst.Arg]:
    """A dict literal's entries as call arguments (`"a": 1` -> `a=1`, `**rest` stays)."""
    if isinstance(node, cst.Call):
        return list(node.args)
    args = []
    for e in node.elements:  # type: ignore[attr-defined]
        if isinstance(e, cst.StarredDictElement):
            args.append(cst.Arg(value=e.value, star="**", comma=e.comma))
        else:
            args.append(cst.Arg(value=e.value, keyword=cst.Name(literal_value(e.key)), comma=e.comma,
                                equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                                      whitespace_after=cst.SimpleWhitespace(""))))
    return args


def from_arguments(node: cst.BaseExpression, args: list[cst.Arg], quote: str) -> cst.BaseExpression:
    """`node` (a dict literal) holding `args` instead, written the way it was (dict(...) or {...})."""
    if isinstance(node, cst.Call):
        return node.with_changes(args=args)
    elements: list[cst.BaseDictElement] = []
    for a in args:
        comma = a.comma if isinstance(a.comma, cst.Comma) else cst.MaybeSentinel.DEFAULT
        if a.star == "**":
            elements.append(cst.StarredDictElement(value=a.value, comma=comma))
        else:
            elements.append(cst.DictElement(key=cst.SimpleString(f"{quote}{keyword(a)}{quote}"), value=a.value,
                                            comma=comma))
    return node.with_changes(elements=elements)


class ApplyToScope(FastTransformer):
    """Rewrites, in the updated scope, the k-th dict literal assigned to each followed name (same order as the
    original's writes; rules never add or drop assignments to user variables)."""

    def __init__(self, rewrite: Any, names: set[str], module_scope: bool) -> None:
        super().__init__()
        # the scope's own function is depth 1; at module scope every function is nested (depth 2)
        self.rewrite, self.names, self.depth = rewrite, names, 1 if module_scope else 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        return updated

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def _value(self, targets: list[cst.BaseExpression], value: cst.BaseExpression | None) -> Any:
        names = [t.value for t in targets if isinstance(t, cst.Name) and t.value in self.names]
        if not names or value is None or not is_dict_literal(value):
            return None
        return self.rewrite(names[0], value)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        new = self._value([t.target for t in updated.targets], updated.value)
        return updated.with_changes(value=new) if new is not None else updated

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign) -> cst.AnnAssign:
        new = self._value([updated.target], updated.value)
        return updated.with_changes(value=new) if new is not None else updated


def shown(node: cst.BaseExpression) -> str:
    """A dict literal on one line, shortened for a report message."""
    text = " ".join(code(node).split())
    return text if len(text) < 60 else text[:57] + "..."
