"""The codemod engine: rules register themselves, one tree walk per file dispatches every node to every rule.

A rule is a small class in `lit_migrate/rules/` with `visit_<Node>(node)` / `leave_<Node>(original, updated)`
methods, like a libcst transformer. All selected rules share one walk and one `FileContext` (import bindings,
recorded changes and review notes, imports to add). `migrate_source` never raises for bad input: it returns a
`FileResult` whose `error` says what went wrong, and the original text is then left alone.
"""

from __future__ import annotations

import ast
import bisect
import gc
import importlib
import pkgutil
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

import libcst as cst
from libcst._nodes.internal import CodegenState

from . import formfeeds
from . import legacy_facts as facts
from .cstutil import FastTransformer
from .names import Bindings, dotted, import_module_name
from .report import NOTHING_TO_DO, Change, FileResult

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
        self.source = source
        self.tune_flags: dict[str, dict[str, Any]] = {}  # trainer variable -> its 1.x auto_lr_find/auto_scale_...
        self.followed_names: set[str] = set()  # variables a rule follows (`fitter = Trainer()`): always walked
        self.top_of: dict[int, cst.CSTNode] = {}  # recorded node -> its top-level statement (for line numbers)
        self.inner_of: dict[int, cst.CSTNode] = {}  # recorded node -> innermost statement around it
        self.first_lines: dict[int, int] = {}  # statement -> its source line (from Python's own parser)
        self._comments: dict[int, list[str]] = defaultdict(list)

    # -- recording -------------------------------------------------------------------------------------------
    def change(self, node: cst.CSTNode, rule: "Rule | str", message: str) -> None:
        self.changes.append((node, _rule_name(rule), message))
        self._remember_top(node)

    def _remember_top(self, node: cst.CSTNode) -> None:
        if self.statement_stack:
            self.top_of[id(node)] = self.statement_stack[0]
            self.inner_of[id(node)] = self.statement_stack[-1]

    def note(self, node: cst.CSTNode, rule: "Rule | str", message: str,
             anchor: cst.CSTNode | None = None, attach: bool = True) -> None:
        """A review note: reported, and written as a `# lit-migrate:` comment above the enclosing statement
        (or above `anchor`, an original statement; `attach=False` when the rule writes the comment itself)."""
        self.notes.append((node, _rule_name(rule), message))
        self._remember_top(node)
        if not attach:
            return
        target = anchor if anchor is not None else (self.statement_stack[-1] if self.statement_stack else None)
        if target is not None:
            self._comments[id(target)].append(message)

    def caveat(self, node: cst.CSTNode, rule: "Rule | str", message: str) -> None:
        """A rewrite whose semantics differ slightly from 1.x: reported and commented, but nothing to do."""
        self.caveats.append((node, _rule_name(rule), message))
        self._remember_top(node)
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
    global _ALL_IMPORTED
    if not _ALL_IMPORTED:  # not "registry empty": importing one rule module directly registers only its rules
        from . import rules

        for info in pkgutil.iter_modules(rules.__path__):
            importlib.import_module(f"{rules.__name__}.{info.name}")
        _ALL_IMPORTED = True
    return sorted(_REGISTRY, key=lambda r: (r.order, r.name))


_ALL_IMPORTED = False


def families() -> list[str]:
    return sorted({r.family for r in all_rules()})


class _Dispatcher(FastTransformer):
    """One walk: each node goes to the visit/leave methods of every rule that has one for its type."""

    def __init__(self, rules: list[Rule], ctx: FileContext, module: cst.Module, source: str,
                 tree: ast.Module | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.module = module
        if tree is None:
            tree, _ = python_parse(source)
        self._spans = _Spans(module, tree, ctx.first_lines) if tree is not None else None
        self._lines = _LINE_BREAK.split(source)  # the breaks Python counts (str.splitlines also splits at \f)
        self._word_lines = [i for i, line in enumerate(self._lines, 1) if _RELEVANT_RE.search(line)]
        self._pattern: re.Pattern[str] | None = None
        self._pattern_for = -1
        self._name_lines: list[int] = []
        self._visit: dict[str, list[Callable[..., Any]]] = defaultdict(list)
        self._leave: dict[str, list[Callable[..., Any]]] = defaultdict(list)
        for rule in rules:
            for kind, node_type, attr in _handlers(type(rule)):
                (self._visit if kind == "visit" else self._leave)[node_type].append(getattr(rule, attr))
        self._trivia = frozenset(t for t in _TRIVIA if t.__name__ not in self._visit and t.__name__ not in self._leave)

    def on_visit(self, node: cst.CSTNode) -> bool:
        cls = type(node)
        if cls in self._trivia:
            return False  # nothing below can interest a rule: libcst then keeps the node instead of rebuilding it
        kind = _KINDS.get(cls)
        if kind is None:
            kind = _KINDS[cls] = _kind_of(cls)
        if kind is _STATEMENT:
            self.ctx.statement_stack.append(node)
            if not self._relevant(node):
                return False  # nothing in it can need a rewrite: skip the walk of its subtree
            if self._spans is not None:
                self._spans.expand(node)
        elif kind is _IMPORT:
            self.ctx.bindings.record_import(node)  # type: ignore[arg-type]
        elif kind is _IMPORT_FROM:
            self.ctx.bindings.record_import_from(node)  # type: ignore[arg-type]
        for fn in self._visit.get(cls.__name__, ()):
            fn(node)
        return True

    def _relevant(self, stmt: cst.CSTNode) -> bool:
        """Whether a statement mentions anything a rule reacts to (a plain substring test on its source)."""
        if isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            return True
        span = self._spans.spans.get(id(stmt)) if self._spans is not None else None
        if span is None:
            text = self.module.code_for_node(stmt)
            if _RELEVANT_RE.search(text):
                return True
            self._update_name_pattern()
            return bool(self._pattern and self._pattern.search(text))
        if _any_within(self._word_lines, span):
            return True
        self._update_name_pattern()
        return _any_within(self._name_lines, span)

    def _update_name_pattern(self) -> None:
        """Names bound to Lightning by the imports seen so far (and names rules follow), and the lines that
        mention them; rebuilt only when a new name appears."""
        names = self.ctx.bindings.names
        if self._pattern_for == len(names) + len(self.ctx.followed_names):
            return
        bound = [re.escape(k) for k, v in names.items() if v.split(".")[0] in ("pytorch_lightning", "lightning",
                                                                               "logging")]
        bound += [re.escape(k) for k in sorted(self.ctx.followed_names)]
        self._pattern = re.compile(r"\b(?:" + "|".join(bound) + r")\b") if bound else None
        self._pattern_for = len(names) + len(self.ctx.followed_names)
        pattern = self._pattern
        self._name_lines = [i for i, line in enumerate(self._lines, 1) if pattern.search(line)] if pattern else []

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        if type(original_node) in self._trivia:
            return updated_node
        result: Any = updated_node
        for fn in self._leave.get(type(original_node).__name__, ()):
            result = fn(original_node, result)
            if not isinstance(result, type(original_node)):
                break  # replaced by another node type or removed: later rules do not apply
        if _KINDS.get(type(original_node)) is _STATEMENT:  # every visited type has its kind by now
            self.ctx.statement_stack.pop()
            comments = self.ctx.comments_for(original_node)
            if comments:
                result = with_comments(result, comments)
        return result


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_STATEMENT, _IMPORT, _IMPORT_FROM, _OTHER = "statement", "import", "import-from", "other"
_KINDS: dict[type, str] = {}  # node class -> what the walk does with it (isinstance on libcst's ABCs is slow)


def _kind_of(cls: type) -> str:
    if issubclass(cls, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return _STATEMENT
    if issubclass(cls, cst.Import):
        return _IMPORT
    return _IMPORT_FROM if issubclass(cls, cst.ImportFrom) else _OTHER


def _trivia_types() -> frozenset[type]:
    """Node types whose subtrees hold only whitespace, comments, punctuation, operators and number literals."""
    operators = (cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp)
    named = {"SimpleWhitespace", "ParenthesizedWhitespace", "TrailingWhitespace", "Newline", "EmptyLine", "Comment",
             "LeftParen", "RightParen", "LeftSquareBracket", "RightSquareBracket", "LeftCurlyBrace",
             "RightCurlyBrace", "Comma", "Dot", "Colon", "Semicolon", "AssignEqual", "ImportStar", "Integer",
             "Float", "Imaginary", "Ellipsis"}
    types = (getattr(cst, name) for name in cst.__all__)
    return frozenset(t for t in types if isinstance(t, type) and issubclass(t, cst.CSTNode) and not
                     getattr(t, "__abstractmethods__", None) and (t.__name__ in named or issubclass(t, operators)))


_TRIVIA = _trivia_types()


def _any_within(lines: list[int], span: tuple[int, int]) -> bool:
    """Whether the sorted line numbers `lines` hold one in [first, last]."""
    k = bisect.bisect_left(lines, span[0])
    return k < len(lines) and lines[k] <= span[1]


class _Spans:
    """libcst statements paired with Python's own parse of the same source, for their lines.

    `spans[id(stmt)]` is (first line with decorators, last line), used by the relevance filter; the pairing also
    fills `first_lines` (statement id -> its line, for the report). Top-level statements are paired at once, the
    statements inside a block only when the walk enters it (`expand`): pruned subtrees cost nothing.
    """

    def __init__(self, module: cst.Module, tree: ast.Module, first_lines: dict[int, int]) -> None:
        self.spans: dict[int, tuple[int, int]] = {}
        self.first_lines = first_lines
        self._ast: dict[int, ast.stmt] = {}
        self._pair(module.body, tree.body)

    def _pair(self, cst_body: Any, ast_body: list[ast.stmt]) -> None:
        i = 0
        for stmt in cst_body:
            count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
            nodes = ast_body[i:i + count]
            i += count
            if len(nodes) != count:
                return
            node = nodes[0]
            self.first_lines[id(stmt)] = node.lineno
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            self.spans[id(stmt)] = (first, nodes[-1].end_lineno or node.lineno)
            if not isinstance(stmt, cst.SimpleStatementLine):
                self._ast[id(stmt)] = node

    def expand(self, stmt: cst.CSTNode) -> None:
        """Pair the statements of the blocks directly inside `stmt` (once)."""
        node = self._ast.pop(id(stmt), None)
        if node is not None:
            for cst_block, ast_block in _child_blocks(stmt, node):
                self._pair(cst_block, ast_block)


def _child_blocks(stmt: Any, node: ast.stmt) -> list[tuple[Any, list[ast.stmt]]]:
    """(libcst statements, ast statements) of the blocks directly inside a compound statement."""
    def block(suite: Any) -> Any:
        return suite.body if isinstance(suite, cst.IndentedBlock) else ()

    out: list[tuple[Any, list[ast.stmt]]] = []
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.With, cst.For, cst.While, cst.If, cst.Try)):
        out.append((block(stmt.body), getattr(node, "body", [])))
    orelse = getattr(stmt, "orelse", None)
    if isinstance(orelse, cst.If):  # elif: a nested If in both trees
        out.append(([orelse], getattr(node, "orelse", [])))
    elif isinstance(orelse, cst.Else):
        out.append((block(orelse.body), getattr(node, "orelse", [])))
    if isinstance(stmt, cst.Try) and isinstance(node, ast.Try):
        for handler, ast_handler in zip(stmt.handlers, node.handlers):
            out.append((block(handler.body), ast_handler.body))
        if stmt.finalbody is not None:
            out.append((block(stmt.finalbody.body), node.finalbody))
    return out


def _relevant_words() -> tuple[str, ...]:
    hooks = {name for _, name in facts.HOOKS} | set(facts.EPOCH_END_HOOKS) | set(facts.STEP_END_HOOKS) | \
        set(facts.EPOCH_HOOK_EXPANSIONS)
    return tuple(sorted(hooks | {"lightning", "rainer", "optimizer_idx", "hparams", "datamodule", "sync_dist_op",
                                 "tbptt_", "_step", "Callback", "LightningModule", "load_from_checkpoint",
                                 "_argparse_args"}))


_RELEVANT_WORDS = _relevant_words()
_RELEVANT_RE = re.compile("|".join(re.escape(word) for word in _RELEVANT_WORDS))


def _handlers(rule: type[Rule]) -> list[tuple[str, str, str]]:
    """(visit|leave, node type name, method name) of a rule class, looked up once per class."""
    found = _HANDLERS.get(rule)
    if found is None:
        found = _HANDLERS[rule] = [(attr[:5], attr[6:], attr) for attr in dir(rule)
                                   if attr.startswith(("visit_", "leave_"))]
    return found


_HANDLERS: dict[type[Rule], list[tuple[str, str, str]]] = {}


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


def python_parse(source: str) -> tuple[ast.Module | None, str]:
    """(tree, "") when CPython accepts the source, else (None, where and why it does not)."""
    try:
        return ast.parse(source), ""
    except SyntaxError as err:  # IndentationError and TabError included
        return None, f"line {err.lineno}: {err.msg}" if err.lineno else err.msg
    except (ValueError, RecursionError, MemoryError) as err:
        return None, f"{type(err).__name__}: {_first_line(err)}"


def _does_not_parse(output: str, path: str) -> str | None:
    """Why `output` is not valid Python, or None. Compiling to bytecode is the fast check (no syntax tree objects
    are built); only when the compiler objects is the parser asked, so a compiler-only complaint (`return`
    outside a function, as in the input) does not count."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the compiler's SyntaxWarnings are about the user's code, not ours
            compile(output, path, "exec", dont_inherit=True)
        return None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    try:
        ast.parse(output, filename=path)
    except SyntaxError as err:
        return err.msg
    except (ValueError, RecursionError, MemoryError) as err:
        return f"{type(err).__name__}: {_first_line(err)}"
    return None


def migrate_source(source: str, path: str = "<string>", options: Options | None = None) -> FileResult:
    """Rewrite one file's text. Never raises for bad input; `result.error` says why nothing was changed."""
    # The two syntax trees of a file are acyclic and freed by reference counting; the cyclic collector would only
    # rescan them over and over while they are built (about 15% of the time), so it waits until the file is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        held = formfeeds.hold(source) if might_need_migration(source) else None
        if held is None:
            return _migrate_source(source, path, options)
        result = _migrate_source(held.text, path, options)
        result.original = source
        result.output = source if result.error or result.output == held.text else held.put_back(result.output)
        return result.finish()
    finally:
        if was_enabled:
            gc.enable()


def _migrate_source(source: str, path: str, options: Options | None) -> FileResult:
    options = options or Options()
    result = FileResult(path=path, original=source, output=source)
    if not might_need_migration(source):
        result.skipped = NOTHING_TO_DO
        return result.finish()
    # Python's own parser first: it is fast, and what it refuses never reaches libcst's native parser (deeply
    # nested brackets crash it); its tree also pairs statements with lines for the report.
    tree, problem = python_parse(source)
    if tree is None:
        result.error = f"not valid Python, left untouched: {problem}"
        return result.finish()
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError, ValueError) as err:
        result.error = f"not valid Python, left untouched: {_first_line(err)}"
        return result.finish()
    except BaseException as err:  # libcst's native parser reports its own panics as a BaseException
        if isinstance(err, (KeyboardInterrupt, SystemExit)):
            raise
        result.error = f"libcst cannot parse this file, left untouched: {type(err).__name__}: {_first_line(err)}"
        return result.finish()
    ctx = FileContext(source, options)
    rules = [rule(ctx) for rule in all_rules() if options.enabled(rule)]
    try:
        new_module = _add_imports(module.visit(_Dispatcher(rules, ctx, module, source, tree)), ctx)
        output = new_module.code
    except RecursionError:
        result.error = "too deeply nested for libcst (RecursionError), left untouched"
        return result.finish()
    except Exception as err:  # a rule bug must not take the rest of the tree down
        result.error = f"internal error in lit-migrate, file left untouched: {type(err).__name__}: {err}"
        return result.finish()
    if output != source:
        problem = _does_not_parse(output, path)
        if problem:
            result.error = f"internal error: the rewrite did not parse ({problem}), file left untouched"
            return result.finish()
    result.output = output
    if ctx.changes or ctx.notes or ctx.caveats:
        lines = _lines(module, [n for n, _, _ in ctx.changes + ctx.notes + ctx.caveats], ctx)

        def entries(recorded: list[tuple[cst.CSTNode, str, str]]) -> list[Change]:
            return sorted((Change(lines.get(id(n), 0), rule, msg) for n, rule, msg in recorded),
                          key=lambda c: c.line)

        result.changes, result.notes, result.caveats = entries(ctx.changes), entries(ctx.notes), \
            entries(ctx.caveats)
    return result.finish()


class _LineFinder(CodegenState):
    """Codegen that notes the line on which each wanted node starts (cheaper than PositionProvider)."""

    def __init__(self, module: cst.Module, wanted: set[int]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted, self.found, self._counted, self._lines = wanted, {}, 0, 1

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted and key not in self.found:
            tokens = self.tokens
            self._lines += sum(t.count("\n") for t in tokens[self._counted:])
            self._counted = len(tokens)
            skip = len(getattr(node, "leading_lines", ()))  # blank/comment lines above a statement
            for decorator in getattr(node, "decorators", ()):
                skip += 1 + len(decorator.leading_lines)
            self.found[key] = self._lines + skip


def _lines(module: cst.Module, nodes: list[cst.CSTNode], ctx: FileContext) -> dict[int, int]:
    """Line numbers of original nodes, computed only for files with something to report: the line of the node
    when it is a statement, else of the innermost statement around it (both from Python's own parser). Nodes
    without a paired statement fall back to generating their top-level statement's code."""
    found: dict[int, int] = {}
    groups: dict[int, tuple[cst.CSTNode, set[int]]] = {}
    rest: set[int] = set()
    for node in nodes:
        key = id(node)
        stmt = node if key in ctx.first_lines else ctx.inner_of.get(key)
        if stmt is not None and id(stmt) in ctx.first_lines:
            found[key] = ctx.first_lines[id(stmt)]
            continue
        top = ctx.top_of.get(key)
        if top is not None and id(top) in ctx.first_lines:
            groups.setdefault(id(top), (top, set()))[1].add(key)
        else:
            rest.add(key)
    for top, wanted in groups.values():
        finder = _LineFinder(module, wanted)
        # codegen of `top` starts with its leading blank/comment lines and decorators
        decorators = sum(1 + len(d.leading_lines) for d in getattr(top, "decorators", ()))
        finder._lines = ctx.first_lines[id(top)] - len(getattr(top, "leading_lines", ())) - decorators
        top._codegen(finder)
        found.update(finder.found)
    if rest:
        finder = _LineFinder(module, rest)
        module._codegen(finder)
        found.update(finder.found)
    return found


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def _add_imports(updated: cst.Module, ctx: FileContext) -> cst.Module:
    """Add the imports rules asked for (each once, after the file's last top-level import)."""
    lines: list[cst.SimpleStatementLine] = []
    bound = ctx.bindings.names
    for module in ctx.modules_needed:
        if module.split(".")[0] not in bound:
            lines.append(cst.parse_statement(f"import {module}"))  # type: ignore[arg-type]
    grouped: dict[str, list[str]] = {}
    for module, name in ctx.imports_needed:
        if bound.get(name) == f"{module}.{name}" or _imported_from(updated, module, name):
            continue
        grouped.setdefault(module, []).append(name)
    for module, names in grouped.items():
        lines.append(cst.parse_statement(f"from {module} import {', '.join(names)}"))  # type: ignore[arg-type]
    if not lines:
        return updated
    body = list(updated.body)
    at = _insert_position(body)
    return updated.with_changes(body=body[:at] + lines + body[at:])


def _imported_from(module_node: cst.Module, module: str, name: str) -> bool:
    for stmt in module_node.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar) and \
                        import_module_name(small.module) == module and \
                        any(dotted(a.name) == name and a.asname is None for a in small.names):
                    return True
    return False


def _is_import_line(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)


def _insert_position(body: list[cst.BaseStatement]) -> int:
    """After the last top-level import; else after the docstring."""
    last = -1
    for i, stmt in enumerate(body):
        if _is_import_line(stmt):
            last = i
    if last >= 0:
        return last + 1
    if body and isinstance(body[0], cst.SimpleStatementLine) and isinstance(body[0].body[0], cst.Expr) and \
            isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        return 1
    return 0
