"""What a run did, per file: each change and each review note with its line and rule; JSON and a human summary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


NOTHING_TO_DO = "does not mention lightning"  # the routine skip, not worth a report line


@dataclass(frozen=True)
class Change:
    line: int
    rule: str
    message: str
    cell: int | None = None  # notebooks: the cell (1-based, all cells counted); `line` is then within the cell

    def as_dict(self) -> dict[str, Any]:
        where = {"cell": self.cell} if self.cell is not None else {}
        return {**where, "line": self.line, "rule": self.rule, "message": self.message}

    @property
    def where(self) -> str:
        return f"cell {self.cell}, line {self.line}" if self.cell is not None else str(self.line)


@dataclass
class FileResult:
    """The outcome for one file. `output` equals `original` unless something was rewritten."""

    path: str
    original: str = ""
    output: str = ""
    changes: list[Change] = field(default_factory=list)
    notes: list[Change] = field(default_factory=list)  # review notes: a human has to act
    caveats: list[Change] = field(default_factory=list)  # rewritten, but the 2.x semantics differ slightly
    error: str | None = None  # the file could not be handled and was left untouched
    skipped: str | None = None  # nothing to do, for a reason (no Lightning mention, ...)
    written: bool = False
    changed: bool = False  # the rewrite differs from the original (set once the output is final)
    diff: str = ""

    def finish(self) -> "FileResult":
        self.changed = self.error is None and self.output != self.original
        return self

    def drop_text(self) -> "FileResult":
        """Forget the file texts (results cross process boundaries; only the outcome is needed)."""
        self.original = self.output = ""
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "changed": self.changed,
            "written": self.written,
            "error": self.error,
            "skipped": self.skipped,
            "changes": [c.as_dict() for c in self.changes],
            "review_notes": [n.as_dict() for n in self.notes],
            "caveats": [n.as_dict() for n in self.caveats],
        }


@dataclass
class RunReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def changed(self) -> list[FileResult]:
        return [f for f in self.files if f.changed]

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    @property
    def with_notes(self) -> list[FileResult]:
        return [f for f in self.files if f.notes]

    def summary(self) -> dict[str, int]:
        return {
            "files_seen": len(self.files),
            "files_changed": len(self.changed),
            "changes": sum(len(f.changes) for f in self.files),
            "review_notes": sum(len(f.notes) for f in self.files),
            "files_with_errors": len(self.errors),
        }

    def to_json(self) -> str:
        files = [f.as_dict() for f in self.files if f.changed or f.error or f.notes or
                 (f.skipped and f.skipped != NOTHING_TO_DO)]
        return json.dumps({"summary": self.summary(), "files": files}, indent=2) + "\n"

    def to_text(self) -> str:
        out = []
        for f in self.files:
            if f.skipped and f.skipped != NOTHING_TO_DO:
                out.append(f"{f.path}: skipped: {f.skipped}")
            if not (f.changed or f.error or f.notes):
                continue
            out.append(f"{f.path}:")
            if f.error:
                out.append(f"  error: {f.error}")
            for c in f.changes:
                out.append(f"  {c.where}: [{c.rule}] {c.message}")
            for n in f.caveats:
                out.append(f"  {n.where}: CAVEAT [{n.rule}] {n.message}")
            for n in f.notes:
                out.append(f"  {n.where}: REVIEW [{n.rule}] {n.message}")
        s = self.summary()
        out.append(
            f"{s['files_changed']} file(s) changed, {s['changes']} change(s), {s['review_notes']} review note(s), "
            f"{s['files_with_errors']} file(s) left untouched because of errors ({s['files_seen']} seen)"
        )
        return "\n".join(out) + "\n"
