"""Learning-rate range test: train ``num_training`` steps while the learning rate grows from ``min_lr`` to
``max_lr`` (exponentially or linearly), record the smoothed loss, and suggest the rate where it falls fastest.

1.x code (``trainer.tune()``, ``trainer.tuner.lr_find()``) runs inside :func:`suggestion_rule_1x`, and its finder
keeps pytorch-lightning 1.9.5's rule: the steepest point of the loss curve taken per recorded point (unit spacing),
where 2.x differentiates against the learning rate itself; on the same curve the two pick different rates.
"""
import contextlib
import contextvars
import logging
from typing import Any, Optional, Union

import torch
from torch.optim.lr_scheduler import LRScheduler

from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.tuner._trial import TrialRun
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch.utilities.parsing import lightning_hasattr, lightning_setattr
from lightning.pytorch.utilities.types import STEP_OUTPUT, LRSchedulerConfig  # noqa: F401  (public in 2.x)

log = logging.getLogger(__name__)


def _determine_lr_attr_name(model: Any, attr_name: str = "") -> str:
    """``attr_name`` if the model (or its hparams) has it, else the first of ``lr`` / ``learning_rate`` it has."""
    if attr_name:
        if not lightning_hasattr(model, attr_name):
            raise AttributeError(f"The attribute name for the learning rate was set to {attr_name}, but could not "
                                 "find this as a field in `model` or `model.hparams`.")
        return attr_name
    for attr in ("lr", "learning_rate"):
        if lightning_hasattr(model, attr):
            return attr
    raise AttributeError("When using the learning rate finder, either `model` or `model.hparams` should have one of "
                         "these fields: ('lr', 'learning_rate'). If your model has a different name for the learning "
                         "rate, set it with `.lr_find(attr_name=...)`.")


_SUGGESTION_RULE_1X = contextvars.ContextVar("lr_finder_suggestion_rule_1x", default=False)


@contextlib.contextmanager
def suggestion_rule_1x() -> Any:
    """Finders made inside this block suggest as pytorch-lightning 1.9.5 did (for 1.x entry points)."""
    token = _SUGGESTION_RULE_1X.set(True)
    try:
        yield
    finally:
        _SUGGESTION_RULE_1X.reset(token)


class _LRFinder:
    """The result of a range test: ``results["lr"]`` and ``results["loss"]``, ``suggestion()`` and ``plot()``."""

    def __init__(self, mode: str, lr_min: float, lr_max: float, num_training: int) -> None:
        if mode not in ("linear", "exponential"):
            raise ValueError(f"mode should be either `linear` or `exponential`, got {mode!r}")
        self.mode = mode
        self.lr_min = lr_min
        self.lr_max = lr_max
        self.num_training = num_training
        self.results: dict = {}
        self._total_batch_idx = 0
        self._optimal_idx: Optional[int] = None
        self._rule_1x = _SUGGESTION_RULE_1X.get()

    def _exchange_scheduler(self, trainer: Any) -> None:
        """Start every param group at ``lr_min`` and drive it with the range-test scheduler (per step)."""
        optimizers = trainer.strategy.optimizers
        if len(optimizers) != 1:
            raise MisconfigurationException(f"`model.configure_optimizers()` returned {len(optimizers)}, but learning "
                                            "rate finder only works with single optimizer")
        optimizer = optimizers[0]
        for group in optimizer.param_groups:
            group["lr"] = self.lr_min
            group["initial_lr"] = self.lr_min
        scheduler_class = _LinearLR if self.mode == "linear" else _ExponentialLR
        scheduler = scheduler_class(optimizer, self.lr_max, self.num_training)
        trainer.strategy.optimizers = [optimizer]
        trainer.strategy.lr_scheduler_configs = [LRSchedulerConfig(scheduler, interval="step")]

    def plot(self, suggest: bool = False, show: bool = False, ax: Optional[Any] = None) -> Optional[Any]:
        """Loss against learning rate (log x-axis in exponential mode); ``suggest`` marks the suggestion."""
        try:
            import matplotlib.pyplot as plt
        except ImportError as err:
            raise MisconfigurationException("To use the `plot` method, you must have Matplotlib installed. Install it "
                                            "by running `pip install -U matplotlib`.") from err
        lrs, losses = self.results["lr"], self.results["loss"]
        if ax is None:
            fig, ax = plt.subplots()
        else:
            fig = ax.figure
        ax.plot(lrs, losses)
        if self.mode == "exponential":
            ax.set_xscale("log")
        ax.set_xlabel("Learning rate")
        ax.set_ylabel("Loss")
        if suggest:
            self.suggestion()
            if self._optimal_idx:
                ax.plot(lrs[self._optimal_idx], losses[self._optimal_idx], markersize=10, marker="o", color="red")
        if show:
            plt.show()
        return fig

    def suggestion(self, skip_begin: int = 10, skip_end: int = 1) -> Optional[float]:
        """The learning rate at the steepest descent of the loss (finite points only, ends skipped); ``None`` (with
        an error logged) when fewer than two points remain."""
        if self._rule_1x:
            return self._suggestion_1x(skip_begin, skip_end)
        losses = torch.tensor(self.results["loss"][skip_begin:-skip_end])
        lrs = torch.tensor(self.results["lr"][skip_begin:-skip_end])
        finite = torch.isfinite(losses)
        losses, lrs = losses[finite], lrs[finite]
        if len(losses) < 2:
            return self._too_few_points()
        gradients = torch.gradient(losses, spacing=[lrs])[0]
        steepest = int(torch.argmin(gradients).item())
        kept = torch.arange(len(self.results["loss"]))[skip_begin:-skip_end][finite]
        self._optimal_idx = int(kept[steepest].item())
        return self.results["lr"][self._optimal_idx]

    def _suggestion_1x(self, skip_begin: int, skip_end: int) -> Optional[float]:
        """1.9.5's rule: the steepest descent per recorded point, in double precision. The index counts the finite
        points only and is shifted by ``skip_begin`` alone, so it is off when some losses are not finite, as 1.9.5's
        was; 1.x results stay reproducible that way."""
        losses = torch.tensor(self.results["loss"][skip_begin:-skip_end], dtype=torch.float64)
        losses = losses[torch.isfinite(losses)]
        if len(losses) < 2:
            return self._too_few_points()
        self._optimal_idx = int(torch.gradient(losses)[0].argmin()) + skip_begin
        return self.results["lr"][self._optimal_idx]

    def _too_few_points(self) -> None:
        log.error("Failed to compute suggestion for learning rate because there are not enough points. Increase the "
                  "loop iteration limits or the size of your dataset/dataloader.")
        self._optimal_idx = None
        return None


class _LRCallback(Callback):
    """Records the learning rate and the exponentially smoothed loss per optimizer step; stops the run when the
    smoothed loss exceeds ``early_stop_threshold`` times the best one."""

    def __init__(self, num_training: int, early_stop_threshold: Optional[float] = 4.0,
                 progress_bar_refresh_rate: int = 0, beta: float = 0.98):
        self.num_training = num_training
        self.early_stop_threshold = early_stop_threshold
        self.beta = beta
        self.losses: list = []
        self.lrs: list = []
        self.avg_loss = 0.0
        self.best_loss = 0.0
        self.progress_bar_refresh_rate = progress_bar_refresh_rate
        self.progress_bar: Any = None

    def _stepping(self, trainer: Any) -> bool:
        return (trainer.fit_loop.batch_idx + 1) % trainer.accumulate_grad_batches == 0

    def on_train_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int) -> None:
        if not self._stepping(trainer):
            return
        if self.progress_bar_refresh_rate and self.progress_bar is None:
            from tqdm import tqdm

            self.progress_bar = tqdm(desc="Finding best initial lr", total=self.num_training)
        self.lrs.append(trainer.lr_scheduler_configs[0].scheduler.lr[0])

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        if not self._stepping(trainer):
            return
        if not outputs:  # training_step returned None: the batch was skipped
            self.losses.append(float("nan"))
            return
        if self.progress_bar:
            self.progress_bar.update()
        loss = (outputs if isinstance(outputs, torch.Tensor) else outputs["loss"]).item()
        step = trainer.global_step
        self.avg_loss = self.beta * self.avg_loss + (1 - self.beta) * loss
        smoothed = self.avg_loss / (1 - self.beta ** (step + 1))  # bias-corrected running mean
        if self.early_stop_threshold is not None and step > 1 and smoothed > self.early_stop_threshold * self.best_loss:
            trainer.should_stop = True
            if self.progress_bar:
                self.progress_bar.close()
        trainer.should_stop = trainer.strategy.broadcast(trainer.should_stop)
        if smoothed < self.best_loss or step == 1:
            self.best_loss = smoothed
        self.losses.append(smoothed)


class _RangeTestLR(LRScheduler):
    """Moves each group's rate from its base towards ``end_lr`` over ``num_iter`` steps (``_interpolate``)."""

    def __init__(self, optimizer: torch.optim.Optimizer, end_lr: float, num_iter: int, last_epoch: int = -1):
        self.end_lr = end_lr
        self.num_iter = num_iter
        super().__init__(optimizer, last_epoch)

    def _interpolate(self, base_lr: float, fraction: float) -> float:
        raise NotImplementedError

    def get_lr(self) -> list:
        fraction = (self.last_epoch + 1) / self.num_iter
        rates = [self._interpolate(b, fraction) for b in self.base_lrs] if self.last_epoch > 0 else list(self.base_lrs)
        self._lr = rates
        return rates

    @property
    def lr(self) -> Union[float, list]:
        return self._lr


class _LinearLR(_RangeTestLR):
    def _interpolate(self, base_lr: float, fraction: float) -> float:
        return base_lr + fraction * (self.end_lr - base_lr)


class _ExponentialLR(_RangeTestLR):
    def _interpolate(self, base_lr: float, fraction: float) -> float:
        return base_lr * (self.end_lr / base_lr) ** fraction


def _lr_find(trainer: Any, model: Any, min_lr: float = 1e-8, max_lr: float = 1, num_training: int = 100,
             mode: str = "exponential", early_stop_threshold: Optional[float] = 4.0, update_attr: bool = False,
             attr_name: str = "") -> Optional[_LRFinder]:
    """Run the range test inside the current fit (from ``on_fit_start``) and put the run back afterwards."""
    if trainer.fast_dev_run:
        rank_zero_warn("Skipping learning rate finder since `fast_dev_run` is enabled.")
        return None
    if update_attr:
        attr_name = _determine_lr_attr_name(model, attr_name)
    lr_finder = _LRFinder(mode, min_lr, max_lr, num_training)
    recorder = _LRCallback(num_training, early_stop_threshold, progress_bar_refresh_rate=1)
    start_step = trainer.global_step
    strategy = trainer.strategy
    optimizers, scheduler_configs = strategy.optimizers, strategy.lr_scheduler_configs
    with TrialRun(trainer, [recorder], ".lr_find", reload_val_on_exit=False) as trial:
        trial.override(trainer.fit_loop, "max_steps", num_training + start_step)
        trial.override(trainer, "limit_val_batches", num_training)
        try:
            lr_finder._exchange_scheduler(trainer)
            trial.run()
        finally:
            strategy.optimizers, strategy.lr_scheduler_configs = optimizers, scheduler_configs
        if trainer.global_step != num_training + start_step:
            log.info(f"LR finder stopped early after {trainer.global_step} steps due to diverging loss.")
        lr_finder.results = strategy.broadcast({"lr": recorder.lrs, "loss": recorder.losses})
        lr_finder._total_batch_idx = trainer.fit_loop.total_batch_idx
    if update_attr:
        lr = lr_finder.suggestion()
        if lr is not None:
            lightning_setattr(model, attr_name, lr)
            for optimizer in trainer.optimizers or []:
                for group in optimizer.param_groups:
                    group["lr"] = lr
            log.info(f"Learning rate set to {lr}")
    return lr_finder
