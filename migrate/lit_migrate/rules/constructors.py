"""Rule family `callbacks` (table E): legacy keywords of callback, logger, CLI and profiler constructors
(`ModelCheckpoint(filepath=, period=, prefix=, mode="auto")`, `EarlyStopping()` without `monitor`, the positional
order of `StochasticWeightAveraging`, `CometLogger(offline=)`, ...)."""

from __future__ import annotations

import libcst as cst

from .. import legacy_facts as facts
from ..cstutil import code, expr, keyword, make_kwarg, set_args
from ..engine import Rule, register
from ..names import canonical
from ..values import DYNAMIC, literal_value, render_source

_CLASSES = frozenset({fact.cls for fact in facts.CTOR_ARGS.values()} | set(facts.CTOR_POSITIONAL_1X)
                     | set(facts.CTOR_REQUIRED_2X))


@register
class ConstructorArgsRule(Rule):
    name = "callback-args"
    family = "callbacks"
    summary = "callback/logger/CLI/profiler constructor arguments (E)"

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        path = canonical(self.ctx.bindings.qualify(original.func))
        if path is None or not path.startswith(facts.NEW_ROOT + "."):
            return updated
        cls = path.rsplit(".", 1)[-1]
        if cls not in _CLASSES:
            return updated
        args = list(updated.args)
        changed = False
        legacy = facts.is_legacy_path(self.ctx.bindings.qualify(original.func) or "")
        order = facts.CTOR_POSITIONAL_1X.get(cls)
        positional = [a for a in args if a.keyword is None and not a.star]
        if order and positional and legacy:
            like = next((a for a in args if a.keyword is not None), None)
            args = [make_kwarg(order[positional.index(a)], a.value, like).with_changes(comma=a.comma)
                    if a in positional else a for a in args]
            self.ctx.change(original, self, f"{cls}: positional arguments -> keywords in the 1.x order "
                                            f"({', '.join(order[:len(positional)])})")
            changed = True
        values = {keyword(a): literal_value(a.value) for a in args if a.keyword is not None}
        replacement: dict[int, list[cst.Arg]] = {}
        produced: dict[str, int] = {}
        superseded: set[str] = set()  # explicit keywords a mapping rewrites (prefix= rewrites filename=)
        for i, arg in enumerate(args):
            name = keyword(arg)
            fact = facts.CTOR_ARGS.get((cls, name or ""))
            if fact is None:
                continue
            value = values[name]
            if fact.rename_to:
                replacement[i] = [arg.with_changes(keyword=cst.Name(fact.rename_to))]
                self.ctx.change(original, self, f"{cls}({name}=) -> {fact.rename_to}=")
                continue
            if value is DYNAMIC:
                joined = self._joined_filepath(arg) if (cls, name) == ("ModelCheckpoint", "filepath") else None
                if joined is not None:
                    replacement[i] = joined
                    self.ctx.change(original, self, f"{cls}(filepath=os.path.join(..., <template>)) -> "
                                                    "dirpath=os.path.join(...), filename=<template>")
                else:
                    self.ctx.note(original, self, f"{cls}({name}=<expression>): {fact.advice}")
                continue
            try:
                mapped = fact.mapper(value, values)  # type: ignore[misc]
            except facts.LegacyFactError as err:
                self.ctx.note(original, self, f"{cls}: {err.advice}")
                continue
            if mapped == {name: value}:
                continue
            replacement[i] = [make_kwarg(k, expr(render_source(v, self.ctx.quote)), arg) for k, v in mapped.items()]
            superseded |= {k for k in mapped if k != name and k in values}
            for k in mapped:  # a later mapping builds on an earlier one (filepath= then prefix= -> filename=)
                if k in produced and produced[k] != i:
                    replacement[produced[k]] = [a for a in replacement[produced[k]] if keyword(a) != k]
                produced[k] = i
            values.update(mapped)
            shown = ", ".join(code(a) for a in replacement[i]) or "(dropped)"
            self.ctx.change(original, self, f"{cls}({name}={render_source(value, self.ctx.quote)}) -> {shown}")
        if replacement or changed:
            final: list[cst.Arg] = []
            for i, arg in enumerate(args):
                if i in replacement:
                    final.extend(replacement[i])
                elif keyword(arg) not in superseded:
                    final.append(arg)
            updated = set_args(updated.with_changes(args=args), final)
        required = facts.CTOR_REQUIRED_2X.get(cls)
        if required and legacy and all(keyword(a) != required[0] for a in updated.args) and \
                not any(a.keyword is None for a in updated.args):
            self.ctx.note(original, self, required[1])
        return updated

    def _joined_filepath(self, arg: cst.Arg) -> list[cst.Arg] | None:
        """`filepath=os.path.join(d, ..., "{epoch}-{val_loss:.2f}")`: a template name cannot be an existing
        folder, so the 1.1 rule splits it into dirpath=os.path.join(d, ...) and filename=<template>."""
        call = arg.value
        if not isinstance(call, cst.Call) or self.ctx.bindings.qualify(call.func) != "os.path.join" or \
                len(call.args) < 2 or any(a.keyword is not None or a.star for a in call.args):
            return None
        last = literal_value(call.args[-1].value)
        if not isinstance(last, str) or "/" in last or "{" not in last:
            return None
        try:
            filename = facts.split_checkpoint_filepath("dir/" + last)["filename"]
        except facts.LegacyFactError:
            return None
        head = call.args[:-1]
        dirpath = head[0].value if len(head) == 1 else call.with_changes(
            args=[*head[:-1], head[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
        return [make_kwarg("dirpath", dirpath, arg),
                make_kwarg("filename", expr(render_source(filename, self.ctx.quote)), arg)]
