"""Between source and plain values: read literal arguments, render mapped values back as source.

The legacy-facts table maps plain Python values; `literal_value` and `render_source` are the codemod's side of that contract.
A value that is not a literal is `DYNAMIC`: the codemod then renames, writes a runtime expression, or leaves a
review note, but never guesses a literal.
"""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst

from .legacy_facts import ObjectSpec


class _Dynamic:
    def __repr__(self) -> str:
        return "DYNAMIC"


DYNAMIC: Any = _Dynamic()


def literal_value(node: cst.BaseExpression) -> Any:
    """The plain value of a literal expression (numbers, strings, True/False/None, lists/tuples/dicts of them)."""
    # the common literals are read directly: ast.literal_eval compiles each one
    if isinstance(node, cst.Integer):
        try:
            return int(node.value, 0)
        except ValueError:  # e.g. "00"
            return ast.literal_eval(node.value)
    if isinstance(node, cst.Float):
        return float(node.value.replace("_", ""))
    if isinstance(node, cst.SimpleString):
        prefix = node.prefix.lower()
        if "b" in prefix or "f" in prefix:
            return DYNAMIC
        text = node.value
        if not prefix and "\\" not in text and "\r" not in text:  # (a literal CRLF reads as LF)
            quote = 3 if text[:3] in ('"""', "'''") else 1
            return text[quote:-quote]
        return node.evaluated_value
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        return DYNAMIC if not isinstance(value, str) else value
    if isinstance(node, cst.Name):
        return {"True": True, "False": False, "None": None}.get(node.value, DYNAMIC)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = literal_value(node.expression)
        return -inner if isinstance(inner, (int, float)) and not isinstance(inner, bool) else DYNAMIC
    if isinstance(node, (cst.List, cst.Tuple)):
        items = []
        for element in node.elements:
            if not isinstance(element, cst.Element):
                return DYNAMIC
            value = literal_value(element.value)
            if value is DYNAMIC:
                return DYNAMIC
            items.append(value)
        return items if isinstance(node, cst.List) else tuple(items)
    if isinstance(node, cst.Dict):
        out = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return DYNAMIC
            key, value = literal_value(element.key), literal_value(element.value)
            if key is DYNAMIC or value is DYNAMIC:
                return DYNAMIC
            out[key] = value
        return out
    return DYNAMIC


def render_source(value: Any, quote: str = '"', imports: list[ObjectSpec] | None = None) -> str:
    if isinstance(value, ObjectSpec):
        if imports is not None:
            imports.append(value)
        args = [render_source(a, quote, imports) for a in value.args]
        args += [f"{k}={render_source(v, quote, imports)}" for k, v in value.kwargs]
        return f"{value.name}({', '.join(args)})"
    if isinstance(value, str):
        text = repr(value)
        if quote == '"' and '"' not in value and "\\" not in value:
            text = f'"{value}"'
        return text
    if isinstance(value, list):
        return "[" + ", ".join(render_source(v, quote, imports) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(render_source(v, quote, imports) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_source(k, quote)}: {render_source(v, quote, imports)}"
                               for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"cannot render {value!r} as source")
