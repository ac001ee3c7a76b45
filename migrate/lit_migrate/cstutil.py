"""Small libcst helpers shared by the rules: argument lists that keep their formatting, keyword args, parsing."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import libcst as cst

_DEFAULT_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None


def find_kwarg(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if keyword(arg) == name:
            return arg
    return None


def make_kwarg(name: str, value: cst.BaseExpression, like: cst.Arg | None = None) -> cst.Arg:
    """`name=value`, spaced like the keyword argument `like` when there is one."""
    equal = like.equal if like is not None and like.keyword is not None else cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    return cst.Arg(value=value, keyword=cst.Name(name), equal=equal)


def with_args(original: Sequence[cst.Arg], new: Sequence[cst.Arg]) -> list[cst.Arg]:
    """`new` as an argument list that keeps the separators of `original` (one-line or one-per-line style).

    Arguments that were followed by a comma keep it; new or moved arguments get the first separator of the
    original list; the last argument gets whatever the original last argument had (a trailing comma or none).
    """
    original = list(original)
    template = next((a.comma for a in original[:-1] if isinstance(a.comma, cst.Comma)), _DEFAULT_COMMA)
    last_comma = original[-1].comma if original else cst.MaybeSentinel.DEFAULT
    middle_ids = {id(a) for a in original[:-1]}
    out = []
    for i, arg in enumerate(new):
        if i == len(new) - 1:
            out.append(arg.with_changes(comma=last_comma))
        elif id(arg) in middle_ids and isinstance(arg.comma, cst.Comma):
            out.append(arg)
        else:
            out.append(arg.with_changes(comma=template))
    return out


def set_args(call: cst.Call, new: Sequence[cst.Arg]) -> cst.Call:
    return call.with_changes(args=with_args(call.args, new))


# Parsed snippets by source. Nodes are immutable, so one parse can go into any number of trees; the same few
# snippets (`accelerator="cpu"`, `self.training_step_outputs = []`) come back file after file, and each parser
# call costs about as much as a tenth of a small module's parse.
_SNIPPETS: dict[tuple[str, ...], Any] = {}
_SNIPPETS_MAX = 2048


def _cached(key: tuple[str, ...], parse: Callable[[], Any]) -> Any:
    found = _SNIPPETS.get(key)
    if found is None:
        if len(_SNIPPETS) >= _SNIPPETS_MAX:
            _SNIPPETS.clear()
        found = _SNIPPETS[key] = parse()
    return found


def expr(source: str) -> cst.BaseExpression:
    return _cached(("expr", source), lambda: cst.parse_expression(source))


def statements(sources: Sequence[str]) -> list[cst.BaseStatement]:
    """Parse several one-line statements with one parser call (the per-call cost dominates for snippets)."""
    if not sources:
        return []
    body = _cached(("stmts", *sources), lambda: tuple(cst.parse_module("\n".join(sources) + "\n").body))
    if len(body) != len(sources):
        raise ValueError(f"expected {len(sources)} statements, parsed {len(body)}")
    return list(body)


def dotted_expr(path: str) -> cst.BaseExpression:
    """`a.b.c` as a Name/Attribute chain."""
    parts = path.split(".")
    node: cst.BaseExpression = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def is_simple_reference(node: cst.BaseExpression) -> bool:
    """A side-effect-free expression that is cheap to repeat (`x`, `args.gpus`, `cfg["gpus"]`)."""
    if isinstance(node, cst.Name):
        return True
    if isinstance(node, cst.Attribute):
        return is_simple_reference(node.value)
    if isinstance(node, cst.Subscript):
        return is_simple_reference(node.value) and all(
            isinstance(s.slice, cst.Index) and isinstance(s.slice.value, (cst.SimpleString, cst.Integer))
            for s in node.slice)
    return False


def self_method_call(node: cst.BaseExpression, method: str) -> bool:
    """Whether `node` is `self.<method>(...)`."""
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name) and node.func.value.value == "self"
            and node.func.attr.value == method)


class FastTransformer(cst.CSTTransformer):
    """A transformer without libcst's per-field hook lookups (none of ours uses visit_<Node>_<field>)."""

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None


class FastVisitor(cst.CSTVisitor):
    """A read-only visitor without the per-field hook lookups."""

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None
