"""``GradientAccumulationScheduler``: change how many batches are accumulated per optimizer step, by epoch."""
from typing import Any, Dict

from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.utilities.model_helpers import is_overridden


class GradientAccumulationScheduler(Callback):
    """``scheduling`` maps a (0-based) epoch to the accumulation factor from that epoch on, e.g. ``{0: 8, 4: 4}``;
    epochs before the first key accumulate 1 batch. Sets ``trainer.accumulate_grad_batches`` at each epoch start."""

    def __init__(self, scheduling: Dict[int, int]):
        super().__init__()
        if not scheduling:
            raise TypeError("`GradientAccumulationScheduler(scheduling=...)` needs a non-empty {epoch: factor} dict.")
        if any(not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0 for epoch in scheduling):
            raise MisconfigurationException(
                f"Epoch should be an int greater than or equal to 0. Got {list(scheduling.keys())}."
            )
        if any(not isinstance(f, int) or isinstance(f, bool) or f < 1 for f in scheduling.values()):
            raise MisconfigurationException(
                f"Accumulation factor should be an int greater than 0. Got {list(scheduling.values())}."
            )
        if min(scheduling) != 0:
            scheduling.update({0: 1})
        self.scheduling = scheduling
        self.epochs = sorted(scheduling)

    def going_to_accumulate_grad_batches(self) -> bool:
        return any(factor > 1 for factor in self.scheduling.values())

    def get_accumulate_grad_batches(self, epoch: int) -> int:
        """The factor in force at ``epoch``: the one of the latest scheduled epoch not after it."""
        started = [e for e in self.epochs if e <= epoch]
        return self.scheduling[started[-1]] if started else 1

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:
        if not pl_module.automatic_optimization:
            raise RuntimeError(
                "Automatic gradient accumulation and the `GradientAccumulationScheduler` callback are not supported "
                "with manual optimization: remove the callback and accumulate in `training_step` yourself."
            )
        overrides_step = is_overridden("optimizer_step", pl_module) or is_overridden("optimizer_zero_grad", pl_module)
        if overrides_step and self.going_to_accumulate_grad_batches():
            rank_zero_warn(
                "When using `Trainer(accumulate_grad_batches != 1)` and overriding "
                "`LightningModule.optimizer_{step,zero_grad}`, the hooks will not be called on every batch (rather, "
                "they are called on every optimization step)."
            )
        if type(trainer.strategy).__name__ == "DeepSpeedStrategy":
            raise RuntimeError(f"The `{type(trainer.strategy).__name__}` does not support `accumulate_grad_batches` "
                               "changing between epochs.")
        if trainer.accumulate_grad_batches != 1:
            raise ValueError(
                "You have set `accumulate_grad_batches` and are using the `GradientAccumulationScheduler` callback. "
                "Either remove `accumulate_grad_batches` from the Trainer or remove the callback."
            )

    def on_train_epoch_start(self, trainer: Any, *_: Any) -> None:
        trainer.accumulate_grad_batches = self.get_accumulate_grad_batches(trainer.current_epoch)
