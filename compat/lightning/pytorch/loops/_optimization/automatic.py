"""``lightning.pytorch.loops.optimization.automatic``: the closure of automatic optimization in 2.6.6's shape:
``Closure(step_fn, backward_fn, zero_grad_fn)`` and the ``ClosureResult`` its step returns."""
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from torch import Tensor

from lightning.fabric.utilities.rank_zero import WarningCache
from lightning.pytorch.loops.optimization import ClosureResult as _LoopClosureResult
from lightning.pytorch.loops.optimization.closure import AbstractClosure, OutputResult
from lightning.pytorch.utilities.types import STEP_OUTPUT

_warnings = WarningCache()


@dataclass
class ClosureResult(OutputResult):
    """The loss that drives backward (``closure_loss``), its detached copy (``loss``) and the other outputs."""

    closure_loss: Optional[Tensor]
    loss: Optional[Tensor] = field(init=False, default=None)
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.closure_loss is not None:
            self.loss = self.closure_loss.detach().clone()

    @classmethod
    def from_training_step_output(cls, training_step_output: STEP_OUTPUT, normalize: int = 1) -> "ClosureResult":
        # one set of rules for what training_step may return: the Trainer's own
        parsed = _LoopClosureResult.from_training_step_output(training_step_output, normalize)
        return cls(parsed.closure_loss, extra=parsed.extra)

    def asdict(self) -> dict:
        return {"loss": self.loss, **self.extra}


class Closure(AbstractClosure[ClosureResult]):
    """Runs ``step_fn`` (training_step), then ``zero_grad_fn`` and ``backward_fn`` when given."""

    warning_cache = _warnings

    def __init__(self, step_fn: Callable[[], ClosureResult], backward_fn: Optional[Callable[[Tensor], None]] = None,
                 zero_grad_fn: Optional[Callable[[], None]] = None) -> None:
        super().__init__()
        self._step_fn = step_fn
        self._backward_fn = backward_fn
        self._zero_grad_fn = zero_grad_fn

    def closure(self, *args: Any, **kwargs: Any) -> ClosureResult:
        step_output = self._step_fn()
        if step_output.closure_loss is None:
            self.warning_cache.warn("`training_step` returned `None`. If this was on purpose, ignore this warning...")
        if self._zero_grad_fn is not None:
            self._zero_grad_fn()
        if self._backward_fn is not None and step_output.closure_loss is not None:
            self._backward_fn(step_output.closure_loss)
        return step_output

    def __call__(self, *args: Any, **kwargs: Any) -> Optional[Tensor]:
        self._result = self.closure(*args, **kwargs)
        return self._result.loss
