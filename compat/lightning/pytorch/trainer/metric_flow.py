"""When logged values move: from the current ``ResultCollection`` into ``callback_metrics`` /
``logged_metrics`` / ``progress_bar_metrics`` and out to the loggers (every ``log_every_n_steps`` in training,
at epoch ends, after evaluation)."""
from contextlib import contextmanager
from typing import Any, Iterator, Optional

from torch import Tensor

from lightning.pytorch.trainer.states import RunningStage, TrainerFn


class MetricFlow:
    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer
        self._callback_metrics: dict = {}
        self._logged_metrics: dict = {}
        self._progress_bar_metrics: dict = {}
        # None: outside a batch loop (the dictionaries read epoch values), True: in its first batch, False: later
        # batches (step values)
        self._first_loop_iter: Optional[bool] = None
        # 1.x code (pytorch-lightning 1.9.5) reads step values everywhere but between an epoch's end and the next
        # epoch's start or batch
        self._reads_1x = False
        self._epoch_end_1x = False

    def reset_metrics(self) -> None:
        """A new run (or the sanity check) starts: the dictionaries start empty, and the module's code (1.x or 2.x)
        decides how they are read."""
        module = self.trainer.lightning_module
        if module is not None:
            from lightning.pytorch import _extensions

            self._reads_1x = _extensions.reads_1x_metrics(module)
        self._callback_metrics = {}
        self._logged_metrics = {}
        self._progress_bar_metrics = {}

    def _live(self) -> tuple:
        """The running collection's current (log, progress bar, callback) values: step values during a batch, epoch
        aggregates once the epoch end is reached (so an ``on_train_epoch_end`` callback sees ``loss_epoch``, as in
        2.x)."""
        results = self.trainer._results
        if results is None:
            return {}, {}, {}
        return results.metrics(self._on_step())

    def _on_step(self) -> bool:
        """Whether the dictionaries read step values now (else epoch values)."""
        if self._reads_1x:
            return not self._epoch_end_1x
        return self._first_loop_iter is not None

    @property
    def callback_metrics(self) -> dict:
        self._callback_metrics.update(self._live()[2])
        return self._callback_metrics

    @property
    def logged_metrics(self) -> dict:
        self._logged_metrics.update(self._live()[0])
        return self._logged_metrics

    @property
    def progress_bar_metrics(self) -> dict:
        """Progress-bar values as Python numbers (converted here, when a bar asks, not per step)."""
        self._progress_bar_metrics.update(self._live()[1])
        return {k: (v.item() if isinstance(v, Tensor) else v) for k, v in self._progress_bar_metrics.items()}

    @property
    def should_update_logs(self) -> bool:
        """Whether this batch is a logging step: counted in optimizer steps while training, and in batches of the
        running loop while validating / testing / predicting (callbacks such as ThroughputMonitor ask in both)."""
        trainer = self.trainer
        if trainer.log_every_n_steps == 0:
            return False
        stage = trainer.state.stage
        if stage is None:
            return True
        if stage is RunningStage.TRAINING:  # `is`: enum members, and LightningEnum.__eq__ is slow per step
            # `+ 1`: also asked before the step runs (on_train_batch_start)
            step = trainer.fit_loop.epoch_loop._batches_that_stepped + 1
        elif stage is RunningStage.PREDICTING:
            step = trainer.predict_loop.batch_progress.current.ready
        elif trainer.state.fn is TrainerFn.FITTING:
            step = trainer.fit_loop.epoch_loop.val_loop.batch_progress.current.ready
        else:
            step = (trainer.test_loop if stage is RunningStage.TESTING else trainer.validate_loop).batch_progress.current.ready
        return step % trainer.log_every_n_steps == 0 or trainer.should_stop

    def _metrics(self) -> tuple:
        results = self.trainer._results
        return results.metrics(self._on_step())

    def _merge(self) -> dict:
        log, pbar, callback = self._metrics()
        self._progress_bar_metrics.update(pbar)
        self._callback_metrics.update(callback)
        self._logged_metrics.update(log)
        return log

    # ------------------------------------------------------------ per batch
    def on_batch_start(self, batch: Any, dataloader_idx: Optional[int] = None) -> None:
        results = self.trainer._results
        results.batch = batch
        results.batch_size = None
        results.dataloader_idx = dataloader_idx
        self._first_loop_iter = self._first_loop_iter is None
        self._epoch_end_1x = False

    def on_batch_end(self) -> None:
        results = self.trainer._results
        if results.entries:
            self._merge()
        results.batch = None
        results.batch_size = None

    def update_train_step_metrics(self) -> None:
        trainer = self.trainer
        if not trainer.loggers:  # nothing would be sent: skip the per-step bookkeeping
            return
        if trainer.fit_loop.epoch_loop._accumulating and trainer.lightning_module.automatic_optimization:
            return
        if self.should_update_logs or trainer.fast_dev_run:
            log, _, _ = self._metrics()
            self.log_metrics(log)

    def save_loggers_on_train_batch_end(self) -> None:
        trainer = self.trainer
        if trainer.loggers and trainer.fit_loop.epoch_loop._batches_that_stepped % trainer.log_every_n_steps == 0:
            for logger in trainer.loggers:
                logger.save()

    def update_eval_step_metrics(self, step: int) -> None:
        log, _, _ = self._metrics()
        self.log_metrics(log, step=step)

    # ------------------------------------------------------------ per epoch
    def epoch_started(self) -> None:
        self._epoch_end_1x = False

    def epoch_end_reached(self) -> None:
        self._first_loop_iter = None
        self._epoch_end_1x = True

    @contextmanager
    def nested_loop(self) -> Iterator[None]:
        """Validation inside a training epoch runs its own batch loop; the training one goes on where it was."""
        first_loop_iter = self._first_loop_iter
        try:
            yield
        finally:
            self._first_loop_iter = first_loop_iter

    def reset_results(self, results: Any) -> None:
        """Empty ``results`` for its next epoch or run (torchmetrics objects logged into it included)."""
        results.reset()
        self._first_loop_iter = None

    def on_epoch_end(self) -> None:
        self._merge()

    def update_train_epoch_metrics(self) -> None:
        log, _, _ = self._metrics()
        self.log_metrics(log)
        self.reset_results(self.trainer._results)

    def update_eval_epoch_metrics(self) -> dict:
        if self.trainer.sanity_checking:
            return {}
        return dict(self._merge())

    def log_eval_end_metrics(self, metrics: dict) -> None:
        if self.trainer.sanity_checking:
            return
        self.log_metrics(metrics)

    # ------------------------------------------------------------ to the loggers
    def log_metrics(self, metrics: dict, step: Optional[int] = None) -> None:
        trainer = self.trainer
        if not trainer.loggers or not metrics:
            return
        self._logged_metrics.update(metrics)  # tensors, as logged; the loggers get numbers
        scalars = {k: (v.item() if isinstance(v, Tensor) else v) for k, v in metrics.items()}
        if step is None:
            step = scalars.pop("step", None)
        if step is None:
            scalars.setdefault("epoch", trainer.current_epoch)
            step = trainer.fit_loop.epoch_loop._batches_that_stepped
        for logger in trainer.loggers:
            logger.log_metrics(metrics=scalars, step=int(step))
            logger.save()
