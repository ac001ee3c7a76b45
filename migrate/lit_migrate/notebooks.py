"""Jupyter notebooks: the code cells are read the way IPython runs them and migrated together, so that an import
in one cell is known in the next; markdown, outputs and metadata are kept.

IPython accepts more than Python, and so does this: a cell indented as a whole is dedented (IPython does the
same), `%magic`, `!shell`, `x = !cmd`, `x = %magic` and `obj?` help lines are held aside while the cell is
parsed and put back as they were, and a cell magic whose body is Python (`%%time`, ...) is migrated below its
first line; any other cell magic (`%%bash`, ...) is left alone. nbformat 4 and nbformat 3 (cells in
`worksheets`, code in `input`) are read. A cell that is not valid even so is reported by cell and line.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .engine import Options, migrate_source, might_need_migration, python_parse
from .report import NOTHING_TO_DO, Change, FileResult

SEPARATOR = "# %%lit-migrate-cell-boundary%%"
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
_MARK = "__lit_migrate_ipython_{}__"
_MARK_LINE = re.compile(r"([ \t]*)(#?)__lit_migrate_ipython_(\d+)__[ \t]*")
_HELP = re.compile(r"(?:\?{1,2}[A-Za-z_*][\w.*]*|[A-Za-z_*][\w.*]*\?{1,2})\s*")
_ASSIGN_MAGIC = re.compile(r"[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


@dataclass
class _Cell:
    number: int  # 1-based, counting every cell of the notebook (as a reader counts them)
    holder: dict[str, Any]  # the cell's JSON object
    key: str  # "source" (nbformat 4) or "input" (nbformat 3)
    text: str
    python: str = ""  # the cell as plain Python, or "" for a cell left alone
    held: list[tuple[str, bool]] = field(default_factory=list)  # held-aside lines: (original, first of its group)


def migrate_notebook(text: str, path: str, options: Options) -> FileResult:
    result = FileResult(path=path, original=text, output=text)
    if not might_need_migration(text):
        result.skipped = NOTHING_TO_DO
        return result
    try:
        notebook = json.loads(text)
        cells, not_python = _code_cells(notebook)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        result.error = f"not a notebook this tool can read, left untouched: {err}"
        return result
    if not_python:
        result.skipped = f"not a Python notebook (kernel language {not_python!r}), left untouched"
        return result
    for cell in cells:
        _to_python(cell)
        tree, problem = python_parse(cell.python)
        if tree is None:
            result.error = f"cell {cell.number}, {problem}; notebook left untouched"
            return result
    joined = f"\n{SEPARATOR}\n".join(c.python for c in cells)
    migrated = migrate_source(joined, path, options)
    starts = _start_lines(cells)
    result.changes, result.notes, result.caveats = (
        [_in_cell(c, starts, cells) for c in entries] for entries in (migrated.changes, migrated.notes, migrated.caveats))
    result.skipped = migrated.skipped
    if migrated.error:
        result.error = migrated.error
        return result
    if migrated.output == joined:
        return result
    parts = migrated.output.split(f"\n{SEPARATOR}\n")
    if len(parts) != len(cells):
        result.error = "internal error: cell boundaries moved during the rewrite, notebook left untouched"
        return result
    for cell, new in zip(cells, parts):
        if new == cell.python:
            continue  # untouched cells keep their exact text (indent included)
        restored = _restore(new, cell.held)
        if restored is None:
            result.error = f"internal error: IPython lines of cell {cell.number} moved, notebook left untouched"
            return result
        source = cell.holder[cell.key]
        cell.holder[cell.key] = _LINE.findall(restored) if isinstance(source, list) else restored
    result.output = json.dumps(notebook, indent=_indent_of(text), ensure_ascii=False) + \
        ("\n" if text.endswith("\n") else "")
    return result


def _code_cells(notebook: dict[str, Any]) -> tuple[list[_Cell], str | None]:
    """The code cells (nbformat 4 or 3), and the kernel language when it is not Python."""
    if not isinstance(notebook, dict):
        raise ValueError("the file is JSON but not a notebook object")
    major = notebook.get("nbformat")
    metadata = notebook.get("metadata") or {}
    if major == 3 or (major is None and "worksheets" in notebook):
        groups = [ws.get("cells", []) for ws in notebook.get("worksheets", [])]
        key, language = "input", metadata.get("language")
    elif major == 4 or (major is None and "cells" in notebook):
        groups = [notebook.get("cells", [])]
        key = "source"
        language = (metadata.get("kernelspec") or {}).get("language") or \
            (metadata.get("language_info") or {}).get("name")
    else:
        raise ValueError(f"nbformat {major!r} is not one this tool knows (3 and 4 are)")
    if isinstance(language, str) and language.lower() not in ("python", "python3", "ipython"):
        return [], language
    cells, number = [], 0
    for group in groups:
        for cell in group:
            number += 1
            if cell.get("cell_type") != "code" or cell.get("language", "python") not in ("python", None):
                continue
            source = cell.get(key, "")
            text = "".join(source) if isinstance(source, list) else source
            if not isinstance(text, str):
                raise TypeError(f"cell {number}: its code is not text")
            cells.append(_Cell(number, cell, key, text))
    return cells, None


def _to_python(cell: _Cell) -> None:
    """Fill `cell.python` and `cell.held`: the cell as IPython would see it, its IPython-only lines held aside
    (each replaced by a marker on the same line, so line numbers stay those of the cell)."""
    lines = cell.text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        cell.python = cell.text
        return
    prefix = re.match(r"[ \t]*", lines[first]).group()  # type: ignore[union-attr]
    if prefix:  # IPython removes the first line's indentation from every line that has it
        lines = [line[len(prefix):] if line.startswith(prefix) else line for line in lines]
    start = first
    if lines[first].startswith("%%"):
        words = lines[first][2:].split()
        if not words or words[0] not in PYTHON_BODY_CELL_MAGICS:
            cell.python = ""  # not Python: left alone
            return
        lines[first] = _hold(cell, lines[first], "", True)
        start = first + 1
    depth, quote, continued = 0, None, False
    i = start
    while i < len(lines):
        line = lines[i]
        if depth == 0 and quote is None and not continued and _is_ipython_line(line):
            pad = line[:len(line) - len(line.lstrip())]
            lines[i] = _hold(cell, line, pad, True)
            while line.rstrip().endswith("\\") and i + 1 < len(lines):  # a magic continued on the next line
                i += 1
                line = lines[i]
                lines[i] = _hold(cell, line, pad + "#", False)
        else:
            depth, quote, continued = _scan(line, depth, quote)
        i += 1
    cell.python = "\n".join(lines)


def _hold(cell: _Cell, line: str, pad: str, first: bool) -> str:
    cell.held.append((line, first))
    return pad + _MARK.format(len(cell.held) - 1)


def _is_ipython_line(line: str) -> bool:
    text = line.strip()
    if not text:
        return False
    if text[0] in "%?" or (text[0] == "!" and not text.startswith("!=")):
        return True
    return bool(_HELP.fullmatch(text) or _ASSIGN_MAGIC.match(text))


def _scan(line: str, depth: int, quote: str | None) -> tuple[int, str | None, bool]:
    """Bracket depth and open triple-quoted string after `line`, and whether it ends with a backslash."""
    i, n = 0, len(line)
    while i < n:
        if quote is not None:
            end = line.find(quote, i)
            while end > 0 and _escaped(line, end):
                end = line.find(quote, end + 1)
            if end < 0:
                return depth, quote, False
            i, quote = end + 3, None
            continue
        c = line[i]
        if c == "#":
            return depth, None, False
        if c in "'\"":
            if line.startswith(c * 3, i):
                quote, i = c * 3, i + 3
                continue
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, quote, quote is None and line.endswith("\\")


def _escaped(line: str, at: int) -> bool:
    backslashes = 0
    while at - backslashes - 1 >= 0 and line[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _restore(text: str, held: list[tuple[str, bool]]) -> str | None:
    """Put the held-aside lines back (a first line at the marker's indentation); None if any went missing."""
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        match = _MARK_LINE.fullmatch(line)
        if match is None:
            continue
        k = int(match.group(3))
        if k >= len(held):
            return None
        original, first = held[k]
        lines[i] = match.group(1) + original.lstrip() if first else original
        seen += 1
    return "\n".join(lines) if seen == len(held) else None


def _start_lines(cells: list[_Cell]) -> list[int]:
    """The line of the joined source on which each cell starts."""
    starts, line = [], 1
    for cell in cells:
        starts.append(line)
        line += cell.python.count("\n") + 2  # its lines, then the separator line
    return starts


def _in_cell(change: Change, starts: list[int], cells: list[_Cell]) -> Change:
    k = max(0, bisect.bisect_right(starts, change.line) - 1)
    return Change(change.line - starts[k] + 1, change.rule, change.message, cell=cells[k].number)


def _indent_of(text: str) -> int:
    second = text.split("\n", 2)[1:2]
    return (len(second[0]) - len(second[0].lstrip(" ")) or 1) if second else 1
