"""The codemod engine: rules register themselves, one tree walk per file dispatches every node to every rule.

A rule is a small class in `lit_migrate/rules/` with `visit_<Node>(node)` / `leave_<Node>(original, updated)`
methods, like a libcst transformer. All selected rules share one walk and one `FileContext` (import bindings,
recorded changes and review notes, imports to add). `migrate_source` never raises for bad input: it returns a
`FileResult` whose `error` says what went wrong, and the original text is then left alone.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from . import legacy_facts as facts
from .names import Bindings
from .report import Change, FileResult

NOTE_PREFIX = "# lit-migrate: "
LIGHTNING_MARKERS = ("lightning",)  # files without it are skipped without a parse


@dataclass
class Options:
    keep_namespace: bool = False
    select: frozenset[str] | None = None  # rule families or rule names; None means all
    ignore: frozenset[str] = frozenset()

    def enabled(self, rule: type["Rule"]) -> bool:
        keys = {rule.name, rule.family}
        if keys & self.ignore:
            return False
        return self.select is None or bool(keys & self.select)


class FileContext:
    """Per-file state shared by the rules of one walk."""

    def __init__(self, source: str, options: Options) -> None:
        self.options = options
        self.bindings = Bindings()
        self.quote = "'" if source.count("'") > source.count('"') else '"'
        self.changes: list[tuple[cst.CSTNode, str, str]] = []
        self.notes: list[tuple[cst.CSTNode, str, str]] = []
        self.caveats: list[tuple[cst.CSTNode, str, str]] = []
        self.imports_needed: list[tuple[str, str]] = []  # (module, name) to add as `from module import name`
        self.modules_needed: list[str] = []  # `import module`
        self.statement_stack: list[cst.CSTNode] = []
        self._comments: dict[int, list[str]] = defaultdict(list)

    # -- recording -------------------------------------------------------------------------------------------
    def change(self, node: cst.CSTNode, rule: "Rule | str", message: str) -> None:
        self.changes.append((node, _rule_name(rule), message))

    def note(self, node: cst.CSTNode, rule: "Rule | str", message: str,
             anchor: cst.CSTNode | None = None, attach: bool = True) -> None:
        """A review note: reported, and written as a `# lit-migrate:` comment above the enclosing statement
        (or above `anchor`, an original statement; `attach=False` when the rule writes the comment itself)."""
        self.notes.append((node, _rule_name(rule), message))
        if not attach:
            return
        target = anchor if anchor is not None else (self.statement_stack[-1] if self.statement_stack else None)
        if target is not None:
            self._comments[id(target)].append(message)

    def caveat(self, node: cst.CSTNode, rule: "Rule | str", message: str) -> None:
        """A rewrite whose semantics differ slightly from 1.x: reported and commented, but nothing to do."""
        self.caveats.append((node, _rule_name(rule), message))
        if self.statement_stack:
            self._comments[id(self.statement_stack[-1])].append(message)

    def comments_for(self, original_statement: cst.CSTNode) -> list[str]:
        return self._comments.pop(id(original_statement), [])

    def need_import(self, module: str, name: str) -> None:
        module = self.render_path(module)
        if (module, name) not in self.imports_needed:
            self.imports_needed.append((module, name))

    def need_module(self, module: str) -> None:
        if module not in self.modules_needed:
            self.modules_needed.append(module)

    def render_path(self, path: str) -> str:
        """A 2.x dotted path as the output spells it (`--keep-namespace` keeps `pytorch_lightning`)."""
        if self.options.keep_namespace and (path == facts.NEW_ROOT or path.startswith(facts.NEW_ROOT + ".")):
            return facts.OLD_ROOT + path[len(facts.NEW_ROOT):]
        return path


def _rule_name(rule: "Rule | str") -> str:
    return rule if isinstance(rule, str) else rule.name


class Rule:
    """Base class of a rewrite rule. Subclasses set `name`, `family` and `summary`, and define visit/leave methods."""

    name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    order: ClassVar[int] = 50  # lower runs first on the same node

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx


_REGISTRY: list[type[Rule]] = []


def register(rule: type[Rule]) -> type[Rule]:
    if not rule.name or not rule.family:
        raise TypeError(f"{rule.__name__} needs a name and a family")
    _REGISTRY.append(rule)
    return rule


def all_rules() -> list[type[Rule]]:
    """Every registered rule; importing each module of `lit_migrate.rules` registers its rules."""
    if not _REGISTRY:
        from . import rules

        for info in pkgutil.iter_modules(rules.__path__):
            importlib.import_module(f"{rules.__name__}.{info.name}")
    return sorted(_REGISTRY, key=lambda r: (r.order, r.name))


def families() -> list[str]:
    return sorted({r.family for r in all_rules()})


class _Dispatcher(cst.CSTTransformer):
    """One walk: each node goes to the visit/leave methods of every rule that has one for its type."""

    _STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)

    def __init__(self, rules: list[Rule], ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._visit: dict[str, list[Callable[..., Any]]] = defaultdict(list)
        self._leave: dict[str, list[Callable[..., Any]]] = defaultdict(list)
        for rule in rules:
            for attr in dir(type(rule)):
                if attr.startswith("visit_"):
                    self._visit[attr[6:]].append(getattr(rule, attr))
                elif attr.startswith("leave_"):
                    self._leave[attr[6:]].append(getattr(rule, attr))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self._STATEMENTS):
            self.ctx.statement_stack.append(node)
        elif isinstance(node, cst.Import):
            self.ctx.bindings.record_import(node)
        elif isinstance(node, cst.ImportFrom):
            self.ctx.bindings.record_import_from(node)
        for fn in self._visit.get(type(node).__name__, ()):
            fn(node)
        return True

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        result: Any = updated_node
        for fn in self._leave.get(type(original_node).__name__, ()):
            result = fn(original_node, result)
            if not isinstance(result, type(original_node)):
                break  # replaced by another node type or removed: later rules do not apply
        if isinstance(original_node, self._STATEMENTS):
            self.ctx.statement_stack.pop()
            comments = self.ctx.comments_for(original_node)
            if comments:
                result = with_comments(result, comments)
        return result


def with_comments(node: Any, messages: list[str]) -> Any:
    """Add `# lit-migrate: <message>` lines above a statement (each message once)."""
    target = node.nodes[0] if isinstance(node, cst.FlattenSentinel) else node
    if not hasattr(target, "leading_lines"):
        return node
    existing = {line.comment.value for line in target.leading_lines if line.comment is not None}
    added = []
    for message in dict.fromkeys(messages):
        text = NOTE_PREFIX + " ".join(message.split())
        if text not in existing:
            added.append(cst.EmptyLine(indent=True, comment=cst.Comment(text)))
    if not added:
        return node
    updated = target.with_changes(leading_lines=[*target.leading_lines, *added])
    if isinstance(node, cst.FlattenSentinel):
        return cst.FlattenSentinel([updated, *node.nodes[1:]])
    return updated


def might_need_migration(source: str) -> bool:
    """Cheap pre-check before any parse: only files that mention Lightning can need a rewrite."""
    return any(marker in source for marker in LIGHTNING_MARKERS)


def migrate_source(source: str, path: str = "<string>", options: Options | None = None) -> FileResult:
    """Rewrite one file's text. Never raises for bad input; `result.error` says why nothing was changed."""
    options = options or Options()
    result = FileResult(path=path, original=source, output=source)
    if not might_need_migration(source):
        result.skipped = "does not mention lightning"
        return result.finish()
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError, ValueError) as err:
        result.error = f"not valid Python, left untouched: {_first_line(err)}"
        return result.finish()
    ctx = FileContext(source, options)
    rules = [rule(ctx) for rule in all_rules() if options.enabled(rule)]
    try:
        new_module = module.visit(_Dispatcher(rules, ctx))
        output = new_module.code
    except Exception as err:  # a rule bug must not take the rest of the tree down
        result.error = f"internal error in lit-migrate, file left untouched: {type(err).__name__}: {err}"
        return result.finish()
    if output != source:
        try:
            ast.parse(output, filename=path)
        except SyntaxError as err:
            result.error = f"internal error: the rewrite did not parse ({err.msg}), file left untouched"
            return result.finish()
    result.output = output
    if ctx.changes or ctx.notes or ctx.caveats:
        lines = _lines(module, [n for n, _, _ in ctx.changes + ctx.notes + ctx.caveats])

        def entries(recorded: list[tuple[cst.CSTNode, str, str]]) -> list[Change]:
            return sorted((Change(lines.get(id(n), 0), rule, msg) for n, rule, msg in recorded),
                          key=lambda c: c.line)

        result.changes, result.notes, result.caveats = entries(ctx.changes), entries(ctx.notes), \
            entries(ctx.caveats)
    return result.finish()


def _lines(module: cst.Module, nodes: list[cst.CSTNode]) -> dict[int, int]:
    """Line numbers of original nodes; computed only for files with something to report."""
    wanted = {id(n) for n in nodes}
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {id(node): pos.start.line for node, pos in positions.items() if id(node) in wanted}


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
