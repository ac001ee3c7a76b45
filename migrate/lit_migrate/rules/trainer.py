"""Rule family `trainer` (tables A and B.1): `Trainer(...)` arguments, `resume_from_checkpoint` moved to `fit`,
method keywords (`fit(train_dataloader=)`), and removed Trainer methods.

Every mapping comes from `legacy_facts`; this module only reads arguments out of the source and writes the
mapped ones back in place, keeping the call's formatting.
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from .. import legacy_facts as facts
from ..cstutil import FastTransformer, code, expr, find_kwarg, is_simple_reference, keyword, make_kwarg, set_args, with_args
from ..engine import FileContext, Rule, register, with_comments
from ..names import canonical, dotted, is_class
from ..values import DYNAMIC, literal_value, render_source
from . import runtime_args
from .trainer_kwargs import ApplyToScope, Scope, as_arguments, from_arguments, shown


def trainer_call_kind(rule: Rule, func: cst.BaseExpression) -> tuple[str | None, bool]:
    """("ctor" | "argparse:<method>" | None, written against the legacy namespace?) for a call's `func`."""
    qualified = rule.ctx.bindings.qualify(func)
    if qualified is None:
        return None, False
    legacy = facts.is_legacy_path(qualified)
    path = canonical(qualified)
    if is_class(path, "Trainer"):
        return "ctor", legacy
    if path and "." in path:
        owner, _, method = path.rpartition(".")
        if is_class(owner, "Trainer") and method in facts.TRAINER_METHODS_REMOVED:
            return f"classmethod:{method}", legacy
    return None, legacy


@register
class TrainerArgsRule(Rule):
    name = "trainer-args"
    family = "trainer"
    summary = "Trainer(...) arguments: positional order, gpus/tpu_cores/num_processes, precision, strategy names, " \
              "removed flags (A.1-A.6)"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._scopes: list[Scope] = []  # the module and the functions around the node being walked

    def visit_Module(self, node: cst.Module) -> None:
        self._scopes.append(Scope(node))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(Scope(node))

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        return self._leave_scope(original, updated)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return runtime_args.add_helper(self._leave_scope(original, updated), self.ctx, self.ctx.quote)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        kind, legacy = trainer_call_kind(self, original.func)
        if kind == "ctor":
            return self._constructor(original, updated, legacy)
        if kind is not None and kind.startswith("classmethod:"):
            method = kind.split(":", 1)[1]
            if method not in ("add_argparse_args", "from_argparse_args"):  # rules/argparse_helpers.py owns these
                self.ctx.note(original, self, facts.TRAINER_METHODS_REMOVED[method])
        return updated

    # -- Trainer(...) ------------------------------------------------------------------------------------------------
    def _constructor(self, original: cst.Call, call: cst.Call, legacy: bool, default_device: bool = True,
                     namespace: bool = False) -> cst.Call:
        """The call with its 1.x arguments rewritten (`namespace`: its `**mapping` is an argparse namespace)."""
        args = list(call.args)
        changed = False
        positional = [a for a in args if a.keyword is None and not a.star]
        if positional and legacy:
            if any(a.star == "*" for a in args):
                self.ctx.note(original, self, "positional Trainer arguments with *args: 2.x binds positions "
                                              "differently; pass them by keyword")
                return call
            names = facts.positional_trainer_names(len(positional))
            args = [make_kwarg(names[positional.index(a)], a.value, _first_kwarg(args)).with_changes(comma=a.comma)
                    if a in positional else a for a in args]
            self.ctx.change(original, self, f"positional Trainer arguments -> keywords ({', '.join(names)}): "
                                            "2.x binds positions to different parameters")
            if len(positional) > facts.TRAINER_POSITIONAL_STABLE:
                self.ctx.note(original, self, "positions after the 5th differed between 1.x releases; keywordized "
                                              "with the 1.9 order, check they mean what you wrote")
            changed = True

        named = {keyword(a): a for a in args if a.keyword is not None}
        values = {name: literal_value(a.value) for name, a in named.items()}
        replacement: dict[int, list[cst.Arg]] = {}  # index in args -> args that replace it
        new_callbacks: list[facts.ObjectSpec] = []
        callback_sources: list[int] = []  # arguments that turned into callbacks
        caveats: list[tuple[int, str]] = []
        imports: list[facts.ObjectSpec] = []
        messages: list[str] = []

        group = {k: v for k, v in values.items() if k in facts.DEVICE_GROUP}
        if facts.device_group_is_legacy({k: (v if v is not DYNAMIC else object()) for k, v in group.items()}):
            self._device_group(original, args, named, group, replacement, imports, messages)

        on_tpu = values.get("accelerator") == "tpu" or "tpu_cores" in values
        for i, arg in enumerate(args):
            name = keyword(arg)
            if name is None or name in facts.DEVICE_GROUP or i in replacement:
                continue
            value = values[name]
            if name == "resume_from_checkpoint":
                continue  # moved to fit() by TrainerResumeRule, which sees the whole block
            target = _assigned_name(self.ctx, original) if name in _TUNE_FLAGS and value else None
            if target is not None and value is not DYNAMIC and \
                    re.search(rf"\b{re.escape(target)}\s*\.\s*tune\s*\(", self.ctx.source):
                # 1.x read these only in trainer.tune(), which TrainerMethodsRule turns into Tuner calls
                self.ctx.tune_flags.setdefault(target, {})[name] = value
                replacement[i] = []
                messages.append(f"{name}={render_source(value, self.ctx.quote)} -> (dropped: 1.x used it only in "
                                f"{target}.tune(), which becomes Tuner({target}).{_TUNE_FLAGS[name]}(...))")
                continue
            if value is DYNAMIC:
                self._dynamic_arg(original, arg, name, replacement, i, messages)
                continue
            if not facts.trainer_arg_is_legacy(name, value):
                continue
            try:
                mapped = facts.map_trainer_arg(name, value, on_tpu=on_tpu)
            except facts.LegacyFactError as err:
                self.ctx.note(original, self, err.advice)
                continue
            replacement[i] = [make_kwarg(k, expr(render_source(v, self.ctx.quote, imports)), arg)
                              for k, v in mapped.trainer_kwargs.items()]
            if mapped.callbacks:
                callback_sources.append(i)
            new_callbacks.extend(mapped.callbacks)
            caveats.extend((i, caveat) for caveat in mapped.caveats)
            shown = ", ".join([code(a) for a in replacement[i]] +
                              [f"callbacks+=[{render_source(c, self.ctx.quote)}]" for c in mapped.callbacks])
            shown = shown or "(dropped)"
            messages.append(f"{name}={render_source(value, self.ctx.quote)} -> {shown}")

        unpacked = [a.value for a in args if a.star == "**"]
        at_run_time = None  # the index of a `**mapping` translated when the script runs
        overrides = None  # a second `**mapping`, merged into the first when the script runs
        if legacy and unpacked and not any(runtime_args.is_wrapped(v) for v in unpacked) and \
                not self._follow_dicts(original, unpacked, set(values)):
            if len(unpacked) <= 2:
                stars = [i for i, a in enumerate(args) if a.star == "**"]
                at_run_time = stars[0]
                replacement.setdefault(at_run_time, [args[at_run_time]])
                if len(stars) == 2:
                    overrides, replacement[stars[1]] = args[stars[1]].value, []
            else:
                self.ctx.note(original, self, "Trainer(**a, **b, **c): arguments built elsewhere may still use 1.x "
                                              "names (gpus=, resume_from_checkpoint=, ...); merge them into one "
                                              "mapping, or check them against the migration table")
        if legacy and default_device and not (facts.DEVICE_SELECTING_ARGS & set(values)) and not unpacked:
            replacement.setdefault(-1, []).extend(
                make_kwarg(k, expr(render_source(v, self.ctx.quote)), _first_kwarg(args))
                for k, v in facts.DEFAULT_DEVICE_1X.items())
            messages.append('no device argument: accelerator="cpu" keeps the 1.x default (2.x would take every GPU)')

        if new_callbacks and not self._add_callbacks(original, args, named, new_callbacks, replacement, imports):
            for i in callback_sources:  # the callbacks list is built elsewhere: leave these arguments as they are
                del replacement[i]
            messages = [m for m in messages if "callbacks+=" not in m]
            imports = [spec for spec in imports if spec not in new_callbacks]
            caveats = [(i, c) for i, c in caveats if i not in callback_sources]
        for _, caveat in caveats:
            self.ctx.caveat(original, self, caveat)
        if not replacement:
            return set_args(call, args) if changed else call
        for spec in imports:
            self.ctx.need_import(spec.module, spec.name)
        new_args: list[cst.Arg] = []
        for i, arg in enumerate(args):
            new_args.extend(replacement.get(i, [arg]))
        new_args.extend(replacement.get(-1, []))
        if at_run_time is not None:
            given = [keyword(a) for a in new_args if a.keyword is not None]
            position = new_args.index(replacement[at_run_time][0])
            mapping = new_args[position].value
            new_args[position] = new_args[position].with_changes(
                value=runtime_args.wrap(mapping, given, namespace, overrides))
            runtime_args.request(self.ctx)
            messages.append(f"Trainer(**{code(mapping)}): its 1.x arguments are translated when the script runs "
                            f"({runtime_args.HELPER_NAME}, added to this file)")
        for message in messages:
            self.ctx.change(original, self, message)
        return set_args(call.with_changes(args=args), new_args) if new_args or args else call

    # -- Trainer(**kwargs) with kwargs a dict literal of this scope (rules/trainer_kwargs.py) ---------------------------
    def _follow_dicts(self, call: cst.Call, unpacked: list[cst.BaseExpression], explicit: set[str | None]) -> bool:
        """Whether every `**name` of a Trainer call is a dict literal of this scope that translates cleanly."""
        default_device = len(unpacked) == 1 and not (facts.DEVICE_SELECTING_ARGS & explicit)
        followed = [self._follow(call, value, explicit, default_device) for value in unpacked]
        return all(followed)

    def _follow(self, call: cst.Call, value: cst.BaseExpression, explicit: set[str | None],
                default_device: bool) -> bool:
        if not isinstance(value, cst.Name) or not self.ctx.statement_stack:
            return False  # not a name, or a call built after the walk (from_argparse_args): nothing to rewrite then
        name = value.value
        scope = next((s for s in reversed(self._scopes) if s.writes(name) is not None), None)
        writes = scope.writes(name) if scope is not None else None
        if writes is None or not writes.only_dicts:
            return False
        for literal in writes.literals:  # a dry run: the translation must need no review note
            scratch = FileContext("", self.ctx.options)
            scratch.bindings = self.ctx.bindings
            fake = cst.Call(func=cst.Name("Trainer"), args=as_arguments(literal))
            new = TrainerArgsRule(scratch)._constructor(call, fake, legacy=True, default_device=default_device)
            if scratch.notes or scratch.caveats or {keyword(a) for a in new.args} & explicit:
                return False
        scope.followed[name] = (call, default_device, self.ctx.statement_stack[-1])
        return True

    def _is_list_variable(self, name: str) -> bool:
        """Whether this scope binds `name` only to list displays (`callbacks = [...]`, `callbacks += [...]`)."""
        scope = next((s for s in reversed(self._scopes) if s.writes(name) is not None), None)
        return scope is not None and scope.writes(name).only_lists  # type: ignore[union-attr]

    def _leave_scope(self, original: Any, updated: Any) -> Any:
        if not self._scopes or self._scopes[-1].node is not original:
            return updated  # a function the walk skipped (nothing in it is Lightning code)
        scope = self._scopes.pop()
        if not scope.followed:
            return updated

        def rewrite(name: str, literal: cst.BaseExpression) -> cst.BaseExpression:
            call, default_device, statement = scope.followed[name]
            fake = cst.Call(func=cst.Name("Trainer"), args=as_arguments(literal))
            changes = len(self.ctx.changes)
            self.ctx.statement_stack.append(statement)  # report the changes on the line of the call
            try:
                new = self._constructor(call, fake, legacy=True, default_device=default_device)
                if len(self.ctx.changes) == changes:
                    return literal
                self.ctx.change(call, self, f"{name} = {shown(literal)}: the 1.x Trainer arguments this call "
                                            "unpacks were rewritten where the dict is built")
            finally:
                self.ctx.statement_stack.pop()
            return from_arguments(literal, list(new.args), self.ctx.quote)

        return updated.visit(ApplyToScope(rewrite, set(scope.followed), isinstance(original, cst.Module)))

    def _device_group(self, original: cst.Call, args: list[cst.Arg], named: dict[str | None, cst.Arg],
                      group: dict[str, Any], replacement: dict[int, list[cst.Arg]],
                      imports: list[facts.ObjectSpec], messages: list[str]) -> None:
        positions = [i for i, a in enumerate(args) if keyword(a) in group]
        first = positions[0]
        like = args[first]
        dynamic = [k for k, v in group.items() if v is DYNAMIC]
        if not dynamic:
            try:
                mapped = facts.translate_device_kwargs(group)
            except facts.LegacyFactError as err:
                self.ctx.note(original, self, err.advice)
                return
            new = [make_kwarg(k, expr(render_source(v, self.ctx.quote, imports)), like)
                   for k, v in mapped.trainer_kwargs.items()]
            for caveat in mapped.caveats:
                self.ctx.caveat(original, self, caveat)
        elif dynamic == ["gpus"]:
            rest = {k: v for k, v in group.items() if k != "gpus"}
            found = self._dynamic_gpus(original, named["gpus"].value, rest, imports)
            if found is None:
                return
            new = [make_kwarg(k, expr(v), like) for k, v in found.items()]
        elif "gpus" in dynamic and set(group) <= _RUNTIME_DEVICE_FLAGS and set(group) == set(dynamic) and \
                all(is_simple_reference(named[k].value) for k in group):
            # the flags of a 1.x command line (--gpus with --accelerator/--devices/--strategy): gpus wins when set
            refs = {k: code(named[k].value) for k in group}
            gpus = refs["gpus"]
            q = self.ctx.quote
            condition = f"{gpus} in {render_source(facts.GPUS_CPU_VALUES, q)}"
            on_cpu_accelerator = refs.get("accelerator", f"{q}cpu{q}")
            on_cpu_devices = refs.get("devices", f"{q}auto{q}" if "accelerator" in refs else "1")
            new = [make_kwarg("accelerator", expr(f"{on_cpu_accelerator} if {condition} else "
                                                  f"{q}{facts.ACCELERATOR_FOR_GPUS}{q}"), like),
                   make_kwarg("devices", expr(f"{on_cpu_devices} if {condition} else {gpus}"), like)]
            if "strategy" in refs:
                new.append(named["strategy"].with_changes(comma=like.comma))
        elif len(dynamic) <= 2 and (split := _literal_choice(named, dynamic)) is not None:
            # `accelerator="ddp" if args.gpus > 1 else None`: each outcome translated, joined on the same test
            key, choice = split
            caveats: list[str] = []
            outcomes = [self._group_sources(original, named, {**group, key: literal_value(branch)}, imports,
                                            caveats) for branch in (choice.body, choice.orelse)]
            if outcomes[0] is None or outcomes[1] is None:
                return
            for caveat in dict.fromkeys(caveats):
                self.ctx.caveat(original, self, caveat)
            found = _join_branches(_as_test(choice.test), outcomes[0], outcomes[1], self.ctx.quote)
            new = [make_kwarg(k, expr(v), like) for k, v in found.items()]
        else:
            self.ctx.note(original, self, "device arguments " + ", ".join(f"{k}=..." for k in dynamic) +
                          " are computed at run time: rewrite them as accelerator=/devices=/strategy= "
                          "(see the gpus/tpu_cores/num_processes rules of the migration table, A.3-A.5)")
            return
        replacement[first] = new
        for i in positions[1:]:
            replacement[i] = []
        before = ", ".join(code(args[i]).rstrip(", \n") for i in positions)
        messages.append(f"{before} -> {', '.join(code(a) for a in new)}")

    def _group_sources(self, original: cst.Call, named: dict[str | None, cst.Arg], group: dict[str, Any],
                       imports: list[facts.ObjectSpec], caveats: list[str]) -> dict[str, str] | None:
        """keyword -> source for a device group that is literal, or literal but for gpus (None: noted)."""
        dynamic = [k for k, v in group.items() if v is DYNAMIC]
        if dynamic == ["gpus"]:
            rest = {k: v for k, v in group.items() if k != "gpus"}
            return self._dynamic_gpus_kwargs(original, named["gpus"].value, rest, imports, caveats)
        if dynamic:
            self.ctx.note(original, self, "device arguments " + ", ".join(f"{k}=..." for k in dynamic) +
                          " are computed at run time: rewrite them as accelerator=/devices=/strategy= "
                          "(see the gpus/tpu_cores/num_processes rules of the migration table, A.3-A.5)")
            return None
        try:
            return self._translate_devices(caveats, group, imports)
        except facts.LegacyFactError as err:
            self.ctx.note(original, self, err.advice)
            return None

    def _dynamic_gpus(self, original: cst.Call, value: cst.BaseExpression, rest: dict[str, Any],
                      imports: list[facts.ObjectSpec]) -> dict[str, str] | None:
        """accelerator=/devices=/strategy= sources for a run-time `gpus=<value>` with the exact 1.x rule (A.3).

        The rest of the device group is literal. Both outcomes of the 1.x rule are translated here, then joined
        into conditional expressions on the same value (`gpus=1 if cuda else 0` -> `"cuda" if cuda else "cpu"`).
        """
        q = self.ctx.quote
        caveats: list[str] = []
        found = self._dynamic_gpus_kwargs(original, value, rest, imports, caveats)
        if found is not None:
            for caveat in dict.fromkeys(caveats):
                self.ctx.caveat(original, self, caveat)
        return found

    def _dynamic_gpus_kwargs(self, original: cst.Call, value: cst.BaseExpression, rest: dict[str, Any],
                             imports: list[facts.ObjectSpec], caveats: list[str]) -> dict[str, str] | None:
        q = self.ctx.quote
        try:
            if isinstance(value, cst.IfExp) and DYNAMIC not in (literal_value(value.body),
                                                                literal_value(value.orelse)):
                when_true = self._translate_devices(caveats, {**rest, "gpus": literal_value(value.body)}, imports)
                when_false = self._translate_devices(caveats, {**rest, "gpus": literal_value(value.orelse)}, imports)
                return _join_branches(_as_test(value.test), when_true, when_false, q)
            if not _repeatable(value):
                self.ctx.note(original, self, f"gpus={code(value)} calls a function lit-migrate cannot repeat: "
                                              "assign it to a variable and pass gpus=<variable>, or rewrite it as "
                                              "accelerator=/devices= (migration table A.3)")
                return None
            ref = _parenthesized(value)
            on_cpu = self._translate_devices(caveats, {**rest, "gpus": 0}, imports)
            on_gpu = self._translate_devices(caveats, {**rest, "gpus": _GPUS_PROBE}, imports)
        except facts.LegacyFactError as err:
            self.ctx.note(original, self, err.advice)
            return None
        probe = render_source(_GPUS_PROBE)
        if on_gpu.get("devices") != probe or any(probe in v for k, v in on_gpu.items() if k != "devices"):
            self.ctx.note(original, self, f"gpus={code(value)} is computed at run time and combined with other "
                                          "device flags: rewrite them as accelerator=/devices=/strategy= "
                                          "(migration table A.3-A.5)")
            return None
        on_gpu["devices"] = ref
        condition = f"{ref} in {render_source(facts.GPUS_CPU_VALUES, q)}"
        return _join_branches(condition, on_cpu, on_gpu, q)

    def _translate_devices(self, caveats: list[str], group: dict[str, Any],
                           imports: list[facts.ObjectSpec]) -> dict[str, str]:
        """A literal device group as 2.x keyword -> source."""
        mapped = facts.translate_device_kwargs(group)
        caveats.extend(mapped.caveats)
        return {k: render_source(v, self.ctx.quote, imports) for k, v in mapped.trainer_kwargs.items()}

    def _dynamic_arg(self, original: cst.Call, arg: cst.Arg, name: str, replacement: dict[int, list[cst.Arg]],
                     index: int, messages: list[str]) -> None:
        fact = facts.TRAINER_ARGS.get(name)
        if fact is None or name in facts.TRAINER_2X_PARAMS:
            return  # a 2.x argument (its legacy values, e.g. precision=16, still work with a warning)
        if fact.rename_to:
            replacement[index] = [arg.with_changes(keyword=cst.Name(fact.rename_to))]
            messages.append(f"{name}= -> {fact.rename_to}=")
        else:
            self.ctx.note(original, self, f"{name}=<expression>: {fact.advice}")

    def _add_callbacks(self, original: cst.Call, args: list[cst.Arg], named: dict[str | None, cst.Arg],
                       specs: list[facts.ObjectSpec], replacement: dict[int, list[cst.Arg]],
                       imports: list[facts.ObjectSpec]) -> bool:
        rendered = [render_source(s, self.ctx.quote, imports) for s in specs]
        existing = named.get("callbacks")
        if existing is None:
            replacement.setdefault(-1, []).append(
                make_kwarg("callbacks", expr("[" + ", ".join(rendered) + "]"), _first_kwarg(args)))
            return True
        index = args.index(existing)
        value = existing.value
        if isinstance(value, cst.List):
            elements = [e.value for e in value.elements]
            new_list = "[" + ", ".join([code(e) for e in elements] + rendered) + "]"
            replacement[index] = [existing.with_changes(value=expr(new_list))]
            return True
        if isinstance(value, cst.Name) and value.value == "None":
            replacement[index] = [existing.with_changes(value=expr("[" + ", ".join(rendered) + "]"))]
            return True
        if isinstance(value, cst.Name) and self._is_list_variable(value.value):
            replacement[index] = [existing.with_changes(value=expr(f"[*{value.value}, " + ", ".join(rendered) + "]"))]
            return True
        self.ctx.note(original, self, "add " + ", ".join(rendered) + " to the callbacks list (it is built "
                                                                      "elsewhere, so lit-migrate left it alone)")
        return False


# Device flags a 1.x command line could set together (all read at run time)
_RUNTIME_DEVICE_FLAGS = frozenset({"gpus", "accelerator", "devices", "strategy"})
# A gpus value no real script uses: translating it shows where the 1.x rule puts the device count.
_GPUS_PROBE = 7919
# What 2.x assumes for a device keyword that one outcome of a run-time gpus= value does not set.
_DEVICE_DEFAULTS: dict[str, Any] = {"accelerator": "auto", "devices": 1, "strategy": "auto"}
# Calls that are cheap and side-effect free, so a gpus= expression using them can be evaluated twice.
_PURE_CALLS = frozenset({"int", "str", "len", "bool", "min", "max", "torch.cuda.device_count",
                         "torch.cuda.is_available"})


def _repeatable(node: cst.BaseExpression) -> bool:
    """Whether evaluating `node` twice is harmless (names, literals, operators, a few pure calls)."""
    if is_simple_reference(node) or literal_value(node) is not DYNAMIC:
        return True
    if isinstance(node, cst.Call):
        return dotted(node.func) in _PURE_CALLS and all(not a.star and _repeatable(a.value) for a in node.args)
    if isinstance(node, cst.IfExp):
        return all(_repeatable(n) for n in (node.test, node.body, node.orelse))
    if isinstance(node, cst.BinaryOperation):
        return _repeatable(node.left) and _repeatable(node.right)
    if isinstance(node, cst.BooleanOperation):
        return _repeatable(node.left) and _repeatable(node.right)
    if isinstance(node, cst.UnaryOperation):
        return _repeatable(node.expression)
    if isinstance(node, cst.Comparison):
        return _repeatable(node.left) and all(_repeatable(c.comparator) for c in node.comparisons)
    return False


def _literal_choice(named: dict[str | None, cst.Arg], dynamic: list[str]) -> tuple[str, cst.IfExp] | None:
    """A device argument other than gpus written `a if test else b` with literal a and b."""
    for key in dynamic:
        value = named[key].value
        if key != "gpus" and isinstance(value, cst.IfExp) and \
                DYNAMIC not in (literal_value(value.body), literal_value(value.orelse)):
            return key, value
    return None


def _as_test(node: cst.BaseExpression) -> str:
    """`node` as the test of a conditional expression."""
    text = code(node)
    return f"({text})" if isinstance(node, (cst.IfExp, cst.Lambda, cst.NamedExpr)) and not node.lpar else text


def _parenthesized(node: cst.BaseExpression) -> str:
    """`node` as an operand of `in` / of a conditional expression (bracketed where it binds more loosely)."""
    text = code(node)
    looser = isinstance(node, (cst.IfExp, cst.Lambda, cst.NamedExpr, cst.BooleanOperation, cst.Comparison)) or \
        (isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not))
    return f"({text})" if looser and not node.lpar else text


def _join_branches(condition: str, when_true: dict[str, str], when_false: dict[str, str],
                   quote: str) -> dict[str, str]:
    """keyword -> `a if condition else b` (or the shared value), accelerator/devices/strategy first."""
    defaults = {k: render_source(v, quote) for k, v in _DEVICE_DEFAULTS.items()}
    out = {}
    for key in dict.fromkeys([*_DEVICE_DEFAULTS, *when_true, *when_false]):
        if key not in when_true and key not in when_false:
            continue
        a = when_true.get(key, defaults.get(key, "None"))
        b = when_false.get(key, defaults.get(key, "None"))
        out[key] = a if a == b else f"{a} if {condition} else {b}"
    return out


def _first_kwarg(args: list[cst.Arg]) -> cst.Arg | None:
    return next((a for a in args if a.keyword is not None), None)


@register
class TrainerResumeRule(Rule):
    name = "trainer-resume"
    family = "trainer"
    summary = "Trainer(resume_from_checkpoint=p) -> trainer.fit(..., ckpt_path=p) in the same block (A.1)"
    order = 60

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """`Trainer(..., resume_from_checkpoint=p).fit(model)`: the chained form."""
        func = updated.func
        if isinstance(func, cst.Attribute) and func.attr.value == "fit" and isinstance(func.value, cst.Call):
            inner = func.value
            arg = find_kwarg(inner, "resume_from_checkpoint")
            if arg is not None and trainer_call_kind(self, inner.func)[0] == "ctor" and \
                    find_kwarg(updated, "ckpt_path") is None:
                new_inner = set_args(inner, [a for a in inner.args if a is not arg])
                self.ctx.change(original, self, "resume_from_checkpoint= moved to fit(ckpt_path=)")
                return set_args(updated.with_changes(func=func.with_changes(value=new_inner)),
                                [*updated.args, make_kwarg("ckpt_path", arg.value, arg)])
        return updated

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._block(original.body, updated.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(body=self._block(original.body, updated.body))

    def _block(self, originals: Any, body: Any) -> list[Any]:
        body = list(body)
        originals = list(originals) if len(originals) == len(body) else list(body)
        for i, stmt in enumerate(body):
            found = _trainer_assignment(self, stmt)
            if found is None:
                continue
            target, call, arg = found
            moved = False
            for j in range(i + 1, len(body)):
                mover = _AddCkptPath(target, arg.value)
                body[j] = body[j].visit(mover)
                moved = moved or mover.count > 0
            if moved:
                new_call = set_args(call, [a for a in call.args if a is not arg])
                body[i] = stmt.visit(_ReplaceNode(call, new_call))
                self.ctx.change(originals[i], self, f"resume_from_checkpoint= moved to {target}.fit(ckpt_path=)")
            else:
                message = (f"resume_from_checkpoint= is gone in 2.x: pass ckpt_path={code(arg.value)} to "
                           f"{target}.fit(...) (no fit() call on {target} found in this block)")
                self.ctx.note(originals[i], self, message, attach=False)
                body[i] = with_comments(body[i], [message])
        return body


def _trainer_assignment(rule: Rule, stmt: Any) -> tuple[str, cst.Call, cst.Arg] | None:
    """`target = Trainer(..., resume_from_checkpoint=p, ...)` -> (target source, the call, the argument)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target, value = small.targets[0].target, small.value
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        target, value = small.target, small.value
    else:
        return None
    if not isinstance(value, cst.Call) or trainer_call_kind(rule, value.func)[0] != "ctor":
        return None
    arg = find_kwarg(value, "resume_from_checkpoint")
    if arg is None or dotted(target) is None:
        return None
    return dotted(target), value, arg  # type: ignore[return-value]


class _AddCkptPath(FastTransformer):
    def __init__(self, target: str, value: cst.BaseExpression) -> None:
        super().__init__()
        self.target, self.value, self.count = target, value, 0

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = updated.func
        if isinstance(func, cst.Attribute) and func.attr.value == "fit" and dotted(func.value) == self.target \
                and find_kwarg(updated, "ckpt_path") is None:
            self.count += 1
            return set_args(updated, [*updated.args, make_kwarg("ckpt_path", self.value,
                                                                _first_kwarg(list(updated.args)))])
        return updated


class _ReplaceNode(FastTransformer):
    def __init__(self, old: cst.CSTNode, new: cst.CSTNode) -> None:
        super().__init__()
        self.old, self.new = old, new

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Any:
        return self.new if original is self.old else updated


@register
class TrainerMethodsRule(Rule):
    name = "trainer-methods"
    family = "trainer"
    summary = "trainer.fit/validate/test/predict keyword renames, trainer.tuner -> Tuner(trainer), removed Trainer " \
              "methods (B.1)"

    def visit_Assign(self, node: cst.Assign) -> None:
        """`fitter = Trainer(...)`: `fitter` is a trainer wherever this file uses it, whatever its name."""
        if isinstance(node.value, cst.Call) and trainer_call_kind(self, node.value.func)[0] in _MAKES_TRAINER:
            self.ctx.followed_names.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> Any:
        func = updated.func
        if not isinstance(func, cst.Attribute):
            return updated
        method = func.attr.value
        if method in facts.TUNER_METHOD_1X_DEFAULTS:
            return self._tuner_call(original, updated, func)
        if method not in _METHOD_NAMES:
            return updated
        renames = facts.TRAINER_METHOD_KWARG_RENAMES.get(method)
        if renames and is_trainer_receiver(self.ctx, func.value):
            new_args, done = [], []
            for arg in updated.args:
                name = keyword(arg)
                if name in renames and find_kwarg(updated, renames[name]) is None:
                    new_args.append(arg.with_changes(keyword=cst.Name(renames[name])))
                    done.append(f"{method}({name}=) -> {method}({renames[name]}=)")
                else:
                    new_args.append(arg)
            if done:
                for message in done:
                    self.ctx.change(original, self, message)
                return updated.with_changes(args=new_args)
        if method in facts.TRAINER_METHODS_REMOVED and method not in facts.ARGPARSE_HELPERS and \
                is_trainer_receiver(self.ctx, func.value) and not updated.args:
            template = facts.TRAINER_METHOD_REPLACEMENTS.get(method)
            if template:
                self.ctx.change(original, self, f".{method}() -> " + template.format(obj="trainer"))
                return expr(template.format(obj=code(func.value)))
            self.ctx.note(original, self, facts.TRAINER_METHODS_REMOVED[method])
        elif method == "tune" and is_trainer_receiver(self.ctx, func.value):
            tuned = self._tune(original, updated, func)
            if tuned is not None:
                return tuned
            self.ctx.note(original, self, facts.TRAINER_METHODS_REMOVED["tune"])
        return updated

    def _tune(self, original: cst.Call, call: cst.Call, func: cst.Attribute) -> cst.BaseExpression | None:
        """`trainer.tune(model, ...)` of a Trainer built here with auto_scale_batch_size/auto_lr_find -> the Tuner
        calls 1.x made, in its order (batch size first), with its defaults (mode, update_attr, attr_name); the
        result is 1.x's dict unless the call is a statement of its own."""
        flags = self.ctx.tune_flags.get(func.value.value) if isinstance(func.value, cst.Name) else None
        if not flags or any(a.star for a in call.args):
            return None
        passed, extra = [], {"scale_batch_size": [], "lr_find": []}
        for arg in call.args:
            name = keyword(arg)
            if name in ("scale_batch_size_kwargs", "lr_find_kwargs"):
                entries = arg.value.elements if isinstance(arg.value, cst.Dict) else None
                if entries is None or not all(isinstance(e, cst.DictElement) and isinstance(literal_value(e.key), str)
                                              for e in entries):
                    return None
                extra[name[:-len("_kwargs")]] = [make_kwarg(literal_value(e.key), e.value) for e in entries]
            else:
                passed.append(arg)
        defaults = {}
        if flags.get("auto_scale_batch_size"):
            value = flags["auto_scale_batch_size"]
            defaults["scale_batch_size"] = {"mode": "power" if value is True else value}
        if flags.get("auto_lr_find"):
            value = flags["auto_lr_find"]
            defaults["lr_find"] = {"attr_name": value} if isinstance(value, str) else {}
        spec = facts.TUNER_CLASS
        self.ctx.need_import(spec.module, spec.name)
        receiver = code(func.value)
        calls = []
        for method, own in defaults.items():
            given = {keyword(a) for a in extra[method]}
            added = [make_kwarg(k, expr(render_source(v, self.ctx.quote))) for k, v in own.items() if k not in given]
            mode = next((literal_value(a.value) for a in [*extra[method], *added] if keyword(a) == "mode"), None)
            if mode == "power":
                # 1.x doubled after its last trial too (returning a size it never tried); 2.x keeps the last tried
                extra[method], added = _one_more_trial(extra[method]), added + ([] if "max_trials" in given else [
                    make_kwarg("max_trials", expr(str(facts.SCALE_BATCH_SIZE_MAX_TRIALS_1X + 1)))])
            new_args = [*passed, *extra[method], *added]
            calls.append((method, cst.Call(func=expr(f"{spec.name}({receiver}).{method}"),
                                           args=with_args(call.args, new_args))))
        stmt = self.ctx.statement_stack[-1] if self.ctx.statement_stack else None
        alone = isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr) and \
            stmt.body[0].value is original
        shown = " and ".join(f"Tuner({receiver}).{m}(...)" for m, _ in calls)
        self.ctx.change(original, self, f"{receiver}.tune(...) -> {shown} (tune() was removed in 2.0; 1.x ran "
                                        "these for the Trainer's auto_* flags)")
        if alone and len(calls) == 1:
            return calls[0][1]
        return cst.Dict([cst.DictElement(expr(render_source(m, self.ctx.quote)), c) for m, c in calls])

    def _tuner_call(self, original: cst.Call, call: cst.Call, func: cst.Attribute) -> cst.Call:
        """`trainer.tuner.lr_find(...)` -> `Tuner(trainer).lr_find(..., update_attr=False)` (1.x's default)."""
        owner = func.value
        if not (isinstance(owner, cst.Attribute) and owner.attr.value == "tuner" and
                is_trainer_receiver(self.ctx, owner.value)):
            return call
        method = func.attr.value
        if any(a.star for a in call.args):
            self.ctx.note(original, self, f"{code(owner)} was removed in 2.0: call Tuner({code(owner.value)})."
                                          f"{method}(...) (from lightning.pytorch.tuner import Tuner)")
            return call
        given = {keyword(a) for a in call.args}
        positional = sum(1 for a in call.args if a.keyword is None)
        added = [make_kwarg(k, expr(render_source(v, self.ctx.quote)), _first_kwarg(list(call.args)))
                 for k, v in facts.TUNER_METHOD_1X_DEFAULTS[method].items()
                 if k not in given and positional <= _TUNER_POSITIONS[method].index(k)]
        args = list(call.args)
        mode_arg = find_kwarg(call, "mode")
        mode = literal_value(mode_arg.value) if mode_arg is not None else "power"
        if method == "scale_batch_size" and positional <= 5 and mode == "power":
            args = _one_more_trial(args)  # see _tune: 1.x doubled once more after its last trial
            if "max_trials" not in given:
                added.append(make_kwarg("max_trials", expr(str(facts.SCALE_BATCH_SIZE_MAX_TRIALS_1X + 1)),
                                        _first_kwarg(args)))
        spec = facts.TUNER_CLASS
        self.ctx.need_import(spec.module, spec.name)
        new_func = func.with_changes(value=cst.Call(func=cst.Name(spec.name), args=[cst.Arg(owner.value)]))
        shown = "".join(f", {code(a)}" for a in added)
        self.ctx.change(original, self, f"{code(owner)}.{method}(...) -> Tuner({code(owner.value)}).{method}(...{shown})"
                                        " (trainer.tuner was removed in 2.0)")
        new = call.with_changes(func=new_func)
        return set_args(new, [*args, *added]) if added or args != list(call.args) else new


_METHOD_NAMES = frozenset(facts.TRAINER_METHOD_KWARG_RENAMES) | frozenset(facts.TRAINER_METHODS_REMOVED)
_TUNE_FLAGS = {"auto_scale_batch_size": "scale_batch_size", "auto_lr_find": "lr_find"}


def _one_more_trial(args: list[cst.Arg]) -> list[cst.Arg]:
    """`max_trials=n` -> `max_trials=n + 1` (a literal n becomes its sum)."""
    out = []
    for arg in args:
        if keyword(arg) == "max_trials":
            n = literal_value(arg.value)
            value = str(n + 1) if isinstance(n, int) and not isinstance(n, bool) else f"{code(arg.value)} + 1"
            arg = arg.with_changes(value=expr(value))
        out.append(arg)
    return out


def _assigned_name(ctx: Any, call: cst.Call) -> str | None:
    """`name` when the statement being walked is `name = <call>`."""
    stmt = ctx.statement_stack[-1] if ctx.statement_stack else None
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
        assign = stmt.body[0]
        if assign.value is call and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
            return assign.targets[0].target.value
    return None
_MAKES_TRAINER = ("ctor", "classmethod:from_argparse_args")
# The parameters of the tuner methods in order (the same in 1.9 and 2.x), to tell whether a positional argument
# already gave the one whose default changed.
_TUNER_POSITIONS = {
    "lr_find": ("model", "train_dataloaders", "val_dataloaders", "dataloaders", "datamodule", "method", "min_lr",
                "max_lr", "num_training", "mode", "early_stop_threshold", "update_attr"),
    "scale_batch_size": (),
}
# Roots of dotted names that hold configuration, not objects: `config.trainer.gpus` is a config value.
_CONFIG_ROOTS = ("config", "cfg", "conf", "args", "hparams", "hp", "opt", "opts", "options", "params", "settings",
                 "flags", "hyperparams")


def is_trainer_receiver(ctx: Any, node: cst.BaseExpression) -> bool:
    """`trainer`, `self.trainer`, `pl_trainer`, `Trainer(...)`, or a name this file bound to a Trainer."""
    if isinstance(node, cst.Call):
        path = dotted(node.func)
        return path is not None and path.rsplit(".", 1)[-1] == "Trainer"
    path = dotted(node)
    return path is not None and is_trainer_path(ctx, path, exact=False)


def is_trainer_path(ctx: Any, path: str, exact: bool = True) -> bool:
    """Whether a dotted name holds a Trainer: a name the file bound to one, or a trainer-like name (`trainer`,
    `self.trainer`; with exact=False any name containing "trainer") not read from a configuration object."""
    if path in ctx.followed_names:
        return True
    parts = path.split(".")
    last = parts[-1].lower()
    if not (last in ("trainer", "_trainer", "pl_trainer") if exact else "trainer" in last):
        return False
    return not any(p.lower() in _CONFIG_ROOTS or "config" in p.lower() or "cfg" in p.lower() for p in parts[:-1])
