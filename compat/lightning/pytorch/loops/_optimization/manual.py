"""``lightning.pytorch.loops.optimization.manual``: ``ManualResult``, what a manual-optimization step produced."""
from dataclasses import dataclass, field

from torch import Tensor

from lightning.pytorch.loops.optimization.closure import OutputResult
from lightning.pytorch.utilities.types import STEP_OUTPUT


@dataclass
class ManualResult(OutputResult):
    """Everything ``training_step`` returned (a returned ``"loss"`` detached)."""

    extra: dict = field(default_factory=dict)

    @classmethod
    def from_training_step_output(cls, training_step_output: STEP_OUTPUT) -> "ManualResult":
        if isinstance(training_step_output, dict):
            extra = {k: v.detach() if k == "loss" and isinstance(v, Tensor) else v
                     for k, v in training_step_output.items()}
        elif isinstance(training_step_output, Tensor):
            extra = {"loss": training_step_output.detach()}
        elif training_step_output is None:
            extra = {}
        else:
            raise ValueError("In manual optimization, `training_step` must return a Tensor, a dict or None; it returned "
                             f"{type(training_step_output).__name__}.")
        return cls(extra=extra)

    def asdict(self) -> dict:
        return self.extra
