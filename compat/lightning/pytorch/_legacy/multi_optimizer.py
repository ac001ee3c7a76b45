"""The 1.x GAN pattern: several optimizers in automatic optimization, ``training_step(batch, batch_idx, optimizer_idx)``.

``hooks`` puts it in the slot ``TrainingEpochLoop.legacy_optimization`` for the run. Per batch, each *active* optimizer
(all of them, or one at a time when ``configure_optimizers`` gave per-optimizer ``frequency`` values) runs the ordinary
2.x closure and ``optimizer_step`` with ``optimizer_idx`` appended to the step arguments; its parameters are the only
trainable ones meanwhile (``toggle_optimizer``), as in 1.x. Every optimizer step counts towards ``global_step``, as in
1.x.
"""
import bisect
import itertools
from collections import OrderedDict
from typing import Any, Optional


class LegacyMultiOptimization:
    """Runs one training batch through every active optimizer, the 1.x way."""

    def __init__(self, trainer: Any, frequencies: list) -> None:
        self.trainer = trainer
        self.frequencies = frequencies  # filled in when configure_optimizers runs; empty: every optimizer per batch
        self.current: Optional[tuple] = None  # (optimizer_idx, optimizer) while a step runs, for the hook shims
        self.last_outputs: list = []  # per optimizer index, of the last batch (for training_epoch_end)

    def active_optimizers(self, batch_idx: int) -> list:
        """[(optimizer_idx, optimizer)]: all of them, or the one whose turn it is when frequencies are given."""
        optimizers = self.trainer.optimizers
        if not self.frequencies:
            return list(enumerate(optimizers))
        cumulative = list(itertools.accumulate(self.frequencies))
        place = batch_idx % cumulative[-1]
        idx = bisect.bisect_right(cumulative, place)
        return [(idx, optimizers[idx])]

    def run(self, automatic: Any, batch_idx: int, kwargs: OrderedDict, should_step: bool) -> Any:
        """Run the batch; returns what 1.x passed to ``on_train_batch_end`` (``last_outputs`` keeps them per
        optimizer index, None where an optimizer did not run)."""
        trainer = self.trainer
        module = trainer.lightning_module
        several = len(trainer.optimizers) > 1
        outputs: list = [None] * len(trainer.optimizers)
        for idx, optimizer in self.active_optimizers(batch_idx):
            step_kwargs = OrderedDict(kwargs)
            step_kwargs["optimizer_idx"] = idx
            self.current = (idx, optimizer)
            if several:
                module.toggle_optimizer(optimizer)
            try:
                output = automatic.run(optimizer, batch_idx, step_kwargs, should_step)
            finally:
                if several:
                    module.untoggle_optimizer(optimizer)
                self.current = None
            outputs[idx] = output or None
        self.last_outputs = outputs
        return batch_end_outputs(outputs)

    def steps(self, config: Any, total_batch_idx: int) -> bool:
        """Whether a scheduler belongs to an optimizer that is active now (1.x stepped only those)."""
        active = self.active_optimizers(total_batch_idx)
        return any(config.scheduler.optimizer is optimizer for _, optimizer in active)


def batch_end_outputs(outputs: list) -> Any:
    """The 1.x ``on_train_batch_end(outputs)`` value: the one output, or the list of those that ran."""
    ran = [o for o in outputs if o is not None]
    if len(outputs) == 1:
        return ran[0] if ran else {}
    return ran
