"""One training batch: automatic optimization (closure + ``optimizer_step`` hook) or manual optimization.

The closure is one plain object: calling it runs ``training_step``, then ``optimizer_zero_grad`` (on the first batch
of an accumulation window) and backward, and returns the loss. Users receive it as ``optimizer_closure`` in
``optimizer_step`` and optimizers like LBFGS call it several times.
"""
from typing import Any, Optional

from torch import Tensor

from lightning.fabric.utilities.rank_zero import WarningCache
from lightning.pytorch.loops.progress import _OptimizationProgress, _Progress, _ReadyCompletedTracker
from lightning.pytorch.core.optimizer import LightningOptimizer, _lightning_class
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.strategies.strategy import Strategy
from lightning.pytorch.utilities.exceptions import MisconfigurationException

_warning_cache = WarningCache()
# The hooks that run inside one optimizer step, and the strategy methods that (in the base class) only pass a step on
# to the precision plugin / the module: see `_AutomaticOptimization.on_run_start`.
_OPTIMIZER_STEP_HOOKS = frozenset({"on_before_zero_grad", "optimizer_zero_grad", "optimizer_step", "on_before_backward",
                                   "backward", "on_after_backward", "on_before_optimizer_step",
                                   "configure_gradient_clipping"})
_FORWARDING_STRATEGY_METHODS = ("training_step", "_forward_redirect", "post_training_step", "backward",
                                "optimizer_step")


class ClosureResult:
    """What ``training_step`` returned, split into the loss that drives backward and the rest."""

    __slots__ = ("closure_loss", "loss", "extra")

    def __init__(self, closure_loss: Optional[Tensor], extra: dict) -> None:
        self.closure_loss = closure_loss
        self.loss = closure_loss.detach() if closure_loss is not None else None
        self.extra = extra

    @classmethod
    def from_training_step_output(cls, output: Any, normalize: int = 1) -> "ClosureResult":
        extra: dict = {}
        if isinstance(output, Tensor):  # the usual case first: this runs every step
            closure_loss = output
        elif isinstance(output, dict):
            if "loss" not in output:
                raise MisconfigurationException(
                    "`training_step` returned a dict without a 'loss' key: in automatic optimization the dict must "
                    "hold the loss tensor under 'loss' (or return the loss tensor itself, or None to skip the batch)."
                )
            closure_loss = output["loss"]
            extra = {k: v for k, v in output.items() if k != "loss"}
        elif output is None:
            return cls(None, extra)
        else:
            raise MisconfigurationException(
                f"In automatic optimization, `training_step` must return a Tensor, a dict with a 'loss' key or None; "
                f"it returned {type(output).__name__}."
            )
        if not isinstance(closure_loss, Tensor) or closure_loss.numel() != 1:
            raise MisconfigurationException(
                "The loss returned by `training_step` must be a one-element tensor; reduce it, e.g. `loss.mean()`."
            )
        if normalize > 1:
            closure_loss = closure_loss / normalize
        return cls(closure_loss, extra)

    def asdict(self) -> dict:
        return {"loss": self.loss, **self.extra}


class Closure:
    """Runs training_step, zero_grad and backward for one batch; remembers the result for the loop."""

    __slots__ = ("loop", "kwargs", "optimizer", "batch_idx", "zero_grad", "result")

    def __init__(self, loop: "_AutomaticOptimization", kwargs: dict, optimizer: Any, batch_idx: int,
                 zero_grad: bool) -> None:
        self.loop = loop
        self.kwargs = kwargs
        self.optimizer = optimizer
        self.batch_idx = batch_idx
        self.zero_grad = zero_grad
        self.result: Optional[ClosureResult] = None

    def __call__(self, *args: Any, **kwargs: Any) -> Optional[Tensor]:
        loop = self.loop
        trainer = loop.trainer
        hooks = trainer._hooks
        direct = loop.direct
        if direct:
            module = hooks.module
            output = hooks._call_as("training_step", module.training_step, "LightningModule", module,
                                    tuple(self.kwargs.values()), {})
        else:
            output = hooks.call_strategy("training_step", *self.kwargs.values())
            trainer.strategy.post_training_step()
        result = ClosureResult.from_training_step_output(output, trainer.accumulate_grad_batches)
        self.result = result
        if self.zero_grad:
            progress = self.loop.optim_progress.optimizer.zero_grad
            progress.increment_ready()
            if "on_before_zero_grad" in hooks.active:
                hooks.fire("on_before_zero_grad", self.optimizer)
            progress.increment_started()
            if "optimizer_zero_grad" in hooks.active:
                hooks.call_module("optimizer_zero_grad", trainer.current_epoch, self.batch_idx, self.optimizer)
            else:
                self.optimizer.zero_grad()
            progress.increment_completed()
        if result.closure_loss is not None:
            if direct:
                result.closure_loss.backward()
            else:
                trainer.strategy.backward(result.closure_loss, self.optimizer)
        return result.loss


class _AutomaticOptimization:
    """``training_step`` returns the loss; the Trainer zeroes grads, calls backward and steps the optimizer."""

    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer
        self.optim_progress = _OptimizationProgress()
        self.direct = False  # step without the layers that would only forward calls; see `on_run_start`

    def on_run_start(self) -> None:
        """Decide, once per epoch, whether steps may take the direct route: with the base strategy methods, the
        32-bit precision plugin, plain optimizer wrappers, no gradient clipping, no profiler, trace or legacy shims,
        and none of the hooks inside an optimizer step overridden, the layers between the optimizer and
        ``training_step`` / ``backward`` only forward the call. The direct route does the same work without them
        (a measurable share of the per-step cost on small models)."""
        trainer = self.trainer
        strategy = trainer.strategy
        hooks = trainer._hooks
        kind = type(strategy)
        self.direct = (
            type(strategy.precision_plugin) is Precision
            and all(getattr(kind, name) is getattr(Strategy, name) for name in _FORWARDING_STRATEGY_METHODS)
            and hooks.active.isdisjoint(_OPTIMIZER_STEP_HOOKS)
            and hooks.profiler is None and hooks.trace is None and hooks.shims is None
            and not trainer.gradient_clip_val
            and all(type(lo) is _lightning_class(type(lo.optimizer)) and lo._on_before_step is None
                    for lo in strategy._lightning_optimizers)  # (a user's LightningOptimizer subclass takes the full route)
        )

    def run(self, optimizer: Any, batch_idx: int, kwargs: dict, should_step: bool) -> dict:
        trainer = self.trainer
        first_of_window = batch_idx % trainer.accumulate_grad_batches == 0
        closure = Closure(self, kwargs, optimizer, batch_idx, zero_grad=first_of_window)
        if should_step:
            progress = self.optim_progress.optimizer.step
            progress.increment_ready()
            if self.direct:
                optimizer.step(closure=closure)
            else:
                # the hook gets the LightningOptimizer: its step() routes through the precision plugin (scaling,
                # on_before_optimizer_step, gradient clipping)
                wrappers = trainer.strategy._lightning_optimizers
                lightning_optimizer = wrappers[0]
                if len(wrappers) > 1:  # several: the 1.x GAN pattern
                    lightning_optimizer = next((lo for lo in wrappers if lo._optimizer is optimizer),
                                               lightning_optimizer)
                if "optimizer_step" in trainer._hooks.active:
                    trainer._hooks.call_module(
                        "optimizer_step", trainer.current_epoch, batch_idx, lightning_optimizer, closure
                    )
                else:
                    lightning_optimizer.step(closure=closure)
            if closure.result is None:
                raise MisconfigurationException(
                    "The closure passed to `optimizer_step` was never called. Call it, e.g. "
                    "`optimizer.step(closure=optimizer_closure)`, or call `optimizer_closure()` yourself."
                )
            progress.increment_completed()
        else:
            # accumulating: a parallel strategy skips the gradient all-reduce until the stepping batch
            block_sync = getattr(trainer.strategy, "block_backward_sync", None)
            if block_sync is not None:
                with block_sync():
                    closure()
            else:
                closure()
        result = closure.result
        assert result is not None
        return result.asdict() if result.loss is not None else {}

    def state_dict(self) -> dict:
        return {}


class _ManualOptimization:
    """``training_step`` does its own ``manual_backward`` / ``opt.step()``; steps are counted via the wrappers."""

    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer
        self.optim_step_progress = _Progress.from_defaults(_ReadyCompletedTracker)

    def _on_before_step(self) -> None:
        self.optim_step_progress.increment_ready()

    def _on_after_step(self) -> None:
        self.optim_step_progress.increment_completed()

    def on_run_start(self) -> None:
        for lightning_optimizer in self.trainer.strategy._lightning_optimizers:
            lightning_optimizer._on_before_step = self._on_before_step
            lightning_optimizer._on_after_step = self._on_after_step

    def run(self, kwargs: dict) -> dict:
        trainer = self.trainer
        output = trainer._hooks.call_strategy("training_step", *kwargs.values())
        trainer.strategy.post_training_step()
        if isinstance(output, dict):
            result = dict(output)
        elif isinstance(output, Tensor):
            result = {"loss": output}
        elif output is None:
            result = {}
        else:
            raise MisconfigurationException(
                "In manual optimization, `training_step` must return a Tensor, a dict or nothing; it returned "
                f"{type(output).__name__}."
            )
        return {k: v.detach() if isinstance(v, Tensor) else v for k, v in result.items()}

    def state_dict(self) -> dict:
        return {}



# 2.6.6 ships `loops.optimization` as a package whose submodules (automatic, closure, manual) hold the public closure
# and result types; they live in `_optimization/` and are importable under this module's name.
__path__ = [__import__("os").path.join(__import__("os").path.dirname(__file__), "_optimization")]
