"""1.x hooks that Lightning 2.x removed or changed (``training_epoch_end(outputs)`` ...): found once per run.

The Trainer calls :func:`legacy_run_callbacks` (as ``_extensions.run_adapters``) once per run, before it resolves the
hooks. When the module or a callback uses a 1.x hook (migration-table C.1, C.2, C.5), this module gives it its 1.x
meaning:

* an internal callback (:class:`LegacyHookCallback`) collects step outputs and calls ``training_epoch_end`` /
  ``validation_epoch_end`` / ``test_epoch_end``, the removed ``on_epoch_start/end``, ``on_batch_start/end``,
  ``on_pretrain_routine_*``, ``on_keyboard_interrupt`` hooks where 1.x called them, and logs ``track_grad_norm``;
* :class:`LegacyShims`, installed on the hook dispatcher for the run, calls hooks with 1.x signatures
  (``optimizer_idx``, ``dataloader_idx`` without a default, ``on_train_epoch_end(outputs)``, a callback's
  ``on_load_checkpoint(..., callback_state)``) and feeds ``*_step_end`` the step output;
* several optimizers with ``training_step(..., optimizer_idx)`` run through ``_legacy.multi_optimizer``.

Each use warns once; ``LIGHTNING_COMPAT_STRICT=1`` leaves Lightning 2.x's own reaction (``NotImplementedError`` for the
epoch-end hooks, ``TypeError`` for old signatures, silence for removed hooks).
"""
import inspect
import sys
import weakref
from typing import Any, Callable, Optional

import torch

from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch._legacy.usage import (NAMESPACES, legacy_facts, legacy_usage, namespace_in_scope,
                                                source_namespaces, strict_mode)
from lightning.pytorch.utilities.model_helpers import imported_class, is_overridden

_OPT_IDX = ("optimizer_idx", "opt_idx")
_MODULE_REMOVED = ("on_epoch_start", "on_epoch_end", "on_pretrain_routine_start", "on_pretrain_routine_end",
                   "on_batch_start", "on_batch_end")
_CALLBACK_REMOVED = _MODULE_REMOVED + ("on_keyboard_interrupt", "on_before_accelerator_backend_setup",
                                       "on_configure_sharded_model")
_EVAL_BATCH_HOOKS = tuple(f"on_{stage}_batch_{when}" for stage in ("validation", "test", "predict")
                          for when in ("start", "end"))


# ------------------------------------------------------------------------------------------------ signatures
# Only a signature that is unambiguously the 1.x one is adapted: the 1.x parameters must be named, positional
# parameters. A generic ``(*args, **kwargs)`` override (a logging or profiling decorator's wrapper, a forwarding
# ``super()`` call) accepts the 2.x call, so it gets the 2.x call; ``functools.wraps`` decorators are looked
# through (``inspect.signature`` follows ``__wrapped__``).
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _params(fn: Any) -> list:
    """The named positional parameters of ``fn`` (no ``*args``, ``**kwargs`` or keyword-only ones)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p for p in parameters if p.kind in _POSITIONAL]


def _param(fn: Any, *names: str) -> Optional[inspect.Parameter]:
    return next((p for p in _params(fn) if p.name in names), None)


def _required(param: Optional[inspect.Parameter]) -> bool:
    return param is not None and param.default is inspect.Parameter.empty


def _accepts(fn: Any, name: str) -> bool:
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name or p.kind == p.VAR_KEYWORD for p in parameters)


def _exactly_positional(fn: Any, count: int) -> bool:
    """``fn`` takes exactly ``count`` named positional parameters and nothing else (no ``*args`` / ``**kwargs``)."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    return len(parameters) == count and all(p.kind in _POSITIONAL for p in parameters)


def _takes_epoch_outputs(fn: Any, lead: int) -> bool:
    """``on_train_epoch_end(outputs)`` / ``on_predict_epoch_end(results)``: a named positional parameter after the
    2.x ones (``lead``: trainer and pl_module for a callback)."""
    return len(_params(fn)) > lead


def supports_multiple_optimizers(model: Any) -> bool:
    """1.x allowed several optimizers in automatic optimization when ``training_step`` took ``optimizer_idx``."""
    return not strict_mode() and written_for_1x(model) and _param(model.training_step, *_OPT_IDX) is not None


# ------------------------------------------------------------------------------------------------ 1.x code


def written_for_1x(obj: Any) -> bool:
    """Whether the class of ``obj`` (a module, a callback) is 1.x code, whose 1.x hooks get their 1.x meaning.

    The rule of docs/legacy.md ("1.x code"), applied to the module that defines the class: its globals holding a
    ``pytorch_lightning`` module (``import pytorch_lightning as pl``) make it 1.x code, a ``lightning`` one (and no
    ``pytorch_lightning``) 2.x code; with neither in sight, a ``pytorch_lightning`` import line in its source file
    makes it 1.x code. Classes are looked at from the most derived one up (the user's own classes only); none that
    tells means 2.x code, which then behaves as on Lightning 2.6.6.
    """
    cls = type(obj)
    verdict = _VERDICTS.get(cls)
    if verdict is None:
        verdict = _VERDICTS[cls] = _class_written_for_1x(cls)
    return verdict


_VERDICTS: "weakref.WeakKeyDictionary[type, bool]" = weakref.WeakKeyDictionary()  # classes made at run time may go


def _class_written_for_1x(cls: type) -> bool:
    for klass in cls.__mro__:
        module = sys.modules.get(klass.__module__)
        if module is None or klass.__module__.partition(".")[0] in NAMESPACES + ("builtins", "torch"):
            continue
        namespace = namespace_in_scope(list(vars(module).values()))
        if namespace is not None:
            return namespace == "pytorch_lightning"
        imported = source_namespaces(getattr(module, "__file__", None) or "")
        if imported:
            return "pytorch_lightning" in imported
    return False


def _defined(obj: Any, name: str, parent: Optional[type] = None) -> bool:
    """Whether ``obj`` implements ``name`` itself (a hook 2.x removed, or one it overrides)."""
    if parent is not None and hasattr(parent, name):
        return is_overridden(name, obj, parent=parent)
    return callable(getattr(obj, name, None))


# ------------------------------------------------------------------------------------------------ run state
class _RunState:
    """What the shims and the internal callback share during one run."""

    def __init__(self, trainer: Any, model: Any) -> None:
        self.trainer = trainer
        self.model = model
        self.multi: Any = None  # LegacyMultiOptimization when the 1.x GAN pattern is used
        self.frequencies: list = []
        self.train_outputs: list = []  # per batch: the per-optimizer outputs
        self.eval_outputs: dict = {}  # dataloader_idx -> [step outputs]

    def optimizer_index(self, optimizer: Any) -> int:
        if self.multi is not None and self.multi.current is not None:
            return self.multi.current[0]
        raw = getattr(optimizer, "_optimizer", optimizer)
        for idx, candidate in enumerate(self.trainer.optimizers):
            if candidate is raw or candidate is optimizer:
                return idx
        return 0

    def current_optimizer(self) -> Any:
        if self.multi is not None and self.multi.current is not None:
            return self.multi.current[1]
        return self.trainer.optimizers[0] if self.trainer.optimizers else None

    def training_epoch_outputs(self) -> list:
        """The 1.x ``training_epoch_end(outputs)`` value: per batch the dict of the one optimizer, or the list of
        the outputs of the optimizers that ran (batches where nothing ran are left out)."""
        rows = self.train_outputs
        if not rows:
            return []
        if all(len(row) == 1 for row in rows):
            return [row[0] for row in rows if row[0]]
        out = [[o for o in row if o is not None] for row in rows]
        out = [row for row in out if row]
        return out[0] if len(out) == 1 else out  # 1.x squeezed a single batch away

    def eval_epoch_outputs(self, num_dataloaders: int) -> list:
        if num_dataloaders <= 1:
            return self.eval_outputs.get(0, [])
        return [self.eval_outputs.get(i, []) for i in range(num_dataloaders)]


def _detach(value: Any) -> Any:
    """1.x stored evaluation step outputs detached from the graph."""
    if isinstance(value, torch.Tensor):
        return value.detach()
    if isinstance(value, dict):
        return {k: _detach(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_detach(v) for v in value)
    return value


# ------------------------------------------------------------------------------------------------ shims
def _hook_message(owner: str, name: str) -> str:
    fact = legacy_facts().HOOKS.get(("callback" if owner != "LightningModule" else "module", name))
    advice = fact.advice if fact is not None else "see the migration table"
    return f"`{owner}.{name}` uses its 1.x signature, which Lightning 2.x does not call that way: {advice}."


class LegacyShims:
    """Adapters the dispatcher uses for this run: module hooks by name, callback hooks per callback, step calls."""

    def __init__(self, state: _RunState) -> None:
        self.state = state
        self.module_hooks: dict = {}
        self._step_ends: dict = {}
        self._step_needs_dataloader_idx: dict = {}

    # ---------------------------------------------------------------- steps
    def wrap_step(self, name: str, step: Callable, args: tuple) -> tuple:
        position = self._step_needs_dataloader_idx.get(name)
        if position is not None and len(args) <= position:
            args = (*args, 0)
        step_end = self._step_ends.get(name)
        if step_end is None:
            return step, args

        def run_with_step_end(*a: Any, **kw: Any) -> Any:
            output = step(*a, **kw)
            ended = step_end(output)
            return output if ended is None else ended  # 1.x: a step_end returning None keeps the step's output

        return run_with_step_end, args

    # ---------------------------------------------------------------- callbacks
    def callback_hook(self, callback: Any, name: str) -> Callable:
        fn = getattr(callback, name)
        adapted = self._adapt(fn, name, type(callback).__name__, is_callback=True, callback=callback)
        if adapted is None:
            return fn
        adapted.__self__ = callback  # the dispatcher names the owner (profiler, traces) through __self__
        return adapted

    def _adapt(self, fn: Any, name: str, owner: str, is_callback: bool, callback: Any = None) -> Optional[Callable]:
        """A wrapper that calls ``fn`` with its 1.x arguments, or None when ``fn`` has the 2.x signature."""
        state = self.state
        if is_callback and not written_for_1x(callback):
            return None
        lead = 2 if is_callback else 0  # (trainer, pl_module) come first in callback hooks
        params = _params(fn)
        names = [p.name for p in params]
        opt_idx = _param(fn, *_OPT_IDX)

        def note() -> None:
            legacy_usage(_hook_message(owner, name))

        if name == "on_before_optimizer_step" and opt_idx is not None:
            note()
            return lambda *a: fn(*a, state.optimizer_index(a[lead]))
        if name in ("on_train_batch_start", "on_train_batch_end") and (_param(fn, "dataloader_idx", "unused")):
            note()
            return lambda *a: fn(*a, 0)
        if name in _EVAL_BATCH_HOOKS and _required(_param(fn, "dataloader_idx")):
            full = lead + (3 if name.endswith("_start") else 4)  # (batch, batch_idx, dl) / (outputs, batch, ..., dl)
            note()
            return lambda *a: fn(*a) if len(a) >= full else fn(*a, 0)
        if name == "on_train_epoch_end" and _takes_epoch_outputs(fn, lead):
            note()
            return lambda *a: fn(*a, state.training_epoch_outputs())
        if name == "on_predict_epoch_end" and _takes_epoch_outputs(fn, lead):
            note()
            return lambda *a: fn(*a, _predict_results(state.trainer))
        if is_callback and name == "on_load_checkpoint" and names[2:3] == ["callback_state"]:
            legacy_usage(f"`{owner}.on_load_checkpoint(trainer, pl_module, callback_state)` is the 1.3-1.7 signature: "
                         "2.x passes the whole checkpoint there; implement `load_state_dict(self, state_dict)` to "
                         "receive this callback's state.")
            return lambda trainer, module, checkpoint: fn(trainer, module, _callback_state(checkpoint, callback))
        if is_callback and name == "on_save_checkpoint" and not is_overridden("state_dict", callback, parent=Callback):
            return _storing_returned_state(fn, callback, owner)
        if is_callback:
            return None
        trainer = state.trainer
        if name == "optimizer_step" and (opt_idx is not None or "second_order_closure" in names):
            note()
            extras = {k for k in ("on_tpu", "using_native_amp", "using_lbfgs") if _accepts(fn, k)}

            def optimizer_step(epoch: int, batch_idx: int, optimizer: Any, optimizer_closure: Any = None) -> Any:
                values = {"on_tpu": False, "using_native_amp": trainer.precision in ("16-mixed", "bf16-mixed"),
                          "using_lbfgs": isinstance(getattr(optimizer, "_optimizer", optimizer), torch.optim.LBFGS)}
                return fn(epoch, batch_idx, optimizer, state.optimizer_index(optimizer), optimizer_closure,
                          **{k: values[k] for k in extras})

            return optimizer_step
        if name == "optimizer_zero_grad" and opt_idx is not None:
            note()
            return lambda epoch, batch_idx, optimizer: fn(epoch, batch_idx, optimizer, state.optimizer_index(optimizer))
        if name == "backward" and (opt_idx is not None or names[1:2] == ["optimizer"]):
            note()

            def backward(loss: Any, *args: Any, **kwargs: Any) -> Any:
                optimizer = state.current_optimizer()
                return fn(loss, optimizer, state.optimizer_index(optimizer), *args, **kwargs)

            return backward
        if name == "configure_gradient_clipping" and opt_idx is not None:
            note()
            return lambda optimizer, gradient_clip_val=None, gradient_clip_algorithm=None: fn(
                optimizer, state.optimizer_index(optimizer), gradient_clip_val, gradient_clip_algorithm)
        if name == "lr_scheduler_step" and opt_idx is not None:
            note()
            return lambda scheduler, metric: fn(scheduler, state.optimizer_index(scheduler.optimizer), metric)
        if name == "transfer_batch_to_device" and _exactly_positional(fn, 2):
            note()
            return lambda batch, device, dataloader_idx: fn(batch, device)
        return None

    # ---------------------------------------------------------------- module
    def adapt_module(self, model: Any) -> None:
        owner = "LightningModule"
        base = _module_base()
        # `_adapt` only changes hooks the 2.x base has (with a 1.x signature), so the overridden ones are the
        # candidates; the table is not needed to find them.
        overridden = {name for name in _own_names(model, base) if callable(getattr(base, name, None))}
        for name in sorted(overridden | {"on_train_epoch_end"}):
            if not _defined(model, name, parent=base):
                continue
            adapted = self._adapt(getattr(model, name), name, owner, is_callback=False)
            if adapted is not None:
                self.module_hooks[name] = adapted
        step_ends = legacy_facts().STEP_END_HOOKS if _extra_names(model, base) else {}
        for step, end in ((v, k) for k, v in step_ends.items()):
            if callable(getattr(model, end, None)):
                legacy_usage(f"`{type(model).__name__}.{end}` was removed in 2.0 and 2.x never calls it: move its "
                             f"code into `{step}` (its return value fed the loss and the epoch-end outputs in 1.x).")
                self._step_ends[step] = getattr(model, end)
        for step in ("validation_step", "test_step"):
            fn = getattr(model, step)
            param = _param(fn, "dataloader_idx")
            if _required(param):
                legacy_usage(_hook_message(owner, step))
                self._step_needs_dataloader_idx[step] = _params(fn).index(param)

    @property
    def active(self) -> bool:
        return bool(self.module_hooks or self._step_ends or self._step_needs_dataloader_idx)


def _own_names(obj: Any, base: type) -> set:
    """Public names ``obj`` defines beyond ``base``: callables in its instance dict and anything in its classes other
    than ``base``, the classes above it and Lightning's own (2.x by construction)."""
    names = {name for name, value in getattr(obj, "__dict__", {}).items() if callable(value)}
    for klass in type(obj).__mro__:
        if klass not in base.__mro__ and not klass.__module__.startswith("lightning."):
            names.update(vars(klass))
    return {name for name in names if not name.startswith("_")}


def _extra_names(obj: Any, base: type) -> set:
    """The public callables of ``obj`` that ``base`` lacks: a removed 1.x hook can only be one of them (or a helper
    method). Only when there are some is the migration table read."""
    return {name for name in _own_names(obj, base) if not hasattr(base, name) and callable(getattr(obj, name, None))}


def _module_base() -> type:
    return imported_class("lightning.pytorch.core.module", "LightningModule")


def _predict_results(trainer: Any) -> list:
    predictions = trainer.predict_loop.predictions
    if predictions and isinstance(predictions[0], list) and len(trainer.num_predict_batches) > 1:
        return predictions
    return [predictions]


def _storing_returned_state(fn: Callable, callback: Any, owner: str) -> Callable:
    """1.3-1.7: the dict a callback's ``on_save_checkpoint`` returned was its checkpointed state; 2.x drops it."""

    def on_save_checkpoint(trainer: Any, pl_module: Any, checkpoint: dict) -> None:
        state = fn(trainer, pl_module, checkpoint)
        if isinstance(state, dict):
            legacy_usage(f"`{owner}.on_save_checkpoint` returns its state, which 2.x ignores (1.x stored it): "
                         "implement `state_dict(self)` / `load_state_dict(self, state_dict)` instead.")
            checkpoint.setdefault("callbacks", {})[callback.state_key] = state

    return on_save_checkpoint


def _callback_state(checkpoint: dict, callback: Any) -> Any:
    states = checkpoint.get("callbacks") or {}
    return states.get(callback.state_key, states.get(callback._legacy_state_key))


def _wrap_configure_optimizers(state: _RunState, fn: Callable) -> Callable:
    """Record 1.x per-optimizer ``frequency`` values and hand 2.x the configuration without them."""

    def configure_optimizers() -> Any:
        conf = fn()
        dicts = [conf] if isinstance(conf, dict) else list(conf) if isinstance(conf, (list, tuple)) and conf and all(
            isinstance(d, dict) for d in conf) else []
        frequencies = [d.get("frequency") for d in dicts]
        if any(f is not None for f in frequencies):
            legacy_usage("`configure_optimizers` returned per-optimizer `frequency` values, removed in 2.0: use manual "
                         "optimization and step each optimizer when its turn comes.")
            state.frequencies[:] = [int(f or 1) for f in frequencies]
            conf = type(conf)({k: v for k, v in d.items() if k != "frequency"} for d in dicts) if not isinstance(
                conf, dict) else {k: v for k, v in conf.items() if k != "frequency"}
        return conf

    return configure_optimizers


# ------------------------------------------------------------------------------------------------ the callback
class LegacyHookCallback(Callback):
    """Calls the removed 1.x hooks of the module and of the user's callbacks where 1.x called them."""

    def __init__(self, state: _RunState, module_hooks: set, callback_hooks: dict, collect_train: bool,
                 collect_eval: set, track_grad_norm: Any) -> None:
        self.state = state
        self.module_hooks = module_hooks  # removed hook names the module implements
        self.callback_hooks = callback_hooks  # removed hook name -> [callbacks implementing it]
        self.collect_train = collect_train
        self.collect_eval = collect_eval  # {"validation", "test"} whose *_epoch_end the module implements
        self.track_grad_norm = track_grad_norm

    @property
    def state_key(self) -> str:
        return "_LegacyHookCallback"

    def _fire(self, name: str, trainer: Any, pl_module: Any, *args: Any) -> None:
        for callback in self.callback_hooks.get(name, ()):
            getattr(callback, name)(trainer, pl_module, *args)
        if name in self.module_hooks:
            getattr(pl_module, name)()

    # ------------------------------------------------------------ fit
    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        self._fire("on_before_accelerator_backend_setup", trainer, pl_module)
        self._fire("on_configure_sharded_model", trainer, pl_module)

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        self._fire("on_pretrain_routine_start", trainer, pl_module)
        self._fire("on_pretrain_routine_end", trainer, pl_module)

    def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        self.state.train_outputs = []
        self._fire("on_epoch_start", trainer, pl_module)

    def on_train_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int) -> None:
        self._fire("on_batch_start", trainer, pl_module)

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        if self.collect_train:
            multi = self.state.multi
            row = list(multi.last_outputs) if multi is not None else [outputs or None]
            if any(o is not None for o in row):
                self.state.train_outputs.append(row)
        self._fire("on_batch_end", trainer, pl_module)

    def on_before_optimizer_step(self, trainer: Any, pl_module: Any, optimizer: Any) -> None:
        if self.track_grad_norm not in (-1, None):
            from lightning.pytorch.utilities.grads import grad_norm

            norms = grad_norm(pl_module, self.track_grad_norm)
            if norms and callable(getattr(pl_module, "log_grad_norm", None)):
                pl_module.log_grad_norm(norms)  # the 1.x hook for customizing how the norms are logged
            elif norms:
                pl_module.log_dict(norms, on_step=True, on_epoch=True)

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if callable(getattr(pl_module, "training_epoch_end", None)) and self.state.train_outputs:
            _call_epoch_end(pl_module, "training_epoch_end", self.state.training_epoch_outputs())
        self.state.train_outputs = []
        self._fire("on_epoch_end", trainer, pl_module)

    # ------------------------------------------------------------ validation / test
    def _eval_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        self.state.eval_outputs = {}
        self._fire("on_epoch_start", trainer, pl_module)

    def _eval_batch_end(self, stage: str, outputs: Any, dataloader_idx: int) -> None:
        if stage in self.collect_eval and outputs is not None:
            self.state.eval_outputs.setdefault(dataloader_idx, []).append(_detach(outputs))

    def _eval_epoch_end(self, stage: str, trainer: Any, pl_module: Any) -> None:
        if stage in self.collect_eval:
            loop = trainer.test_loop if stage == "test" else (
                trainer.validate_loop if trainer.state.fn.value == "validate" else trainer.fit_loop.epoch_loop.val_loop)
            outputs = self.state.eval_epoch_outputs(loop.num_dataloaders)
            _call_epoch_end(pl_module, f"{stage}_epoch_end", outputs)
            self.state.eval_outputs = {}
        self._fire("on_epoch_end", trainer, pl_module)

    def on_validation_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        self._eval_epoch_start(trainer, pl_module)

    def on_validation_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int,
                                dataloader_idx: int = 0) -> None:
        self._eval_batch_end("validation", outputs, dataloader_idx)

    def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        self._eval_epoch_end("validation", trainer, pl_module)

    def on_test_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        self._eval_epoch_start(trainer, pl_module)

    def on_test_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int,
                          dataloader_idx: int = 0) -> None:
        self._eval_batch_end("test", outputs, dataloader_idx)

    def on_test_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        self._eval_epoch_end("test", trainer, pl_module)

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        if isinstance(exception, KeyboardInterrupt):
            for callback in self.callback_hooks.get("on_keyboard_interrupt", ()):
                callback.on_keyboard_interrupt(trainer, pl_module)


def _call_epoch_end(pl_module: Any, name: str, outputs: list) -> None:
    result = getattr(pl_module, name)(outputs)
    if result is not None:
        raise ValueError(f"`{name}` must return None (1.x raised the same): remove its return statement.")


# ------------------------------------------------------------------------------------------------ entry point
def _strict_epoch_end_error(model: Any) -> None:
    for fact in legacy_facts().EPOCH_END_HOOKS.values():
        if callable(getattr(model, fact.old, None)):
            raise NotImplementedError(
                f"Support for `{fact.old}` has been removed in v2.0.0. `{type(model).__name__}` implements this "
                f"method. Use the `{fact.new}` hook instead and collect the step outputs on `self` (or run "
                "`lit-migrate`)."
            )


def legacy_run_callbacks(trainer: Any, model: Any) -> list:
    """Internal callbacks (and hook shims) that give the 1.x hooks of ``model`` and the callbacks their 1.x meaning."""
    hooks = trainer._hooks
    hooks.shims = None
    trainer.fit_loop.epoch_loop.legacy_optimization = None
    if strict_mode():
        _strict_epoch_end_error(model)
        return []
    module_1x = written_for_1x(model)
    if not module_1x and _extra_names(model, _module_base()):
        _strict_epoch_end_error(model)  # 2.x code: these hooks make Lightning 2.6.6 raise
    settings = trainer._legacy_settings
    state = _RunState(trainer, model)
    shims = LegacyShims(state)
    if module_1x:
        shims.adapt_module(model)
    if supports_multiple_optimizers(model) and trainer.state.fn.value == "fit":
        from lightning.pytorch._legacy.multi_optimizer import LegacyMultiOptimization

        legacy_usage(f"`{type(model).__name__}.training_step` takes `optimizer_idx`: several optimizers in automatic "
                     "optimization were removed in 2.0; use manual optimization (`self.automatic_optimization = "
                     "False`).")
        shims.module_hooks["configure_optimizers"] = _wrap_configure_optimizers(state, model.configure_optimizers)
        state.multi = LegacyMultiOptimization(trainer, state.frequencies)
        trainer.fit_loop.epoch_loop.legacy_optimization = state.multi

    # Removed hooks are named in a warning wherever they are (in 2.x code: leftovers of a migration, maybe), but only
    # 1.x code gets them called.
    module_removed = {name for name in _MODULE_REMOVED if _defined(model, name, parent=_module_base())}
    callbacks_1x = [callback for callback in trainer.callbacks if written_for_1x(callback)]
    callback_removed: dict = {}
    for callback in trainer.callbacks:
        for name in _CALLBACK_REMOVED:
            if _defined(callback, name, parent=Callback):
                callback_removed.setdefault(name, []).append(callback)
    for name in sorted(module_removed):
        legacy_usage(f"`{type(model).__name__}.{name}` was removed in 1.8 and 2.x never calls it: "
                     f"{_removed_advice('module', name)}.")
    for name, owners in sorted(callback_removed.items()):
        legacy_usage(f"`{type(owners[0]).__name__}.{name}` was removed and 2.x never calls it: "
                     f"{_removed_advice('callback', name)}.")
    _warn_never_called(model, trainer.callbacks, shims, settings.track_grad_norm if settings is not None else -1)
    if _defined(model, "configure_sharded_model", parent=_module_base()):
        legacy_usage(f"`{type(model).__name__}.configure_sharded_model` is deprecated since 2.1: rename it to "
                     "`configure_model`.")
    collect_eval = {stage for stage in ("validation", "test") if callable(getattr(model, f"{stage}_epoch_end", None))}
    for stage in sorted(collect_eval):
        legacy_usage(f"`{type(model).__name__}.{stage}_epoch_end(outputs)` was removed in 2.0 (2.x raises): use "
                     f"`on_{stage}_epoch_end` and collect the step outputs on `self`.")
    train_epoch_end = callable(getattr(model, "training_epoch_end", None))
    if train_epoch_end:
        legacy_usage(f"`{type(model).__name__}.training_epoch_end(outputs)` was removed in 2.0 (2.x raises): use "
                     "`on_train_epoch_end` and collect the step outputs on `self`.")
    train_outputs_hook = "on_train_epoch_end" in shims.module_hooks or any(
        _takes_epoch_outputs(cb.on_train_epoch_end, 2) for cb in callbacks_1x
        if _defined(cb, "on_train_epoch_end", parent=Callback))
    track = settings.track_grad_norm if settings is not None else -1
    _apply_settings(trainer, model, settings)
    module_removed = module_removed if module_1x else set()
    callback_removed = {name: kept for name, owners in callback_removed.items()
                        if (kept := [cb for cb in owners if any(cb is c for c in callbacks_1x)])}

    needs_callback = bool(module_removed or callback_removed or collect_eval or train_epoch_end or train_outputs_hook
                          or track not in (-1, None) or state.multi is not None)
    needs_shims = shims.active or _callbacks_need_shims(shims, callbacks_1x)
    if needs_shims or needs_callback:
        hooks.shims = shims
    if not needs_callback:
        return []
    return [LegacyHookCallback(state, module_removed, callback_removed, train_epoch_end or train_outputs_hook,
                               collect_eval, track)]


def _callbacks_need_shims(shims: LegacyShims, callbacks: list) -> bool:
    for callback in callbacks:
        for name in ("on_before_optimizer_step", "on_train_batch_start", "on_train_batch_end", "on_train_epoch_end",
                     "on_predict_epoch_end", "on_load_checkpoint", *_EVAL_BATCH_HOOKS):
            if _defined(callback, name, parent=Callback) and shims._adapt(
                    getattr(callback, name), name, type(callback).__name__, True, callback) is not None:
                return True
    return False


# Hooks 2.x still calls under the same name, or that the shims/the internal callback take care of.
# (`finetune_function` is called by BaseFinetuning itself, with the 2.x arguments.)
_HANDLED = set(_CALLBACK_REMOVED) | {"on_init_start", "on_init_end", "configure_sharded_model", "finetune_function"}


def _warn_never_called(model: Any, callbacks: list, shims: LegacyShims, track_grad_norm: Any) -> None:
    """A removed hook nothing replaces at run time (``get_progress_bar_dict``, ``on_hpc_save`` ...): say so, since
    2.x silently never calls it."""
    module_base = _module_base()
    if not (_extra_names(model, module_base) or any(_extra_names(cb, Callback) for cb in callbacks)):
        return
    for (owner, name), fact in sorted(legacy_facts().HOOKS.items()):
        if name in _HANDLED or (owner == "module" and name in shims.module_hooks):
            continue
        if name == "log_grad_norm" and track_grad_norm not in (-1, None):
            continue  # called with the norms, as 1.x did
        objects = [model] if owner == "module" else callbacks
        parent = module_base if owner == "module" else Callback
        for obj in objects:
            if not hasattr(parent, name) and callable(getattr(obj, name, None)):
                legacy_usage(f"`{type(obj).__name__}.{name}` is a 1.x hook that Lightning 2.x never calls: "
                             f"{fact.advice}.")


def _removed_advice(owner: str, name: str) -> str:
    facts = legacy_facts()
    fact = facts.HOOKS.get((owner, name))
    if fact is not None:
        return fact.advice
    expansions = facts.EPOCH_HOOK_EXPANSIONS.get(name)
    return f"use {' / '.join(expansions)}" if expansions else "see the migration table"


def _apply_settings(trainer: Any, model: Any, settings: Any) -> None:
    """Trainer flags of 1.x that became module attributes."""
    if settings is None:
        return
    if settings.prepare_data_per_node is not None:
        for obj in (model, trainer.datamodule):
            if obj is not None:
                obj.prepare_data_per_node = settings.prepare_data_per_node
    if settings.automatic_optimization is not None:
        model.automatic_optimization = settings.automatic_optimization
