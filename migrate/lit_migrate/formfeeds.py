"""Form feeds in indentation: valid Python (the column count restarts after one), but libcst drops a form feed
that starts a statement's line, so such a file would not come back byte for byte.

`hold` takes those form feeds out before the parse (keeping what follows the last one, which is the
indentation Python counts) and `put_back` returns them to every line the rewrite left as it was, and to a line
rewritten in place at the same indentation. Lines inside multi-line strings are never touched.
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize
from dataclasses import dataclass

_FF_INDENT = re.compile(r"[ \t\f]*\f")


@dataclass
class HeldFormFeeds:
    text: str  # the source without the form feeds in indentation
    prefixes: dict[int, str]  # line index -> the whitespace up to and including its last form feed

    def put_back(self, output: str) -> str:
        """`output` (a rewrite of `text`) with the form feeds back on the lines it did not change."""
        before = self.text.split("\n")
        after = output.split("\n")
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "insert" or (tag != "equal" and i2 - i1 != j2 - j1):
                continue
            for k in range(i2 - i1):
                prefix = self.prefixes.get(i1 + k)
                old, new = before[i1 + k], after[j1 + k]
                # a rewritten line in place of one that had a form feed keeps it when its indentation is the same
                if prefix is not None and (tag == "equal" or _indent(old) == _indent(new)):
                    after[j1 + k] = prefix + new
        return "\n".join(after)


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t"))]


def hold(source: str) -> HeldFormFeeds | None:
    """The source with form feeds taken out of its indentation, or None when it has none."""
    if "\f" not in source:
        return None
    lines = source.split("\n")
    candidates = [i for i, line in enumerate(lines) if _FF_INDENT.match(line)]
    if not candidates:
        return None
    inside = _lines_inside_strings(source)
    if inside is None:
        return None
    prefixes = {}
    for i in candidates:
        if i + 1 in inside:  # tokenize counts lines from 1
            continue
        match = _FF_INDENT.match(lines[i])
        assert match is not None
        prefixes[i] = match.group()
        lines[i] = lines[i][match.end():]
    return HeldFormFeeds("\n".join(lines), prefixes) if prefixes else None


def _lines_inside_strings(source: str) -> set[int] | None:
    """Lines (1-based) that continue a multi-line string token: their leading whitespace is string content."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.start[0] < token.end[0] and token.type != tokenize.NL:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return None
    return inside
