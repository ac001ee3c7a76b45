"""Rule families `log` and `attributes` (tables B.2, C.3): `self.log(...)` keywords, removed Trainer and
LightningModule attributes with a mechanical spelling, and `self.hparams = x` -> `self.save_hyperparameters(x)`."""

from __future__ import annotations

from typing import Any

import libcst as cst

from .. import legacy_facts as facts
from ..cstutil import code, expr, keyword, set_args
from ..engine import Rule, register
from ..names import dotted
from .trainer import is_trainer_path


@register
class LogArgsRule(Rule):
    name = "log-args"
    family = "log"
    summary = "self.log/log_dict keywords: sync_dist_op -> reduce_fx, tbptt_* dropped (C.3)"

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = updated.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in facts.LOG_METHODS and
                dotted(func.value) in ("self", "pl_module", "module", "model")):
            return updated
        names = {keyword(a) for a in updated.args}
        new_args, changed = [], False
        for arg in updated.args:
            name = keyword(arg)
            if name in facts.LOG_KWARG_RENAMES:
                new = facts.LOG_KWARG_RENAMES[name]
                if new in names:
                    self.ctx.note(original, self, f"{name}= and {new}= are both given; keep one ({new}=)")
                    new_args.append(arg)
                    continue
                new_args.append(arg.with_changes(keyword=cst.Name(new)))
                self.ctx.change(original, self, f"{func.attr.value}({name}=) -> {new}=")
                changed = True
            elif name in facts.LOG_KWARGS_REMOVED:
                self.ctx.change(original, self, f"{func.attr.value}({name}=) dropped: {facts.LOG_KWARGS_REMOVED[name]}")
                changed = True
            else:
                new_args.append(arg)
        return set_args(updated, new_args) if changed else updated


@register
class AttributesRule(Rule):
    name = "attributes"
    family = "attributes"
    summary = "removed Trainer/LightningModule attributes (B.2, C.3), self.hparams = x"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.stores: set[int] = set()  # attribute nodes that are assigned to, not read

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.stores.add(id(target.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.stores.add(id(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.stores.add(id(node.target))

    def visit_Call(self, node: cst.Call) -> None:
        """`trainer.tuner.lr_find(...)` is rewritten whole by the trainer-methods rule: no note on `.tuner`."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in facts.TUNER_METHOD_1X_DEFAULTS and \
                isinstance(func.value, cst.Attribute) and func.value.attr.value == "tuner":
            self.stores.add(id(func.value))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> Any:
        attr = original.attr.value
        if (attr not in facts.TRAINER_ATTRIBUTES and attr not in facts.MODULE_ATTRIBUTES) or \
                id(original) in self.stores:
            return updated
        owner = dotted(original.value)
        if owner is None:
            return updated
        if is_trainer_path(self.ctx, owner):
            fact = facts.TRAINER_ATTRIBUTES.get(attr)
        elif owner == "self" and self.ctx.bindings.mentions_lightning():
            fact = facts.MODULE_ATTRIBUTES.get(attr)
        else:
            return updated
        if fact is None:
            return updated
        if fact.template is None:
            self.ctx.note(original, self, f"{owner}.{attr} was removed: {fact.advice}")
            return updated
        new = fact.template.format(obj=code(updated.value))
        self.ctx.change(original, self, f"{owner}.{attr} -> {fact.template.format(obj=owner)}")
        return expr(new)

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.Subscript:
        """`trainer.val_dataloaders[0]`: a list in 1.x, the loader itself in 2.x when there is one (B.2)."""
        value = original.value
        if isinstance(value, cst.Attribute) and value.attr.value in facts.TRAINER_LOADER_LISTS and \
                is_trainer_path(self.ctx, dotted(value.value) or ""):
            self.ctx.note(original, self, f"{code(value)}[...]: {facts.TRAINER_LOADER_LISTS[value.attr.value]}")
        return updated

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> Any:
        """`self.hparams = x` -> `self.save_hyperparameters(x)` (2.x has no setter)."""
        if len(updated.targets) != 1 or not self.ctx.bindings.mentions_lightning():
            return updated
        target = updated.targets[0].target
        if dotted(target) != "self.hparams":
            return updated
        self.ctx.change(original, self, f"self.hparams = ... -> self.{facts.HPARAMS_ASSIGNMENT_REPLACEMENT}(...)")
        return cst.Expr(value=cst.Call(func=expr(f"self.{facts.HPARAMS_ASSIGNMENT_REPLACEMENT}"),
                                       args=[cst.Arg(value=updated.value)]), semicolon=updated.semicolon)


@register
class LoadFromInstanceRule(Rule):
    name = "load-from-instance"
    family = "attributes"
    summary = "Cls().load_from_checkpoint(p) -> Cls.load_from_checkpoint(p) (C.3: 2.1+ rejects the instance call)"

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = updated.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in ("load_from_checkpoint",)
                and isinstance(func.value, cst.Call)):
            return updated
        ctor = func.value
        if ctor.args:
            self.ctx.note(original, self, "load_from_checkpoint is called on a new instance: call it on the class "
                                          "and pass the constructor arguments as keywords (2.1+ rejects the call)")
            return updated
        self.ctx.change(original, self, f"{code(ctor)}.load_from_checkpoint -> {code(ctor.func)}.load_from_checkpoint")
        return updated.with_changes(func=func.with_changes(value=ctor.func))
