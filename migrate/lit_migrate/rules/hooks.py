"""Rule family `hooks` (table C.1, C.2, C.5): hooks in LightningModule and Callback subclasses.

- `training_epoch_end(self, outputs)` & co. -> `on_*_epoch_end(self)`, the step outputs collected on `self`
  (appended in the step in the form 1.x passed them, cleared at epoch end), as the 2.0 upgrade guide does;
- `*_step_end(self, out)`: 1.x fed each step's return value through it; the step now calls it explicitly;
- `on_epoch_start/end`: 1.x ran them for train, validation and test epochs; the three 2.x hooks call them;
- the `optimizer_idx` GAN shape -> manual optimization (each optimizer's branch toggled, stepped, untoggled);
- signature changes (dropped `optimizer_idx`/`dataloader_idx`, `dataloader_idx=0` defaults, renamed hooks).
Anything not in a shape the rule is sure about gets a review note instead.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from .. import legacy_facts as facts
from ..cstutil import statements as parse_lines, FastTransformer, FastVisitor, code, self_method_call
from ..engine import Rule, register, with_comments
from ..names import canonical, dotted, is_class
from ..values import literal_value

_MODULE_BASES = ("LightningModule",)
_CALLBACK_BASES = ("Callback", "BaseFinetuning", "ProgressBarBase", "ProgressBar", "TQDMProgressBar",
                   "ModelCheckpoint", "EarlyStopping")


@register
class HooksRule(Rule):
    name = "hooks"
    family = "hooks"
    summary = "LightningModule/Callback hooks: *_epoch_end outputs, *_step_end, on_epoch_*, optimizer_idx, " \
              "changed signatures (C.1, C.2, C.5)"

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        owner = self._owner(original)
        if owner is None or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        cls = _Class(self, original, updated, owner)
        if owner == "module":
            cls.manual_optimization()
            cls.step_end()
            cls.epoch_end()
        cls.epoch_hooks()
        if owner == "callback":
            cls.keyboard_interrupt()
        cls.signatures()
        return cls.result()

    def _owner(self, node: cst.ClassDef) -> str | None:
        for base in node.bases:
            path = canonical(self.ctx.bindings.qualify(base.value))
            name = (dotted(base.value) or "").rsplit(".", 1)[-1]
            if (path and any(is_class(path, b) for b in _MODULE_BASES)) or name in _MODULE_BASES:
                return "module"
            if (path and any(is_class(path, b) for b in _CALLBACK_BASES)) or name == "Callback":
                return "callback"
        methods = {s.name.value for s in _body(node) if isinstance(s, cst.FunctionDef)}
        if methods & {"training_step", "configure_optimizers", *facts.EPOCH_END_HOOKS} and \
                self.ctx.bindings.mentions_lightning():
            return "module"
        return None


def _body(node: cst.ClassDef) -> list[Any]:
    return list(node.body.body) if isinstance(node.body, cst.IndentedBlock) else []


class _Class:
    """One class being rewritten: its body as a list of statements, edited in place."""

    def __init__(self, rule: HooksRule, original: cst.ClassDef, updated: cst.ClassDef, owner: str) -> None:
        self.rule, self.ctx, self.original, self.updated, self.owner = rule, rule.ctx, original, updated, owner
        self.body: list[Any] = list(updated.body.body)  # type: ignore[union-attr]
        self.originals = {s.name.value: s for s in _body(original) if isinstance(s, cst.FunctionDef)}
        self.class_notes: list[str] = []
        self.step_schedulers = False

    # -- helpers ------------------------------------------------------------------------------------------------------
    def method(self, name: str) -> cst.FunctionDef | None:
        return next((s for s in self.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None)

    def replace(self, old: cst.FunctionDef, new: Any) -> None:
        self.body[self.body.index(old)] = new

    def anchor(self, name: str) -> cst.CSTNode:
        return self.originals.get(name, self.original)

    def note(self, name: str, message: str) -> None:
        """A review note above method `name` (or the class)."""
        self.ctx.note(self.anchor(name), self.rule, message, attach=False)
        fn = self.method(name)
        if fn is not None:
            self.replace(fn, with_comments(fn, [message]))
        else:
            self.class_notes.append(message)

    def change(self, name: str, message: str) -> None:
        self.ctx.change(self.anchor(name), self.rule, message)

    def add_to_init(self, statements: list[str]) -> None:
        init = self.method("__init__")
        if init is None:
            source = "def __init__(self, *args, **kwargs):\n    super().__init__(*args, **kwargs)\n"
            source += "".join(f"    {s}\n" for s in statements)
            first = next((i for i, s in enumerate(self.body) if isinstance(s, cst.FunctionDef)), len(self.body))
            self.insert(first, cst.parse_statement(source))
            return
        block = init.body
        if not isinstance(block, cst.IndentedBlock):
            return
        wanted = dict(zip(statements, parse_lines(statements)))
        # only a statement of the same shape (and target) can be one of them: render just those (idempotence)
        shapes = {_shape(s) for s in wanted.values()}
        for s in block.body:
            if _shape(s) in shapes:
                wanted.pop(code(s).strip(), None)
        lines = list(wanted.values())
        self.replace(init, init.with_changes(body=block.with_changes(body=[*block.body, *lines])))

    def insert(self, index: int, stmt: Any) -> None:
        """Insert a method, separated by a blank line like the methods around it."""
        blank = [cst.EmptyLine(indent=False)]
        if index > 0:
            stmt = stmt.with_changes(leading_lines=blank)
        if index < len(self.body) and not self.body[index].leading_lines:
            self.body[index] = self.body[index].with_changes(leading_lines=blank)
        self.body.insert(index, stmt)

    def result(self) -> cst.ClassDef:
        new = self.updated.with_changes(body=self.updated.body.with_changes(body=self.body))
        if self.class_notes:
            new = with_comments(new, self.class_notes)
        return new

    # -- *_step_end ------------------------------------------------------------------------------------------------------
    def step_end(self) -> None:
        for hook, step_name in facts.STEP_END_HOOKS.items():
            if self.method(hook) is None:
                continue
            step = self.method(step_name)
            if step is None:
                self.note(hook, f"{hook} is never called by 2.x: call self.{hook}(output) on what {step_name} "
                                "returns (or move the logic to on_*_batch_end)")
                continue
            if _calls_self(step, hook):
                continue  # already routed through the hook (a previous run, or the user's own code)
            returns = _hook_returns(self.method(hook))
            new_step, count = _rewrite_returns(step, lambda value: _through_step_end(value, hook, returns, step))
            if count:
                self.replace(step, new_step)
                self.change(step_name, f"{step_name} now passes its output through {hook} (2.x never calls "
                                       f"{hook}; 1.x did after every step)")

    # -- *_epoch_end(outputs) ---------------------------------------------------------------------------------------------
    def epoch_end(self) -> None:
        for old, fact in facts.EPOCH_END_HOOKS.items():
            hook = self.method(old)
            if hook is None:
                continue
            step = self.method(fact.step)
            params = [p.name.value for p in hook.params.params]
            problem = None
            if step is None:
                problem = f"{fact.step} is not defined in this class"
            elif len(params) != 2 or hook.params.star_arg not in (cst.MaybeSentinel.DEFAULT, None) or \
                    hook.params.star_kwarg is not None:
                problem = "its signature is not (self, outputs)"
            elif self.method(fact.new) is not None:
                problem = f"{fact.new} is defined too; merge the two by hand"
            elif any(p.name.value in ("dataloader_idx", facts.OPTIMIZER_IDX_PARAM) for p in step.params.params):
                problem = "outputs were nested per dataloader/optimizer; key the collection on that index"
            if problem:
                self.note(old, f"{old} was removed in 2.0 ({problem}): rename it to {fact.new}(self) and collect "
                               f"the step outputs yourself (append in {fact.step}, clear at epoch end)")
                continue
            attr = fact.outputs_attr
            new_step, count = _rewrite_returns(step, lambda value: _collect(value, attr, fact.detach_loss, step))
            if not count:
                self.note(old, f"{fact.step} returns nothing the rule can collect: collect outputs for {fact.new}")
                continue
            self.replace(step, new_step)
            self.add_to_init([f"self.{attr} = []"])
            outputs = params[1]
            block = hook.body
            if not isinstance(block, cst.IndentedBlock):
                self.note(old, f"{old} was removed in 2.0: rename it to {fact.new}(self)")
                continue
            if _has_return(hook):
                head, tail = parse_lines([f"{outputs} = self.{attr}", f"self.{attr} = []"]), []
            else:
                head_line, tail_line = parse_lines([f"{outputs} = self.{attr}", f"self.{attr}.clear()"])
                head, tail = [head_line], [tail_line]
            body = list(block.body)
            doc = 1 if body and _is_docstring(body[0]) else 0
            new_body = body[:doc] + head + body[doc:] + tail
            new_hook = hook.with_changes(
                name=cst.Name(fact.new),
                params=hook.params.with_changes(params=[hook.params.params[0].with_changes(
                    comma=cst.MaybeSentinel.DEFAULT)]),
                body=block.with_changes(body=new_body))
            self.replace(hook, new_hook)
            self.change(old, f"{old}(self, {outputs}) -> {fact.new}(self); {fact.step} appends to self.{attr}")

    # -- on_epoch_start / on_epoch_end ---------------------------------------------------------------------------------
    def epoch_hooks(self) -> None:
        for old, targets in facts.EPOCH_HOOK_EXPANSIONS.items():
            hook = self.method(old)
            if hook is None:
                continue
            helper = "_" + old
            if self.method(helper) is not None:
                self.note(old, f"{old} is never called by 2.x: call it from {', '.join(targets)}")
                continue
            params = [p.name.value for p in hook.params.params]
            call_args = ", ".join(params[1:])
            call = f"self.{helper}({call_args})"
            at_start = old.endswith("start")
            self.replace(hook, hook.with_changes(name=cst.Name(helper)))
            added = []
            for target in targets:
                existing = self.method(target)
                if existing is None:
                    source = f"def {target}({', '.join(params)}):\n    {call}\n"
                    self.insert(self.body.index(self.method(helper)) + 1 + len(added), cst.parse_statement(source))
                    added.append(target)
                elif isinstance(existing.body, cst.IndentedBlock):
                    stmt = cst.parse_statement(call)
                    body = list(existing.body.body)
                    body = [stmt, *body] if at_start else [*body, stmt]
                    self.replace(existing, existing.with_changes(body=existing.body.with_changes(body=body)))
            self.change(old, f"{old} -> {helper}, called from {', '.join(targets)} (1.x ran it for train, "
                             "validation and test epochs; 2.x never calls it)")

    # -- optimizer_idx in training_step -> manual optimization ----------------------------------------------------
    def manual_optimization(self) -> None:
        step = self.method("training_step")
        if step is None or facts.OPTIMIZER_IDX_PARAM not in [p.name.value for p in step.params.params]:
            return
        if not _uses(step.body, facts.OPTIMIZER_IDX_PARAM):  # one optimizer: the parameter was never read
            params = [p for p in step.params.params if p.name.value != facts.OPTIMIZER_IDX_PARAM]
            if params:
                params[-1] = params[-1].with_changes(comma=step.params.params[-1].comma)
            self.replace(step, step.with_changes(params=step.params.with_changes(params=params)))
            self.change("training_step", f"dropped the unused {facts.OPTIMIZER_IDX_PARAM} parameter (2.x refuses "
                                         "it under automatic optimization; the step never read it)")
            return
        problem = self._manual_blocker(step)
        if problem is None:
            rewritten = _gan_rewrite(step, {name for name in _CALLED_BY_1X_LOOP if self.method(name) is not None})
            if isinstance(rewritten, str):
                problem = rewritten
        if problem is not None:
            self.note("training_step", "several optimizers with optimizer_idx need manual optimization in 2.x "
                      f"({problem}): set self.automatic_optimization = False and step each optimizer in "
                      "training_step (self.optimizers(), toggle_optimizer, manual_backward, step, zero_grad)")
            return
        self.replace(step, rewritten)
        self.add_to_init(["self.automatic_optimization = False"])
        self.change("training_step", "optimizer_idx branches -> manual optimization (toggle, zero_grad, "
                                     "manual_backward, step, untoggle per optimizer, in 1.x order)")
        if self.step_schedulers:
            self._step_schedulers_at_epoch_end()
            self.change("training_step", "learning-rate schedulers stepped in on_train_epoch_end, as 1.x did after "
                                         "each training epoch")

    def _manual_blocker(self, step: cst.FunctionDef) -> str | None:
        configure = self.method("configure_optimizers")
        if configure is None:
            return "configure_optimizers is not in this class"
        if "optimizer_frequencies" in code(self.updated) or _optimizer_frequencies(configure):
            return "per-optimizer frequencies"
        configure_source = code(configure)
        self.step_schedulers = "sched" in configure_source.lower()
        if self.step_schedulers and (any(word in configure_source for word in ("Plateau", "OneCycle", "Cyclic"))
                                     or not _epoch_scheduler_configs(configure)):
            return "scheduler configs with interval/monitor, or per-step schedulers, must be stepped by hand"
        if self.method("training_epoch_end") is not None or self.method("training_step_end") is not None:
            return "training_epoch_end/training_step_end see per-optimizer outputs"
        return None

    def _step_schedulers_at_epoch_end(self) -> None:
        """1.x stepped every (epoch-interval) scheduler after each training epoch; manual optimization does not."""
        lines = parse_lines([
            "schedulers = self.lr_schedulers()",
            "for scheduler in schedulers if isinstance(schedulers, list) else [schedulers]:\n"
            "    scheduler.step()",
        ])
        hook = self.method("on_train_epoch_end")
        if hook is None:
            source = "def on_train_epoch_end(self):\n    pass\n"
            new = cst.parse_statement(source)
            new = new.with_changes(body=new.body.with_changes(body=lines))
            self.insert(self.body.index(self.method("training_step")) + 1, new)
        elif isinstance(hook.body, cst.IndentedBlock):
            self.replace(hook, hook.with_changes(body=hook.body.with_changes(body=[*hook.body.body, *lines])))

    # -- on_keyboard_interrupt -> on_exception ---------------------------------------------------------------------
    def keyboard_interrupt(self) -> None:
        """1.x called `on_keyboard_interrupt(trainer, pl_module)` on Ctrl-C only; 2.x calls `on_exception` for every
        exception: the hook becomes on_exception with its body under a KeyboardInterrupt check."""
        hook = self.method(_KEYBOARD_HOOK)
        params = [p.name.value for p in hook.params.params] if hook is not None else []
        if hook is None or len(params) != 3 or self.method("on_exception") is not None or \
                not isinstance(hook.body, cst.IndentedBlock) or _uses(hook.body, "exception"):
            return  # the signatures step leaves its review note
        check = cst.parse_statement("if isinstance(exception, KeyboardInterrupt):\n    pass\n")
        body = list(hook.body.body)
        doc = body[:1] if body and _is_docstring(body[0]) else []
        guarded = check.with_changes(body=check.body.with_changes(body=body[len(doc):]))
        self.replace(hook, hook.with_changes(
            name=cst.Name("on_exception"),
            params=hook.params.with_changes(params=[*hook.params.params[:-1], hook.params.params[-1].with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), cst.Param(name=cst.Name("exception"))]),
            body=hook.body.with_changes(body=[*doc, guarded])))
        self.change(_KEYBOARD_HOOK, f"{_KEYBOARD_HOOK}(self, {', '.join(params[1:])}) -> on_exception(..., exception) "
                                    "under `if isinstance(exception, KeyboardInterrupt):` (2.x calls it for any error)")

    # -- signatures and renamed hooks ------------------------------------------------------------------------------
    def signatures(self) -> None:
        for stmt in list(self.body):
            if not isinstance(stmt, cst.FunctionDef):
                continue
            fact = facts.HOOKS.get((self.owner, stmt.name.value))
            if fact is None:
                continue
            name = stmt.name.value
            if not fact.mechanical:
                self.note(name, f"{name} is not called by 2.x: {fact.advice}")
                continue
            new = stmt
            done: list[str] = []
            if fact.rename_to:
                if self.method(fact.rename_to) is not None:
                    self.note(name, f"{name} is not called by 2.x and {fact.rename_to} exists: merge them")
                    continue
                new = new.with_changes(name=cst.Name(fact.rename_to))
                done.append(f"{name} -> {fact.rename_to}")
            new, messages = _fix_params(new, fact, self.owner)
            done.extend(messages)
            if done and new is not stmt:
                self.replace(stmt, new)
                self.change(name, f"{name}: " + "; ".join(done))
            used = [p for p in fact.drop_params if p in _param_names(new) and _uses(new.body, p)]
            if used:
                self.note(name, f"{name}: 2.x no longer passes {', '.join(used)} ({fact.advice}); the body "
                                "still uses it, rewrite that part")


_KEYBOARD_HOOK = "on_keyboard_interrupt"


def _shape(stmt: Any) -> tuple[type, str | None] | None:
    """A one-statement line's kind and, for an assignment, its first target (None for anything else)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    return type(small), dotted(small.targets[0].target) if isinstance(small, cst.Assign) else None


def _param_names(fn: cst.FunctionDef) -> list[str]:
    return [p.name.value for p in fn.params.params]


def _optimizer_index(fn: cst.FunctionDef, owner: str) -> str | None:
    """An expression for the index 1.x passed as optimizer_idx, from what 2.x still passes the hook: the
    optimizer (raw, or the LightningOptimizer given to optimizer_step) or a scheduler's optimizer."""
    names = _param_names(fn)
    trainer = "trainer" if "trainer" in names else "pl_module.trainer" if "pl_module" in names else \
        "self.trainer" if owner == "module" else None
    if trainer is None:
        return None
    if "optimizer" in names:
        return f'{trainer}.optimizers.index(getattr(optimizer, "optimizer", optimizer))'
    if "scheduler" in names:
        return f"{trainer}.optimizers.index(scheduler.optimizer)"
    return None


def _fix_params(fn: cst.FunctionDef, fact: facts.HookFact, owner: str) -> tuple[cst.FunctionDef, list[str]]:
    params = list(fn.params.params)
    messages = []
    renames = dict(fact.param_renames)
    for i, p in enumerate(params):
        if p.name.value in renames:
            params[i] = p.with_changes(name=cst.Name(renames[p.name.value]))
            messages.append(f"parameter {p.name.value} -> {renames[p.name.value]}")
    body = fn.body
    for old, new in renames.items():
        if any(p.name.value == new for p in params):
            body = body.visit(_RenameName(old, new))
    kept, derived = [], []
    for p in params:
        name = p.name.value
        if name in fact.drop_params and not _uses(fn.body, name):
            messages.append(f"dropped parameter {name}")
            continue
        index = _optimizer_index(fn, owner) if name in facts.OPTIMIZER_IDX_NAMES and p.default is None else None
        if name in fact.drop_params and index is not None:
            derived.append(f"{name} = {index}")
            messages.append(f"{name} found from the {'scheduler' if 'scheduler.' in index else 'optimizer'} "
                            "(2.x no longer passes it)")
            continue
        kept.append(p)
    params = kept
    if derived and isinstance(body, cst.IndentedBlock):
        lines = list(body.body)
        doc = 1 if lines and _is_docstring(lines[0]) else 0
        body = body.with_changes(body=[*lines[:doc], *parse_lines(derived), *lines[doc:]])
    defaults = dict(fact.default_params)
    for i, p in enumerate(params):
        if p.name.value in defaults and p.default is None and all(q.default is not None for q in params[i + 1:]):
            params[i] = p.with_changes(default=cst.parse_expression(repr(defaults[p.name.value])),
                                       equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                                             whitespace_after=cst.SimpleWhitespace("")))
            messages.append(f"{p.name.value}={defaults[p.name.value]!r} default")
    names = {p.name.value for p in params}
    for extra in fact.add_params:
        if extra not in names and fn.params.star_arg in (cst.MaybeSentinel.DEFAULT, None) and \
                fn.params.star_kwarg is None and all(p.default is None for p in params):
            params.append(cst.Param(name=cst.Name(extra)))
            messages.append(f"added parameter {extra}")
    if not messages:
        return fn, []
    fixed = [p.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for p in params[:-1]]
    if params:
        last_comma = fn.params.params[-1].comma if fn.params.params else cst.MaybeSentinel.DEFAULT
        fixed.append(params[-1].with_changes(comma=last_comma if fn.params.star_arg in (
            cst.MaybeSentinel.DEFAULT, None) and fn.params.star_kwarg is None else
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
    return fn.with_changes(params=fn.params.with_changes(params=fixed), body=body), messages


class _RenameName(FastTransformer):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.new) if updated.value == self.old else updated


class _NameFinder(FastVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.found = name, False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.found = True


def _uses(node: cst.CSTNode, name: str) -> bool:
    finder = _NameFinder(name)
    node.visit(finder)
    return finder.found


def _calls_self(node: cst.CSTNode, method: str) -> bool:
    found = []

    class _Finder(FastVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if self_method_call(call, method):
                found.append(call)

    node.visit(_Finder())
    return bool(found)


def _is_docstring(stmt: Any) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr) and \
        isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))


class _Return:
    """How to replace `return <value>`: statements to run first, then `return <expression>`."""

    def __init__(self, before: list[str], value: str | None) -> None:
        self.before, self.value = before, value


_Plan = Callable[[cst.BaseExpression | None], "_Return | None"]
# the fields of compound statements that hold statements (directly, or through Else/Finally/handlers/cases/elif)
_BLOCK_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


class _Returns:
    """Rewrites the `return` statements of one function, not those of nested functions or classes.

    Walks statement blocks only (a return is a statement, so expressions are never entered), and rebuilds just
    the blocks on the path to a rewritten return."""

    def __init__(self, plan: _Plan) -> None:
        self.plan, self.count = plan, 0

    def _replacement(self, ret: cst.Return) -> list[cst.BaseStatement] | None:
        plan = self.plan(ret.value)
        if plan is None:
            return None
        self.count += 1
        return parse_lines([*plan.before, f"return {plan.value}" if plan.value is not None else "return"])

    def suite(self, suite: Any) -> Any:
        if isinstance(suite, cst.SimpleStatementSuite):
            lines = self._replacement(suite.body[0]) if len(suite.body) == 1 and isinstance(
                suite.body[0], cst.Return) else None
            return suite if lines is None else cst.IndentedBlock(body=lines)
        body, changed = [], False
        for stmt in suite.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                lines = self._replacement(stmt.body[0]) if len(stmt.body) == 1 and isinstance(
                    stmt.body[0], cst.Return) else None
                if lines is not None:
                    lines[0] = lines[0].with_changes(leading_lines=stmt.leading_lines)
                    lines[-1] = lines[-1].with_changes(trailing_whitespace=stmt.trailing_whitespace)
                    body.extend(lines)
                    changed = True
                    continue
            elif not isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                new = self.compound(stmt)
                changed = changed or new is not stmt
                stmt = new
            body.append(stmt)
        return suite.with_changes(body=body) if changed else suite

    def compound(self, node: Any) -> Any:
        changes = {}
        for field in _BLOCK_FIELDS:
            value = getattr(node, field, None)
            if value is None:
                continue
            if isinstance(value, (list, tuple)):  # except handlers, match cases
                new = [self.compound(item) for item in value]
                if any(a is not b for a, b in zip(new, value)):
                    changes[field] = new
                continue
            new = self.suite(value) if isinstance(value, cst.BaseSuite) else self.compound(value)
            if new is not value:
                changes[field] = new
        return node.with_changes(**changes) if changes else node


def _rewrite_returns(fn: cst.FunctionDef, plan: _Plan) -> tuple[cst.FunctionDef, int]:
    returns = _Returns(plan)
    body = returns.suite(fn.body)
    return (fn.with_changes(body=body) if body is not fn.body else fn), returns.count


def _return_values(fn: cst.FunctionDef) -> list[cst.BaseExpression | None]:
    values: list[cst.BaseExpression | None] = []
    _rewrite_returns(fn, lambda value: values.append(value))  # the plan records, rewrites nothing
    return values


def _has_return(fn: cst.FunctionDef) -> bool:
    return bool(_return_values(fn))


def _free_name(fn: cst.FunctionDef, base: str) -> str:
    name = base
    while _uses(fn, name):
        name = "_" + name
    return name


def _value_kind(value: cst.BaseExpression, fn: cst.FunctionDef) -> str:
    """"dict", "tensor" or "unknown" for what a step returns (looking through one local assignment)."""
    if isinstance(value, cst.Dict):
        return "dict"
    if isinstance(value, (cst.BinaryOperation,)):
        return "tensor"
    if isinstance(value, cst.Call):
        name = (dotted(value.func) or "").lower()
        return "tensor" if "loss" in name.rsplit(".", 1)[-1] or name.startswith(("f.", "torch.")) else "unknown"
    if isinstance(value, cst.Name):
        assigned = _last_assignment(fn, value.value)
        return _value_kind(assigned, fn) if assigned is not None and assigned is not value else "unknown"
    return "unknown"


def _simple_statements(body: Any) -> Any:
    """The simple statements of a block and of the blocks nested in it (not of nested functions/classes)."""
    for stmt in getattr(body, "body", ()):
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(stmt, cst.BaseCompoundStatement):
            yield from _simple_statements(stmt.body)
            orelse = getattr(stmt, "orelse", None)
            while orelse is not None:
                yield from _simple_statements(orelse.body)
                orelse = getattr(orelse, "orelse", None)


def _last_assignment(fn: cst.FunctionDef, name: str) -> cst.BaseExpression | None:
    """The value last assigned (in source order) to `name` by a plain statement of the function."""
    found = None
    for small in _simple_statements(fn.body):
        if isinstance(small, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets):
            found = small.value
    return found


def _collect(value: cst.BaseExpression | None, attr: str, detach_loss: bool, step: cst.FunctionDef) -> _Return | None:
    """`return X` -> keep X in `self.<attr>` the way 1.x passed it to *_epoch_end, then return it."""
    if value is None or (isinstance(value, cst.Name) and value.value == "None"):
        return None  # 1.x skipped steps that returned None
    if isinstance(value, cst.Name):
        ref, before = value.value, []
    else:
        ref = _free_name(step, "step_output")
        before = [f"{ref} = {code(value)}"]
    if detach_loss:
        kind = _value_kind(value, step)
        as_dict = f'{{**{ref}, "loss": {ref}["loss"].detach()}}'
        as_tensor = f'{{"loss": {ref}.detach()}}'
        entry = {"dict": as_dict, "tensor": as_tensor}.get(kind, f"{as_dict} if isinstance({ref}, dict) else "
                                                                 f"{as_tensor}")
    else:
        entry = ref
    before.append(f"self.{attr}.append({entry})")
    return _Return(before, ref)


def _hook_returns(fn: cst.FunctionDef) -> str:
    """"always", "never" or "sometimes": whether a hook returns a value other than None."""
    values = _return_values(fn)
    given = [v for v in values if v is not None and not (isinstance(v, cst.Name) and v.value == "None")]
    if not given:
        return "never"
    body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
    last = body[-1] if body else None
    ends_with_return = isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return)
    return "always" if len(given) == len(values) and ends_with_return else "sometimes"


def _through_step_end(value: cst.BaseExpression | None, hook: str, returns: str, step: cst.FunctionDef) -> _Return:
    """`return X` -> X passed through `*_step_end`; as in 1.x, a None from the hook keeps the step's output."""
    given = code(value) if value is not None else "None"
    if returns == "always":
        return _Return([], f"self.{hook}({given})")
    if value is None or isinstance(value, cst.Name):
        ref, before = given, []
    else:
        ref = _free_name(step, "step_output")
        before = [f"{ref} = {given}"]
    if returns == "never":
        return _Return([*before, f"self.{hook}({ref})"], ref)
    end = _free_name(step, "end_output")
    return _Return([*before, f"{end} = self.{hook}({ref})"], f"{ref} if {end} is None else {end}")


def _dict_literals(node: cst.CSTNode) -> list[dict[str, cst.BaseExpression]]:
    """Every `{"key": value, ...}` / `dict(key=value, ...)` literal in `node`, as string key -> value."""
    found: list[dict[str, cst.BaseExpression]] = []

    class Finder(FastVisitor):
        def visit_Dict(self, d: cst.Dict) -> None:
            found.append({k: e.value for e in d.elements if isinstance(e, cst.DictElement)
                          for k in [literal_value(e.key)] if isinstance(k, str)})

        def visit_Call(self, call: cst.Call) -> None:
            if dotted(call.func) == "dict":
                found.append({a.keyword.value: a.value for a in call.args if a.keyword is not None})

    node.visit(Finder())
    return found


def _optimizer_frequencies(configure: cst.FunctionDef) -> bool:
    """An optimizer config dict with a "frequency" (1.x alternated optimizers by it); a scheduler's does not count."""
    return any("optimizer" in d and "frequency" in d for d in _dict_literals(configure))


def _epoch_scheduler_configs(configure: cst.FunctionDef) -> bool:
    """Whether every scheduler config dict says what 1.x did by default: step once per epoch."""
    for d in _dict_literals(configure):
        if "scheduler" not in d:
            continue
        if literal_value(d["interval"]) != "epoch" if "interval" in d else False:
            return False
        if "frequency" in d and literal_value(d["frequency"]) != 1:
            return False
        if "monitor" in d or "reduce_on_plateau" in d:
            return False
    return True


# hooks 1.x's automatic loop called per optimizer and manual optimization does not: the rewrite calls them
_CALLED_BY_1X_LOOP = ("optimizer_step", "optimizer_zero_grad", "on_before_zero_grad")


def _gan_rewrite(step: cst.FunctionDef, overridden: set[str]) -> cst.FunctionDef | str:
    """`training_step(self, batch, batch_idx, optimizer_idx)` with one branch per optimizer -> manual form.

    Each optimizer gets 1.x's sequence: toggle, [training_step, on_before_zero_grad, optimizer_zero_grad,
    backward] as the closure of optimizer_step, untoggle. Hooks the class overrides are called; the others are
    written out as what their default did (`opt.zero_grad()`, `opt.step()` with the closure run first)."""
    block = step.body
    if not isinstance(block, cst.IndentedBlock):
        return "training_step is a one-liner"
    body = _fold_result_variable(list(block.body))
    preamble: list[Any] = []
    branches: dict[int, list[Any]] = {}
    i = 0
    while i < len(body) and not (isinstance(body[i], cst.If) and _idx_test(body[i].test) is not None):
        if _uses(body[i], facts.OPTIMIZER_IDX_PARAM):
            return "optimizer_idx is used outside `if optimizer_idx == k:` branches"
        preamble.append(body[i])
        i += 1
    if i == len(body):
        return "no `if optimizer_idx == k:` branches"
    chain, tail = body[i], body[i + 1:]
    node: Any = chain
    while node is not None:  # one if/elif/else chain, one branch per optimizer
        if isinstance(node, cst.Else):
            k = max(branches) + 1 if branches else 0
            branches[k] = list(node.body.body)
            break
        k = _idx_test(node.test)
        if k is None or k in branches or not isinstance(node.body, cst.IndentedBlock):
            return "a branch condition is not `optimizer_idx == <int>`"
        branches[k] = list(node.body.body)
        node = node.orelse
    if tail:
        # statements after the chain run for every optimizer: they must end with the return
        if any(isinstance(s, cst.If) and _idx_test(s.test) is not None for s in tail):
            problem = _sequential_branches([chain, *tail], branches)
            if problem:
                return problem
        elif any(_uses(s, facts.OPTIMIZER_IDX_PARAM) for s in tail):
            return "optimizer_idx is used after the branches"
        elif not _has_else(chain) and all(_ends_with_return(b) for b in branches.values()):
            # `if optimizer_idx == 0: ... return ...` followed by the last optimizer's code
            branches[max(branches) + 1] = tail
        else:
            for k in branches:
                if branches[k] and _ends_with_return(branches[k]):
                    return f"branch {k} returns before the shared statements after the branches"
                branches[k] = branches[k] + tail
    if sorted(branches) != list(range(len(branches))) or len(branches) < 2:
        return "branches are not optimizer_idx == 0, 1, ..."
    for k, stmts in branches.items():
        if not _ends_with_return(stmts):
            return f"branch {k} does not end with return"
        for s in stmts[:-1] + preamble:
            if _has_return_stmt(s):
                return f"branch {k} returns early"
        if _uses(cst.Module(body=stmts), facts.OPTIMIZER_IDX_PARAM):
            return f"branch {k} uses optimizer_idx"
    params = [p for p in step.params.params if p.name.value != facts.OPTIMIZER_IDX_PARAM]
    closure = "optimizer_step" in overridden
    batch_idx = params[2].name.value if len(params) > 2 else None
    if batch_idx is None and overridden - {"on_before_zero_grad"}:
        return "training_step has no batch_idx parameter to pass to the optimizer hooks"
    if closure:
        taken = _assigned_names(cst.Module(body=[*preamble, *(s for b in branches.values() for s in b)]))
        clash = taken & {p.name.value for p in params}
        if clash:
            return f"the step assigns its parameter {sorted(clash)[0]}, which its optimizer_step closure cannot"
    names = [f"opt_{k}" for k in range(len(branches))]
    new_body: list[Any] = [cst.parse_statement(f"{', '.join(names)} = self.optimizers()")]
    for k in range(len(branches)):
        stmts = branches[k]
        ret = stmts[-1].body[0]
        value = ret.value
        if value is None or (isinstance(value, cst.Name) and value.value == "None"):
            return f"branch {k} returns None"
        kind = _value_kind(value, step)
        loss_expr = _dict_loss(value) if kind == "dict" else code(value)
        if loss_expr is None:
            return f"branch {k} returns a dict whose loss the rule cannot find"
        # 1.x ran the whole training_step (preamble included) once per optimizer, in index order.
        work = preamble + stmts[:-1]
        opt = names[k]
        loss = value.value if kind != "unknown" and isinstance(value, cst.Name) else f"loss_{k}"
        zero_grad = [f"self.on_before_zero_grad({opt}.optimizer)"] if "on_before_zero_grad" in overridden else []
        zero_grad.append(f"self.optimizer_zero_grad(self.current_epoch, {batch_idx}, {opt}.optimizer)"
                         if "optimizer_zero_grad" in overridden else f"{opt}.zero_grad()")
        if kind == "unknown":
            # a tensor, a dict with "loss", or None
            out = f"output_{k}"
            get_loss = [f"{out} = {loss_expr}", f'{loss} = {out}["loss"] if isinstance({out}, dict) else {out}']
        else:
            get_loss = [f"{loss} = {loss_expr}"] if loss != loss_expr else []
        backward = f"self.manual_backward({loss})"
        if closure:
            # the closure 1.x handed to optimizer_step: the step, zero_grad, backward (skipped on None)
            name = _free_name(step, f"closure_{k}")
            inner = get_loss + zero_grad + ([f"if {loss} is not None:\n    {backward}"] if kind == "unknown"
                                            else [backward]) + [f"return {loss}"]
            fn = cst.parse_statement(f"def {name}():\n    pass\n")
            fn = fn.with_changes(body=fn.body.with_changes(body=work + parse_lines(inner)),
                                 leading_lines=[cst.EmptyLine(indent=False)])
            tail = parse_lines([f"self.optimizer_step(self.current_epoch, {batch_idx}, {opt}, {name})",
                                f"self.untoggle_optimizer({opt})"])
            tail[0] = tail[0].with_changes(leading_lines=[cst.EmptyLine(indent=False)])
            section = parse_lines([f"self.toggle_optimizer({opt})"]) + [fn] + tail
        else:
            section = parse_lines([f"self.toggle_optimizer({opt})"]) + work + parse_lines(get_loss)
            # a None loss: 1.x still zeroed the gradients and stepped (a counted step that changes nothing)
            section += parse_lines([*zero_grad, f"if {loss} is not None:\n    {backward}" if kind == "unknown"
                                    else backward, f"{opt}.step()", f"self.untoggle_optimizer({opt})"])
        section[0] = section[0].with_changes(leading_lines=[cst.EmptyLine(indent=True, comment=cst.Comment(
            f"# optimizer {k} (was `optimizer_idx == {k}`)"))] if k else [])
        new_body += section
    params = [p.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for p in params[:-1]] + \
        [params[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return step.with_changes(params=step.params.with_changes(params=params),
                             body=block.with_changes(body=new_body))


def _assigned_names(node: cst.CSTNode) -> set[str]:
    """Plain names bound by assignments, augmented assignments and for/with targets in `node`."""
    found: set[str] = set()

    class Finder(FastVisitor):
        def _targets(self, target: cst.BaseExpression) -> None:
            if isinstance(target, cst.Name):
                found.add(target.value)
            elif isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:
                    self._targets(element.value)
            elif isinstance(target, cst.StarredElement):
                self._targets(target.value)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._targets(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._targets(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._targets(node.target)

        def visit_For(self, node: cst.For) -> None:
            self._targets(node.target)

        def visit_AsName(self, node: cst.AsName) -> None:
            self._targets(node.name)

    node.visit(Finder())
    return found


def _fold_result_variable(body: list[Any]) -> list[Any]:
    """`r = None; if optimizer_idx == 0: ... r = a; if optimizer_idx == 1: ... r = b; return r` -> the same
    branches ending `return a` / `return b` (the shape the GAN rewrite reads); other bodies come back as they are."""
    if len(body) < 4 or not (isinstance(body[-1], cst.SimpleStatementLine) and isinstance(body[-1].body[0], cst.Return)
                             and isinstance(body[-1].body[0].value, cst.Name)):
        return body
    name = body[-1].body[0].value.value
    start = next((j for j, stmt in enumerate(body) if isinstance(stmt, cst.If) and _idx_test(stmt.test) is not None),
                 None)
    if start is None or start == 0 or _assigned_value(body[start - 1], name) != "None":
        return body
    branches = body[start:-1]
    folded = []
    for stmt in branches:
        if not (isinstance(stmt, cst.If) and _idx_test(stmt.test) is not None and stmt.orelse is None and
                isinstance(stmt.body, cst.IndentedBlock) and stmt.body.body):
            return body
        inner = list(stmt.body.body)
        value = _assigned_value(inner[-1], name)
        if value is None or value == "None" or any(_uses(s, name) for s in inner[:-1]):
            return body
        inner[-1] = inner[-1].with_changes(body=[cst.Return(value=inner[-1].body[0].value)])
        folded.append(stmt.with_changes(body=stmt.body.with_changes(body=inner)))
    if any(_uses(s, name) for s in body[:start - 1]):
        return body
    return body[:start - 1] + folded


def _assigned_value(stmt: Any, name: str) -> str | None:
    """The source of `value` when `stmt` is exactly `name = value`."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
        assign = stmt.body[0]
        if len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name) and \
                assign.targets[0].target.value == name:
            return code(assign.value)
    return None


def _has_else(chain: cst.If) -> bool:
    node: Any = chain
    while isinstance(node, cst.If):
        node = node.orelse
    return isinstance(node, cst.Else)


def _ends_with_return(stmts: list[Any]) -> bool:
    last = stmts[-1] if stmts else None
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[0], cst.Return)


def _sequential_branches(stmts: list[Any], branches: dict[int, list[Any]]) -> str | None:
    """`if optimizer_idx == 0: ... return` followed by `if optimizer_idx == 1: ... return` (no elif)."""
    branches.clear()
    for stmt in stmts:
        k = _idx_test(stmt.test) if isinstance(stmt, cst.If) else None
        if k is None or stmt.orelse is not None or k in branches or not isinstance(stmt.body, cst.IndentedBlock):
            return "statements between or after the optimizer_idx branches"
        branches[k] = list(stmt.body.body)
    return None


def _dict_loss(value: cst.BaseExpression) -> str | None:
    """The source of the "loss" entry of a returned dict literal."""
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement) and literal_value(element.key) == "loss":
                return code(element.value)
        return None
    return f'{code(value)}["loss"]'


def _has_return_stmt(stmt: Any) -> bool:
    return _has_return(cst.FunctionDef(name=cst.Name("f"), params=cst.Parameters(),
                                       body=cst.IndentedBlock(body=[stmt])))


def _idx_test(test: cst.BaseExpression) -> int | None:
    """k for `optimizer_idx == k` (either side)."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and \
            isinstance(test.comparisons[0].operator, cst.Equal):
        left, right = test.left, test.comparisons[0].comparator
        for a, b in ((left, right), (right, left)):
            if isinstance(a, cst.Name) and a.value == facts.OPTIMIZER_IDX_PARAM:
                value = literal_value(b)
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
    return None
