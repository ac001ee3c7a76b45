"""Measure lit-migrate on a corpus of real 1.x code: damage, idempotence, and how many legacy uses are rewritten.

    python tests/migrate/corpus/measure.py CORPUS_DIR [--json OUT] [--details]

Every `.py` file under CORPUS_DIR is migrated in memory (nothing is written). Counted:
- damaged: a file that parsed before and does not parse after, or that lit-migrate refused with an error;
- unstable: a file a second run would change again;
- legacy uses, before and after, by an AST scan (comments, so review notes, are invisible to it): `imports` of
  pytorch_lightning, `trainer-kwargs` (1.x-only Trainer keywords in a Trainer call, its argparse helper, or a dict
  literal the file unpacks into a Trainer), `hooks` (removed hooks, `optimizer_idx` steps), `argparse` (the
  Trainer/DataModule argparse helpers);
- unexplained: a legacy use left after the run without a `# lit-migrate:` review note above its statement.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lit_migrate import legacy_facts as facts
from lit_migrate.engine import NOTE_PREFIX, migrate_source

KINDS = ("imports", "trainer-kwargs", "hooks", "argparse")
LEGACY_TRAINER_KWARGS = frozenset(facts.TRAINER_ARGS) - facts.TRAINER_2X_PARAMS
REMOVED_HOOKS = frozenset(facts.EPOCH_END_HOOKS) | frozenset(facts.STEP_END_HOOKS) | \
    frozenset(facts.EPOCH_HOOK_EXPANSIONS) | frozenset(name for (_, name), fact in facts.HOOKS.items()
                                                      if fact.rename_to or not fact.mechanical)
ARGPARSE_HELPERS = ("add_argparse_args", "from_argparse_args", "parse_argparser")


@dataclass
class Use:
    kind: str
    line: int  # first line of the statement that holds it (where a review note would be written above)
    what: str
    also: tuple[int, ...] = ()  # other statements whose note explains it (the Trainer call that unpacks a dict)


def _last_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class _Scan(ast.NodeVisitor):
    def __init__(self) -> None:
        self.uses: list[Use] = []
        self._stmt: list[ast.stmt] = []
        self._classes: list[ast.ClassDef] = []
        self.own_methods: set[tuple[str, str]] = set()  # (class, method) defined in the file
        self.unpacked: dict[str, list[int]] = {}  # names unpacked into a Trainer call -> lines of those calls
        self.dicts: list[tuple[str, ast.AST, int]] = []  # (name, dict literal, statement line)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            self._stmt.append(node)
            super().generic_visit(node)
            self._stmt.pop()
        else:
            super().generic_visit(node)

    def _line(self) -> int:
        stmt = self._stmt[-1]
        decorators = getattr(stmt, "decorator_list", [])
        return min([stmt.lineno] + [d.lineno for d in decorators])

    def add(self, kind: str, what: str) -> None:
        self.uses.append(Use(kind, self._line(), what))

    def visit_Import(self, node: ast.Import) -> None:
        self._stmt.append(node)
        for alias in node.names:
            if alias.name.split(".")[0] == facts.OLD_ROOT:
                self.add("imports", f"import {alias.name}")
        self._stmt.pop()

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._stmt.append(node)
        if node.level == 0 and (node.module or "").split(".")[0] == facts.OLD_ROOT:
            self.add("imports", f"from {node.module} import ...")
        self._stmt.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.own_methods.add((node.name, stmt.name))
        self._classes.append(node)
        self.generic_visit(node)
        self._classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._stmt.append(node)
        if self._classes:
            cls = self._classes[-1]
            if node.name in REMOVED_HOOKS and not _called_by_class(cls, node.name):
                self.add("hooks", f"def {node.name}")
            if node.name == "training_step" and facts.OPTIMIZER_IDX_PARAM in [a.arg for a in node.args.args]:
                self.add("hooks", "training_step(..., optimizer_idx)")
        self._stmt.pop()
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = _last_name(func)
        trainer_helper = isinstance(func, ast.Attribute) and func.attr in ARGPARSE_HELPERS
        if name == "Trainer" or (trainer_helper and _last_name(func.value) == "Trainer"):
            for kw in node.keywords:
                if kw.arg in LEGACY_TRAINER_KWARGS:
                    self.add("trainer-kwargs", f"Trainer({kw.arg}=)")
                elif kw.arg is None and isinstance(kw.value, ast.Name):
                    self.unpacked.setdefault(kw.value.id, []).append(self._line())
        if trainer_helper and self._stmt:
            owner = _last_name(func.value)  # type: ignore[union-attr]
            if owner is not None and (owner, func.attr) not in self.own_methods and owner not in ("self", "cls"):
                self.add("argparse", f"{owner}.{func.attr}")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name) and _is_dict_literal(node.value):
                self.dicts.append((target.id, node.value, node.lineno))
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name) and node.value is not None and _is_dict_literal(node.value):
            self.dicts.append((node.target.id, node.value, node.lineno))
        self.generic_visit(node)

    def finish(self) -> list[Use]:
        for name, literal, line in self.dicts:
            if name in self.unpacked:
                for key in _dict_keys(literal):
                    if key in LEGACY_TRAINER_KWARGS:
                        self.uses.append(Use("trainer-kwargs", line, f"{name}[{key!r}] for Trainer(**{name})",
                                             tuple(self.unpacked[name])))
        return self.uses


def _called_by_class(cls: ast.ClassDef, method: str) -> bool:
    """A hook the migrated class calls itself (`self.training_step_end(out)`) is the user's method now."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "self":
            return True
    return False


def _is_dict_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                                          and node.func.id == "dict")


def _dict_keys(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return [kw.arg for kw in node.keywords if kw.arg]  # type: ignore[attr-defined]


def legacy_uses(source: str) -> list[Use]:
    scan = _Scan()
    scan.visit(ast.parse(source))
    return scan.finish()


def has_note_above(lines: list[str], line: int) -> bool:
    """Whether the comment lines right above `line` (1-based) hold a lit-migrate review note."""
    i = line - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if lines[i].lstrip().startswith(NOTE_PREFIX):
            return True
        i -= 1
    return False


@dataclass
class Report:
    files: int = 0
    changed: int = 0
    damaged: list[str] = field(default_factory=list)
    unstable: list[str] = field(default_factory=list)
    before: Counter = field(default_factory=Counter)
    after: Counter = field(default_factory=Counter)
    unexplained: list[str] = field(default_factory=list)
    explained: list[str] = field(default_factory=list)

    @property
    def rewritten_share(self) -> float:
        total = sum(self.before.values())
        return 1.0 if not total else (total - sum(self.after.values())) / total

    def summary(self) -> dict:
        return {"files": self.files, "changed": self.changed, "damaged": self.damaged, "unstable": self.unstable,
                "legacy_uses_before": dict(self.before), "legacy_uses_after": dict(self.after),
                "rewritten_share": round(self.rewritten_share, 4), "left_with_note": len(self.explained),
                "left_without_note": self.unexplained}


def measure(root: Path) -> Report:
    report = Report()
    for path in sorted(root.rglob("*.py")):
        if not path.is_file():
            continue
        try:
            source = path.read_text(encoding="utf-8")
            ast.parse(source)
        except (UnicodeDecodeError, SyntaxError, ValueError):
            continue  # not Python 3 text: not part of the measure
        name = str(path.relative_to(root))
        report.files += 1
        first = migrate_source(source, name)
        if first.error:
            report.damaged.append(f"{name}: {first.error}")
            continue
        try:
            after = legacy_uses(first.output)
        except SyntaxError as err:
            report.damaged.append(f"{name}: does not parse after the run ({err.msg})")
            continue
        report.changed += first.output != source
        second = migrate_source(first.output, name)
        if second.output != first.output:
            report.unstable.append(name)
        report.before.update(u.kind for u in legacy_uses(source))
        report.after.update(u.kind for u in after)
        lines = first.output.splitlines()
        for use in after:
            entry = f"{name}:{use.line}: {use.kind}: {use.what}"
            noted = any(has_note_above(lines, line) for line in (use.line, *use.also))
            (report.explained if noted else report.unexplained).append(entry)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", type=Path, help="write the summary here")
    parser.add_argument("--details", action="store_true", help="list the legacy uses left with a review note")
    args = parser.parse_args(argv)
    report = measure(args.corpus)
    summary = report.summary()
    if args.details:
        summary["left_with_note_details"] = report.explained
    text = json.dumps(summary, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
