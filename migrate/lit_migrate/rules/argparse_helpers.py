"""Rule family `argparse` (B.1): the 1.x argparse helpers `Trainer.add_argparse_args / from_argparse_args` and
`LightningDataModule.add_argparse_args / from_argparse_args`, which 2.x removed.

`parser = Trainer.add_argparse_args(parser)` becomes explicit `parser.add_argument("--<flag>", ...)` lines for the
Trainer flags the file shows (`"--flag"` literals of its command lines, `args.<flag>` reads of a parse result),
parsed as 1.9.5 parsed them (`TRAINER_ARGPARSE_1_9`) with 1.9.5's defaults, except where the 2.x Trainer reads a
default differently (`--accelerator` defaults to "cpu": a 1.x run without a device flag was a CPU run); a caveat
says that the other Trainer flags are no longer accepted. `Trainer.from_argparse_args(args, **kw)` becomes
`Trainer(<flag>=args.<flag>, ..., **kw)`, whose legacy flags (`gpus=`, ...) the `trainer-args` rule maps as in any
other `Trainer(...)` call. Where the file shows no flag (its command lines are in a shell script), the parser gets
the 1.9.5 flags the 2.x Trainer still takes, and `--gpus`. A datamodule class defined in the file gets one flag per
`__init__` parameter. Where `from_argparse_args` gets a namespace of unknown origin (neither a parse result nor an
`argparse.Namespace` built in the file), or the datamodule's parameters cannot be read, the helper keeps a review
note. A class's own `add_argparse_args` / `from_argparse_args` is the user's and stays.

The rewrite needs the whole file (flags are read anywhere), so it runs once, on the finished module, and only in
files where the walk met a helper call or a datamodule class (the walk skips statements no rule reacts to, so a
datamodule helper is only seen in a file that defines a datamodule or calls a Trainer helper).
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from .. import legacy_facts as facts
from ..cstutil import FastTransformer, FastVisitor, code, expr, is_simple_reference, keyword, make_kwarg, set_args, \
    statements
from ..engine import Rule, register, with_comments
from ..names import canonical, dotted, is_class
from ..values import render_source
from .trainer import TrainerArgsRule, trainer_call_kind
from .trainer_kwargs import Scope

_FLAG_LITERAL = re.compile(r"""^[rRbBuU]?(['"])--([A-Za-z_]\w*)\1$""")
# A whole command line in one string (`parser.parse_args("--gpus 0 --max_epochs 3".split())`): its --flags
_DATAMODULE_VARIABLE = re.compile(r"(?:^|_)(?:dm|datamodule|data_module)(?:_|$)", re.IGNORECASE)
_COMMAND_LINE = re.compile(r"""^[rRuU]?(['"])\s*--[A-Za-z_]""")
_COMMAND_LINE_FLAG = re.compile(r"(?:^|\s)--([A-Za-z_]\w*)")
_TRAINER_FLAGS = {name: (default, kind) for name, default, kind in facts.TRAINER_ARGPARSE_1_9}
# Declared when a file's command lines are not in it: the 1.9 flags the 2.x Trainer still takes, and --gpus
_FLAGS_KEPT = frozenset(facts.TRAINER_2X_PARAMS | {"gpus"})
# 1.x defaults the 2.x Trainer does not take with the same meaning: no device flag meant CPU in 1.x.
_DEFAULT_OVERRIDES = {"accelerator": "cpu", "devices": "auto", "strategy": "auto", "accumulate_grad_batches": 1}
# How 1.9.5 parsed each kind of flag: (`type=` source, helper function it needs, extra add_argument keywords).
_KINDS: dict[str, tuple[str, str | None, str]] = {
    "bool": ("_str_to_bool", "_str_to_bool", ', nargs="?", const=True'),
    "bool_or_int": ("_str_to_bool_or_int", "_str_to_bool_or_int", ', nargs="?", const=True'),
    "bool_or_str": ("_str_to_bool_or_str", "_str_to_bool_or_str", ', nargs="?", const=True'),
    "int": ("int", None, ""),
    "float": ("float", None, ""),
    "str": ("str", None, ""),
    "int_or_float": ("_int_or_float", "_int_or_float", ""),
    "gpus": ("_gpus_type", "_gpus_type", ""),
    "precision": ("_int_or_str", "_int_or_str", ""),
}
_HELPERS: dict[str, str] = {
    "_str_to_bool": '''def _str_to_bool(value):
    """A boolean command-line value, parsed as 1.x `Trainer.add_argparse_args` did (`--flag false`)."""
    if value.lower() in ("y", "yes", "t", "true", "on", "1"):
        return True
    if value.lower() in ("n", "no", "f", "false", "off", "0"):
        return False
    raise ValueError(f"invalid truth value {value!r}")
''',
    "_str_to_bool_or_int": '''def _str_to_bool_or_int(value):
    """`--fast_dev_run true` or `--fast_dev_run 7`, as 1.x parsed it."""
    try:
        return _str_to_bool(value)
    except ValueError:
        return int(value)
''',
    "_str_to_bool_or_str": '''def _str_to_bool_or_str(value):
    """`--auto_lr_find true` or `--auto_lr_find my_lr`, as 1.x parsed it."""
    try:
        return _str_to_bool(value)
    except ValueError:
        return value
''',
    "_int_or_float": '''def _int_or_float(value):
    """A batch count (`3`) or fraction (`0.25`), as 1.x parsed it."""
    return float(value) if "." in value else int(value)
''',
    "_gpus_type": '''def _gpus_type(value):
    """`--gpus 2` or `--gpus 0,1`, as 1.x parsed it."""
    return value if "," in value else int(value)
''',
    "_int_or_str": '''def _int_or_str(value):
    """`--precision 16` or `--precision bf16`, as 1.x parsed it."""
    try:
        return int(value)
    except ValueError:
        return value
''',
}
_HELPERS["_add_init_arguments"] = '''def _add_init_arguments(parser, cls):
    """A --flag per str/int/float/bool parameter of cls.__init__, as 1.x add_argparse_args declared them."""
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name in ("self", "args", "kwargs") or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        declared = getattr(param.annotation, "__args__", None) or (param.annotation,)
        types = tuple(t for t in (str, int, float, bool) if t in declared)
        extra = {}
        if not types:
            continue
        if bool in types:
            extra = {"nargs": "?", "const": True}
            others = [t for t in types if t is not bool]
            parse = _str_to_bool_or_int if int in others else _str_to_bool_or_str if str in others else \\
                others[0] if others else _str_to_bool
        else:
            parse = _int_or_float if set(types) == {int, float} else types[0]
        parser.add_argument(f"--{name}", dest=name, default=param.default, type=parse, **extra)
    return parser
'''
_HELPER_NEEDS = {"_str_to_bool_or_int": ("_str_to_bool",), "_str_to_bool_or_str": ("_str_to_bool",)}
_PARSE_METHODS = ("parse_args", "parse_known_args")
_HELPER_METHODS = ("add_argparse_args", "from_argparse_args")
_SIMPLE_TYPES = {"int": "int", "float": "float", "str": "str", "bool": "_str_to_bool"}


@register
class ArgparseHelpersRule(Rule):
    name = "argparse-helpers"
    family = "argparse"
    summary = "Trainer/LightningDataModule add_argparse_args -> explicit add_argument lines, from_argparse_args -> " \
              "a constructor call by keyword (B.1)"
    order = 40

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._seen = False  # a helper call or a datamodule class: only then is the whole file scanned

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in _HELPER_METHODS:
            self._seen = True

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if any(is_class(canonical(self.ctx.bindings.qualify(b.value)), "LightningDataModule") for b in node.bases):
            self._seen = True

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._seen:
            return updated
        scan = _Scan(self)
        original.visit(scan)
        if not scan.lightning_helper_calls():
            return updated
        rewriter = _Rewrite(self, scan)
        new = updated.visit(rewriter)
        if not rewriter.helpers:
            return new
        return _insert_helpers(new, rewriter.helpers)


class _Scan(FastVisitor):
    """What the original file shows: helper calls (in order), Trainer flags, parse results, datamodule classes."""

    def __init__(self, rule: Rule) -> None:
        super().__init__()
        self.rule = rule
        # (call, "trainer" | datamodule class | None for a call that is not a Lightning helper, method), one per
        # `.add_argparse_args(`/`.from_argparse_args(` call in source order
        self.helper_calls: list[tuple[cst.Call, str | None, str]] = []
        self.literal_flags: set[str] = set()
        self.parsed: set[str] = set()  # names bound to a parse_args() result
        self.reads: list[tuple[str, str]] = []  # (object name, attribute)
        self.datamodules: dict[str, cst.ClassDef] = {}
        self.classes: set[str] = set()  # every class this file defines
        self.assumed: set[str] = set()  # variables taken for datamodule classes by their name (dm_cls)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.add(node.name.value)
        for base in node.bases:
            path = canonical(self.rule.ctx.bindings.qualify(base.value))
            if is_class(path, "LightningDataModule"):
                self.datamodules[node.name.value] = node

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        match = _FLAG_LITERAL.match(node.value)
        if match:
            self.literal_flags.add(match.group(2))
        elif _COMMAND_LINE.match(node.value) and isinstance(node.evaluated_value, str):
            self.literal_flags.update(_COMMAND_LINE_FLAG.findall(node.evaluated_value))

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and \
                value.func.attr.value in _PARSE_METHODS:
            for target in node.targets:
                first = target.target
                if isinstance(first, cst.Tuple) and first.elements:
                    first = first.elements[0].value
                if isinstance(first, cst.Name):
                    self.parsed.add(first.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name):
            self.reads.append((node.value.value, node.attr.value))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _HELPER_METHODS:
            return
        method = func.attr.value
        kind, _ = trainer_call_kind(self.rule, func)
        owner = None
        if kind == f"classmethod:{method}":
            owner = "trainer"
        elif isinstance(func.value, cst.Name) and not _defines(self.datamodules.get(func.value.value), method) and (
                func.value.value in self.datamodules or _looks_like_imported_datamodule(func.value.value, self.rule)):
            owner = func.value.value
        elif dotted(func.value) not in (None, "self", "cls", "super") and \
                (dotted(func.value) or "").split(".")[0] not in self.classes:
            path = dotted(func.value) or ""
            last = path.rsplit(".", 1)[-1]
            if "DataModule" in last:
                owner = path  # a datamodule class from a library (pl_bolts.datamodules.MNISTDataModule)
            elif _DATAMODULE_VARIABLE.search(last):
                owner = path  # `dm_cls`: a datamodule class chosen at run time
                self.assumed.add(path)
            else:
                owner = "?" + code(func.value)  # a class held in a variable or imported: maybe a LightningDataModule
        self.helper_calls.append((node, owner, method))

    def lightning_helper_calls(self) -> list[tuple[cst.Call, str, str]]:
        return [(call, owner, method) for call, owner, method in self.helper_calls if owner is not None]

    def trainer_flags(self) -> tuple[list[str], bool]:
        """The Trainer flags the file shows, in the 1.9.5 parser's order; where it shows none but declares them
        with Trainer.add_argparse_args, the 1.9.5 flags the 2.x Trainer still takes, and --gpus. True when the
        second (the command lines are elsewhere)."""
        seen = self.literal_flags | {attr for name, attr in self.reads if name in self.parsed}
        shown = [name for name in _TRAINER_FLAGS if name in seen]
        if shown or not any(owner == "trainer" and method == "add_argparse_args"
                            for _, owner, method in self.helper_calls):
            return shown, False
        return [name for name in _TRAINER_FLAGS if name in _FLAGS_KEPT], True


class _Rewrite(FastTransformer):
    """Rewrites the helper statements of the finished module; the k-th helper call is the scan's k-th."""

    def __init__(self, rule: Rule, scan: _Scan) -> None:
        super().__init__()
        self.rule, self.ctx, self.scan = rule, rule.ctx, scan
        self.flags, self.all_flags = scan.trainer_flags()
        self.helpers: list[str] = []
        self._count = 0
        # helper calls inside the statement being left: (original call, owner, method, updated call)
        self._current: list[tuple[cst.Call, str, str, cst.Call]] = []
        self._dm_params: dict[str, list[tuple[str, str, str]] | None] = {}
        self._comments: list[str] = []  # review notes of the Trainer call a from_argparse_args became
        self._scopes: list[Scope] = []  # the module and functions around the node, for the Trainer rule

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Module, cst.FunctionDef)):
            self._scopes.append(Scope(node))
        return super().on_visit(node)

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Any:
        if isinstance(original, (cst.Module, cst.FunctionDef)):
            self._scopes.pop()
        if isinstance(original, cst.Call) and isinstance(original.func, cst.Attribute) and \
                original.func.attr.value in _HELPER_METHODS:
            index, self._count = self._count, self._count + 1
            if index < len(self.scan.helper_calls) and self.scan.helper_calls[index][1] is not None:
                found = self.scan.helper_calls[index]
                self._current.append((*found, updated))  # type: ignore[arg-type]
                if found[2] == "from_argparse_args":
                    return self._from_argparse_args(found, updated)
                if self._imported(found[1]):
                    return self._imported_add_argparse_args(found, updated)
            return updated
        if isinstance(original, cst.SimpleStatementLine) and self._current:
            current, self._current = self._current, []
            return self._statement(updated, current)
        if isinstance(original, cst.BaseCompoundStatement):
            self._current, self._comments = [], []
        return updated

    # -- add_argparse_args -------------------------------------------------------------------------------------------
    def _statement(self, stmt: cst.SimpleStatementLine, calls: list[tuple[cst.Call, str, str, cst.Call]]) -> Any:
        notes = [n for n in (self._note_for(call, owner, method) for call, owner, method, _ in calls) if n]
        notes += self._comments
        self._comments = []
        adds = [(call, owner, new) for call, owner, method, new in calls
                if method == "add_argparse_args" and not self._imported(owner)]
        if not adds:
            return with_comments(stmt, notes) if notes else stmt
        call, owner, new_call = adds[0]
        caveats = len(self.ctx.caveats)
        lines = self._add_argument_lines(stmt, call, new_call, owner) \
            if len(adds) == 1 and len(stmt.body) == 1 else None
        notes += [message for _, _, message in self.ctx.caveats[caveats:]]  # written above the new lines too
        if lines is None:
            for c, o, _ in adds:
                note = self._note_for(c, o, "add_argparse_args", force=True)
                if note and note not in notes:
                    notes.append(note)
            return with_comments(stmt, notes) if notes else stmt
        new = statements(lines)
        new[0] = new[0].with_changes(leading_lines=stmt.leading_lines)
        flattened = cst.FlattenSentinel(new)
        return with_comments(flattened, notes) if notes else flattened

    def _note_for(self, call: cst.Call, owner: str, method: str, force: bool = False) -> str | None:
        """The review note for a helper left as it is (None when it is rewritten)."""
        if owner == "trainer":
            if not force and ((self.flags and method == "add_argparse_args") or
                              (method == "from_argparse_args" and _namespace_arg(call) is not None)):
                return None
            message = facts.TRAINER_METHODS_REMOVED[method]
            self.ctx.note(call, self.rule, message, attach=False)
            return message
        if owner.startswith("?"):
            name = owner[1:]
            message = (f"{name}.{method}: if {name} is a LightningDataModule, this helper was removed in 2.0: declare "
                       f"its __init__ parameters with parser.add_argument(...) and build it as {name}(name=args.name, "
                       "...), or use LightningCLI")
            self.ctx.note(call, self.rule, message, attach=False)
            return message
        if (self._datamodule_params(owner) is not None or self._imported(owner)) and not force:
            return None
        message = (f"LightningDataModule.{method} was removed in 2.0: declare {owner}'s __init__ parameters with "
                   f"parser.add_argument(...) and build it as {owner}(name=args.name, ...), or use LightningCLI")
        self.ctx.note(call, self.rule, message, attach=False)
        return message

    def _add_argument_lines(self, stmt: cst.SimpleStatementLine, call: cst.Call, new_call: cst.Call,
                            owner: str) -> list[str] | None:
        """`parser.add_argument(...)` lines replacing `[target =] Owner.add_argparse_args(parser)`, else None."""
        small = stmt.body[0]
        positional = [a for a in new_call.args if a.keyword is None]
        # use_argument_group= only chose how 1.x grouped the flags in --help
        if len(positional) != 1 or positional[0].star or \
                any(keyword(a) not in (None, "use_argument_group") for a in new_call.args):
            return None
        parser = code(positional[0].value)
        if isinstance(small, cst.Assign):
            if small.value is not new_call or len(small.targets) != 1:
                return None
            target = code(small.targets[0].target)
        elif isinstance(small, cst.Expr) and small.value is new_call:
            target = parser
        else:
            return None
        first: list[str] = []
        if not is_simple_reference(positional[0].value):  # `add_argparse_args(ArgumentParser())`: build it once
            if target == parser:
                return None
            first, parser = [f"{target} = {parser}"], target
        if owner == "trainer":
            if not self.flags:
                return None
            lines = [self._trainer_flag_line(parser, flag) for flag in self.flags]
            shown = ", ".join(self.flags)
            if self.all_flags:
                self.ctx.change(call, self.rule, "Trainer.add_argparse_args -> explicit arguments for the 1.9 Trainer "
                                                 "flags 2.x still takes, and --gpus")
                dropped = ", ".join(f"--{f}" for f in _TRAINER_FLAGS if f not in _FLAGS_KEPT)
                self.ctx.caveat(call, self.rule, f"the parser no longer accepts the 1.x-only Trainer flags ({dropped})"
                                                 f"; add a {parser}.add_argument line for any your command lines pass")
            else:
                self.ctx.change(call, self.rule, f"Trainer.add_argparse_args -> explicit arguments for the Trainer "
                                                 f"flags this file uses ({shown})")
                self.ctx.caveat(call, self.rule, f"the parser now declares only the Trainer flags this file shows "
                                                 f"({shown}); add a {parser}.add_argument line for any other Trainer "
                                                 f"flag your command lines pass")
        else:
            params = self._datamodule_params(owner)
            if params is None:
                return None
            lines = [f'{parser}.add_argument("--{name}", type={type_}, default={default}{extra})'
                     for name, type_, default, extra in params]
            self.ctx.change(call, self.rule, f"{owner}.add_argparse_args -> explicit arguments for its __init__ "
                                             "parameters")
        if target != parser:
            lines.append(f"{target} = {parser}")
        return first + lines

    def _trainer_flag_line(self, parser: str, flag: str) -> str:
        default, kind = _TRAINER_FLAGS[flag]
        type_, helper, extra = _KINDS.get(kind, ("str", None, ""))
        if helper:
            self._need_helper(helper)
        default = render_source(_DEFAULT_OVERRIDES.get(flag, default), self.ctx.quote)
        return f'{parser}.add_argument("--{flag}", type={type_}, default={default}{extra})'

    def _need_helper(self, helper: str) -> None:
        for name in (*_HELPER_NEEDS.get(helper, ()), helper):
            if name not in self.helpers:
                self.helpers.append(name)

    def _datamodule_params(self, owner: str) -> list[tuple[str, str, str, str]] | None:
        """(name, type source, default source, extra keywords) per `__init__` parameter, None if unreadable."""
        if owner in self._dm_params:
            return self._dm_params[owner]
        cls = self.scan.datamodules.get(owner)
        params = _init_params(cls) if cls is not None else None
        if params is not None:
            for _, type_, _, _ in params:
                if type_ == "_str_to_bool":
                    self._need_helper(type_)
        self._dm_params[owner] = params
        return params

    # -- a datamodule imported from elsewhere: its __init__ is read at run time, as 1.x did -------------------------
    def _imported(self, owner: str) -> bool:
        return owner != "trainer" and not owner.startswith("?") and owner not in self.scan.datamodules

    def _assumed(self, call: cst.Call, owner: str) -> None:
        if owner in self.scan.assumed:
            message = (f"{owner} is taken for a LightningDataModule class (its name says so): if it defines its own "
                       "argparse helpers, restore this call")
            self.ctx.caveat(call, self.rule, message)
            self._comments.append(message)

    def _imported_add_argparse_args(self, found: tuple[cst.Call, str, str], call: cst.Call) -> cst.BaseExpression:
        original, owner, _ = found
        positional = [a for a in call.args if a.keyword is None]
        if len(positional) != 1 or positional[0].star or \
                any(keyword(a) not in (None, "use_argument_group") for a in call.args):
            return call  # noted by _note_for
        for helper in ("_str_to_bool_or_int", "_str_to_bool_or_str", "_int_or_float", "_add_init_arguments"):
            self._need_helper(helper)
        self.ctx.need_module("inspect")
        self.ctx.change(original, self.rule, f"{owner}.add_argparse_args(parser) -> _add_init_arguments(parser, "
                                             f"{owner}) (its __init__ parameters as flags, read at run time)")
        self._assumed(original, owner)
        return expr(f"_add_init_arguments({code(positional[0].value)}, {owner})")

    def _imported_from_argparse_args(self, original: cst.Call, owner: str, call: cst.Call) -> cst.BaseExpression:
        namespace, rest = call.args[0].value, list(call.args[1:])
        if any(a.star for a in rest):
            return call  # noted by _note_for
        given = render_source(tuple(keyword(a) for a in rest))
        self.ctx.need_module("inspect")
        skip = f" and k not in {given}" if rest else ""
        picked = expr(f"{{k: v for k, v in vars({code(namespace)}).items() "
                      f"if k in inspect.signature({owner}.__init__).parameters{skip}}}")
        self.ctx.change(original, self.rule, f"{owner}.from_argparse_args({code(namespace)}) -> {owner}(**<the "
                                             "__init__ parameters the namespace holds>), as 1.x picked them")
        self._assumed(original, owner)
        return set_args(call.with_changes(func=call.func.value), [cst.Arg(value=picked, star="**"), *rest])

    # -- from_argparse_args ------------------------------------------------------------------------------------------
    def _from_argparse_args(self, found: tuple[cst.Call, str, str], call: cst.Call) -> cst.BaseExpression:
        original, owner, _ = found
        args = list(call.args)
        if not args or args[0].keyword is not None or args[0].star:
            return call
        namespace, rest = args[0].value, args[1:]
        func = call.func.value  # type: ignore[attr-defined]
        given = {keyword(a) for a in rest}
        if owner == "trainer":
            name = dotted(namespace)
            if name in self.scan.parsed and self.flags:
                by_name = [make_kwarg(f, expr(f"{name}.{f}")) for f in self.flags if f not in given]
                message = f"Trainer.from_argparse_args({name}) -> Trainer(<flag>={name}.<flag>, ...)"
            else:
                # a namespace built by the script, or from elsewhere: its Trainer flags are picked when it runs
                by_name = [cst.Arg(value=namespace, star="**")]
                message = f"Trainer.from_argparse_args({code(namespace)}) -> Trainer(**<its Trainer arguments>)"
            new = _one_per_line(call.with_changes(func=func), [*by_name, *rest])
            self.ctx.change(original, self.rule, message)
            if not self.ctx.options.enabled(TrainerArgsRule):
                return new
            notes, caveats = len(self.ctx.notes), len(self.ctx.caveats)
            trainer_rule = TrainerArgsRule(self.ctx)
            trainer_rule._scopes = list(self._scopes)  # what the scopes around the call bind
            new = trainer_rule._constructor(original, new, legacy=True,  # legacy flags, 1.x device
                                            namespace=not by_name or by_name[0].star == "**")
            # the walk has left this statement: its notes are written by _statement
            self._comments += [m for _, _, m in self.ctx.notes[notes:] + self.ctx.caveats[caveats:]]
            return new
        if self._imported(owner):
            return self._imported_from_argparse_args(original, owner, call)
        params = self._datamodule_params(owner) if not owner.startswith("?") else None
        if params is None:
            return call
        name = code(namespace)
        wanted = [p for p, _, _, _ in params if p not in given]
        if _defines(self.scan.datamodules.get(owner), "add_argparse_args") and \
                not set(wanted) <= self.scan.literal_flags:
            # the user's own parser may not declare every parameter: 1.x passed only those the namespace has
            self.ctx.change(original, self.rule, f"{owner}.from_argparse_args({name}) -> {owner}(**<the parameters "
                                                 f"{name} holds>)")
            picked = expr(f"{{k: v for k, v in vars({name}).items() if k in {render_source(tuple(wanted))}}}")
            return set_args(call.with_changes(func=func), [cst.Arg(value=picked, star="**"), *rest])
        by_name = [make_kwarg(p, expr(f"{name}.{p}")) for p in wanted]
        self.ctx.change(original, self.rule, f"{owner}.from_argparse_args({name}) -> {owner}(<param>={name}.<param>, "
                                             "...)")
        return _one_per_line(call.with_changes(func=func), [*by_name, *rest])


def _namespace_arg(call: cst.Call) -> cst.BaseExpression | None:
    """The namespace of `X.from_argparse_args(namespace, ...)` when it is passed plainly."""
    first = call.args[0] if call.args else None
    return first.value if first is not None and first.keyword is None and not first.star else None


def _one_per_line(call: cst.Call, args: list[cst.Arg]) -> cst.Call:
    """`call` with `args`, one per line (indented one level) when there are more than three."""
    if len(args) <= 3:
        return set_args(call, args)

    def newline(indent: str) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), indent=True,
                                           last_line=cst.SimpleWhitespace(indent))

    comma = cst.Comma(whitespace_after=newline("    "))
    new = [a.with_changes(comma=comma) for a in args[:-1]]
    new.append(args[-1].with_changes(comma=cst.Comma(whitespace_after=newline(""))))
    return call.with_changes(args=new, whitespace_before_args=newline("    "))


def _defines(cls: cst.ClassDef | None, method: str) -> bool:
    """Whether a class of this file defines `method` itself (the user's own helper, not Lightning's)."""
    body = cls.body.body if cls is not None and isinstance(cls.body, cst.IndentedBlock) else ()
    return any(isinstance(s, cst.FunctionDef) and s.name.value == method for s in body)


def _looks_like_imported_datamodule(name: str, rule: Rule) -> bool:
    """`MNISTDataModule` imported from the user's own package: its parameters are not in this file (review note)."""
    qualified = rule.ctx.bindings.qualify(cst.Name(name))
    return "DataModule" in name and qualified is not None


def _init_params(cls: cst.ClassDef) -> list[tuple[str, str, str, str]] | None:
    """The `__init__` parameters of a datamodule class as command-line flags (1.x used their annotations)."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    init = next((s for s in body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"), None)
    if init is None:
        return None
    params = init.params
    if params.star_arg not in (cst.MaybeSentinel.DEFAULT, None) or params.star_kwarg is not None or \
            params.posonly_params:
        return None
    out = []
    for param in [*params.params, *params.kwonly_params][1:] if params.params else []:
        annotation = code(param.annotation.annotation) if param.annotation is not None else None
        if annotation not in _SIMPLE_TYPES or param.default is None:
            return None
        extra = ', nargs="?", const=True' if annotation == "bool" else ""
        out.append((param.name.value, _SIMPLE_TYPES[annotation], code(param.default), extra))
    return out or None


def _insert_helpers(module: cst.Module, helpers: list[str]) -> cst.Module:
    """The parsing helpers the new add_argument lines name, after the last top-level import (each once)."""
    defined = {s.name.value for s in module.body if isinstance(s, cst.FunctionDef)}
    new = [cst.parse_statement(_HELPERS[h]) for h in helpers if h not in defined]
    if not new:
        return module
    body = list(module.body)
    at = 0
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            at = i + 1
    blank = [cst.EmptyLine(), cst.EmptyLine()]
    new = [n.with_changes(leading_lines=blank) for n in new]
    if at < len(body):
        body[at] = body[at].with_changes(leading_lines=blank + [line for line in body[at].leading_lines
                                                                if line.comment is not None])
    return module.with_changes(body=body[:at] + new + body[at:])
