"""``ThroughputMonitor``: logs batches/samples (and items, FLOPs, MFU) per second for each stage, measured from
the stage's start with validation time excluded from training throughput."""
import time
from typing import Any, Callable, Optional

import torch

from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn
from lightning.fabric.utilities.throughput import Throughput, _plugin_to_compute_dtype, get_available_flops
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.trainer.states import RunningStage, TrainerFn


class ThroughputMonitor(Callback):
    """``batch_size_fn(batch)`` gives the samples in a batch; ``length_fn(batch)`` (optional) the items, e.g.
    tokens. FLOPs come from a ``flops_per_batch`` attribute of the LightningModule when it has one. Other keyword
    arguments go to ``Throughput`` (``window_size``, ``separator``). Metrics are logged as
    ``"{stage}{separator}{metric}"``, e.g. ``train/device/samples_per_sec``."""

    def __init__(self, batch_size_fn: Callable[[Any], int], length_fn: Optional[Callable[[Any], int]] = None,
                 **kwargs: Any) -> None:
        super().__init__()
        self.kwargs = kwargs
        self.batch_size_fn = batch_size_fn
        self.length_fn = length_fn
        self.available_flops: Optional[int] = None
        self._throughputs: dict = {}
        self._t0s: dict = {}
        self._lengths: dict = {}
        self._samples: dict = {}
        self._batches: dict = {}
        self._module_has_flops: Optional[bool] = None

    def _new_throughput(self, trainer: Any) -> Throughput:
        return Throughput(available_flops=self.available_flops, world_size=trainer.world_size, **self.kwargs)

    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        dtype = _plugin_to_compute_dtype(trainer.precision_plugin)
        self.available_flops = get_available_flops(trainer.strategy.root_device, dtype)
        if stage == TrainerFn.FITTING:
            self._throughputs[RunningStage.TRAINING] = self._new_throughput(trainer)
            if trainer.enable_validation:
                self._throughputs[RunningStage.VALIDATING] = self._new_throughput(trainer)
        else:
            running = {TrainerFn.VALIDATING: RunningStage.VALIDATING, TrainerFn.TESTING: RunningStage.TESTING,
                       TrainerFn.PREDICTING: RunningStage.PREDICTING}[TrainerFn(stage)]
            self._throughputs[running] = self._new_throughput(trainer)

    def _start(self, trainer: Any) -> None:
        stage = trainer.state.stage
        if trainer.state.fn == TrainerFn.FITTING or stage not in self._samples:
            self._throughputs[stage].reset()
            self._lengths[stage] = 0
            self._samples[stage] = 0
            self._batches[stage] = 0
        self._t0s[stage] = time.perf_counter()

    @torch.inference_mode()  # `batch_size_fn` / `length_fn` must not record autograd history
    def _update(self, trainer: Any, pl_module: Any, batch: Any) -> None:
        stage = trainer.state.stage
        if trainer.strategy.root_device.type == "cuda":
            torch.cuda.synchronize()  # otherwise the clock runs ahead of the queued kernels
        elapsed = time.perf_counter() - self._t0s[stage]
        if self.length_fn is not None:
            self._lengths[stage] += self.length_fn(batch)
        if self._module_has_flops is None:
            self._module_has_flops = hasattr(pl_module, "flops_per_batch")
            if not self._module_has_flops:
                rank_zero_warn("When using the `ThroughputMonitor`, you need to define a `flops_per_batch` attribute "
                               f"or property in {type(pl_module).__name__} to compute the FLOPs.")
        self._samples[stage] += self.batch_size_fn(batch)
        self._batches[stage] += 1
        self._throughputs[stage].update(
            time=elapsed, batches=self._batches[stage], samples=self._samples[stage],
            lengths=None if self.length_fn is None else self._lengths[stage],
            flops=pl_module.flops_per_batch if self._module_has_flops else None,
        )

    def _compute(self, trainer: Any, step: Optional[int] = None) -> None:
        if not trainer._metric_flow.should_update_logs:
            return
        stage = trainer.state.stage
        throughput = self._throughputs[stage]
        metrics = {f"{stage.value}{throughput.separator}{k}": v for k, v in throughput.compute().items()}
        trainer._metric_flow.log_metrics(metrics, step=step)

    @staticmethod
    def _eval_batches_seen(trainer: Any) -> int:
        if trainer.state.fn == TrainerFn.FITTING:
            loop = trainer.fit_loop.epoch_loop.val_loop
        elif trainer.state.fn == TrainerFn.VALIDATING:
            loop = trainer.validate_loop
        elif trainer.state.fn == TrainerFn.TESTING:
            loop = trainer.test_loop
        else:
            loop = trainer.predict_loop
        return loop.batch_progress.total.ready

    @rank_zero_only
    def on_train_start(self, trainer: Any, *_: Any) -> None:
        self._start(trainer)

    @rank_zero_only
    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, *_: Any) -> None:
        self._update(trainer, pl_module, batch)
        if not trainer.fit_loop.epoch_loop._should_accumulate():
            self._compute(trainer)

    @rank_zero_only
    def on_validation_start(self, trainer: Any, *_: Any) -> None:
        if not trainer.sanity_checking:
            self._start(trainer)

    @rank_zero_only
    def on_validation_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, *_: Any,
                                **__: Any) -> None:
        if trainer.sanity_checking:
            return
        self._update(trainer, pl_module, batch)
        self._compute(trainer, self._eval_batches_seen(trainer))

    @rank_zero_only
    def on_validation_end(self, trainer: Any, *_: Any) -> None:
        if trainer.sanity_checking or trainer.state.fn != TrainerFn.FITTING:
            return
        # move the training clock forward by the time spent validating, so it does not count as training time
        train_times = self._throughputs[RunningStage.TRAINING]._time
        val_times = self._throughputs[RunningStage.VALIDATING]._time
        training_finished = self._t0s[RunningStage.TRAINING] + (train_times[-1] if train_times else 0.0)
        gap = self._t0s[RunningStage.VALIDATING] - training_finished
        self._t0s[RunningStage.TRAINING] += gap + (val_times[-1] if val_times else 0.0)

    @rank_zero_only
    def on_test_start(self, trainer: Any, *_: Any) -> None:
        self._start(trainer)

    @rank_zero_only
    def on_test_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, *_: Any, **__: Any) -> None:
        self._update(trainer, pl_module, batch)
        self._compute(trainer, self._eval_batches_seen(trainer))

    @rank_zero_only
    def on_predict_start(self, trainer: Any, *_: Any) -> None:
        self._start(trainer)

    @rank_zero_only
    def on_predict_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, *_: Any,
                             **__: Any) -> None:
        self._update(trainer, pl_module, batch)
        self._compute(trainer, self._eval_batches_seen(trainer))
