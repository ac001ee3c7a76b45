"""One training epoch: fetch a batch, move it, run the hooks and the optimization, validate when due."""
import time
from typing import Any, Optional

import torch

from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.loops.evaluation_loop import _EvaluationLoop
from lightning.pytorch.loops.fetcher import DataFetcher, DataLoaderIter, takes_dataloader_iter
from lightning.pytorch.loops._restart import _TrainingEpochRestartStage as RestartStage  # noqa: F401 - public at this path in 2.6.6
from lightning.pytorch.loops.optimization import _AutomaticOptimization, _ManualOptimization
from lightning.pytorch.loops.progress import _BatchProgress, _SchedulerProgress
from lightning.pytorch.loops.rng import restore_rng_states, snapshot_rng_states
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.strategies.strategy import Strategy
from lightning.pytorch.trainer.states import RunningStage, TrainerFn
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch.utilities.signature_utils import is_param_in_hook_signature


def _is_max_limit_reached(current: int, maximum: int = -1) -> bool:
    return maximum != -1 and current >= maximum


class _TrainingEpochLoop:
    def __init__(self, trainer: Any, min_steps: Optional[int] = None, max_steps: int = -1) -> None:
        if max_steps < -1:
            raise MisconfigurationException(
                f"`max_steps` must be a non-negative integer or -1 (infinite steps). You passed in {max_steps}."
            )
        self.trainer = trainer
        self.min_steps = min_steps
        self.max_steps = max_steps
        self.batch_progress = _BatchProgress()
        self.scheduler_progress = _SchedulerProgress()
        self.automatic_optimization = _AutomaticOptimization(trainer)
        self.manual_optimization = _ManualOptimization(trainer)
        self.val_loop = _EvaluationLoop(trainer, TrainerFn.FITTING, RunningStage.VALIDATING, verbose=False,
                                        inference_mode=False)
        self._batches_that_stepped = 0
        self._resume: Optional[dict] = None  # set when restoring a checkpoint saved inside an epoch
        self._rng_epoch_start: Optional[dict] = None  # RNG states and loader generator states when the epoch's
        self._generators_epoch_start: Optional[dict] = None  # iterator was made (a mid-epoch resume re-makes it)
        self._rng_workers_start: Optional[dict] = None  # {"epoch", "torch", "generators"} when persistent workers began
        self._opened: Optional[DataFetcher] = None  # an iterator opened ahead of its epoch (open_first_epoch)
        self._validation_enabled: Optional[bool] = None  # trainer.enable_validation, cached while an epoch runs
        self.legacy_optimization: Any = None  # set per run by the legacy layer for the 1.x multi-optimizer pattern
        self._accumulating = False  # `_should_accumulate()` of the batch being trained on
        self._has_schedulers = False
        self._plain_batch_device: Any = None  # see _plain_batch_device()
        self._dataloader_iter: Optional[DataLoaderIter] = None  # what a training_step(dataloader_iter) pulls from

    # ------------------------------------------------------------ counters
    @property
    def total_batch_idx(self) -> int:
        return self.batch_progress.total.ready - 1

    @property
    def batch_idx(self) -> int:
        return self.batch_progress.current.ready - 1

    @property
    def global_step(self) -> int:
        module = self.trainer.lightning_module
        if module is None or module.automatic_optimization:
            return self.automatic_optimization.optim_progress.optimizer_steps
        return self.manual_optimization.optim_step_progress.total.completed

    def _num_ready_batches_reached(self) -> bool:
        return self.batch_progress.current.ready == self.trainer.num_training_batches or self.batch_progress.is_last_batch

    @property
    def _is_training_done(self) -> bool:
        # _is_max_limit_reached's test, written out so that global_step (a property chain) is not computed every step
        # when there is no step limit
        return self._num_ready_batches_reached() or (self.max_steps != -1 and self.global_step >= self.max_steps)

    @property
    def done(self) -> bool:
        if self._is_training_done:
            return True
        if self.trainer.should_stop:
            return self.trainer.fit_loop._can_stop_early
        return False

    def _should_accumulate(self) -> bool:
        accumulation_done = self.batch_progress.current.ready % self.trainer.accumulate_grad_batches == 0
        is_final_batch = self._num_ready_batches_reached()
        return not accumulation_done and (self.trainer.strategy.handles_gradient_accumulation or not is_final_batch)

    # ------------------------------------------------------------ the epoch
    def run(self, combined_loader: Any) -> None:
        trainer = self.trainer
        resume, self._resume = self._resume, None
        mid_epoch = resume is not None and resume.get("rng_epoch_start") is not None
        if not mid_epoch:
            self.batch_progress.reset_on_run()
            self.scheduler_progress.reset_on_run()
            self.automatic_optimization.optim_progress.reset_on_run()
            self.val_loop.batch_progress.total.reset()  # validation progress counts per epoch, as in 2.x
        if not trainer.lightning_module.automatic_optimization:
            self.manual_optimization.on_run_start()
        else:
            self.automatic_optimization.on_run_start()
        self._step_takes_batch_idx = is_param_in_hook_signature(
            trainer.lightning_module.training_step, "batch_idx", min_args=2
        )
        self._validation_enabled = trainer.enable_validation  # fixed for the epoch; asked after every batch
        self._has_schedulers = bool(trainer.lr_scheduler_configs)
        self._plain_batch_device = _plain_batch_device(trainer)
        fetcher, self._opened = self._opened, None
        if fetcher is None:
            fetcher = self.open_epoch_data(combined_loader, resume)
        if resume is not None and resume.get("rng") is not None:
            restore_rng_states(resume["rng"])  # the RNG state of the save, after every draw of the setup
        if mid_epoch:
            from lightning.pytorch.trainer.data import restore_generator_states

            restore_generator_states(combined_loader.flattened, resume.get("generators"))
        if mid_epoch and self.batch_progress.current.completed < self.batch_progress.current.ready:
            # saved in on_train_batch_end: that batch's end-of-step work (a due validation ...) has not run yet
            self.batch_progress.increment_completed()
            self._accumulating = self._should_accumulate()
            self.on_advance_end(fetcher)
        pulls = takes_dataloader_iter(trainer.lightning_module.training_step)
        self._dataloader_iter = DataLoaderIter(fetcher) if pulls else None
        try:
            while not self.done:
                try:
                    self.advance(fetcher)
                except StopIteration:  # the data ran out (also inside a step that pulls its own batches)
                    break
                self.on_advance_end(fetcher)
        finally:
            self._validation_enabled = None

    def open_epoch_data(self, combined_loader: Any, resume: Optional[dict]) -> DataFetcher:
        """Create the epoch's iterator. Resuming inside an epoch recreates the same order (the RNG state of the
        epoch's start) and skips the batches already trained on."""
        from lightning.pytorch.trainer.data import generator_states, persistent_worker_loaders, restore_generator_states

        mid_epoch = resume is not None and resume.get("rng_epoch_start") is not None
        loaders = combined_loader.flattened
        if resume is not None:
            self._rng_workers_start = resume.get("rng_workers_start")
            self._start_persistent_workers(combined_loader)
            # the loaders' own generators: as at this epoch's start (its order is re-created), or as at the save
            # unless the uninterrupted run made new loaders for this epoch (reload_dataloaders_every_n_epochs)
            made_at = self.trainer.fit_loop._loaders_made_at()
            if mid_epoch:
                restore_generator_states(loaders, resume.get("generators_epoch_start"))
            elif made_at is None or made_at < self.trainer.current_epoch:
                restore_generator_states(loaders, resume.get("generators"))
        if mid_epoch:
            restore_rng_states(resume["rng_epoch_start"])
        self._rng_epoch_start = snapshot_rng_states()
        self._generators_epoch_start = generator_states(loaders)
        if any(dl._iterator is None for dl in persistent_worker_loaders(loaders)):
            # this epoch starts the persistent workers, whose base seed is drawn now, once for the whole fit
            self._rng_workers_start = {"epoch": self.trainer.current_epoch, "torch": self._rng_epoch_start["torch"],
                                       "generators": self._generators_epoch_start}
        fetcher = DataFetcher(combined_loader, self.trainer.num_training_batches, self.trainer._hooks.profiler,
                              "[_TrainingEpochLoop].train_dataloader_next")
        progress = self.batch_progress
        if mid_epoch and progress.current.ready > progress.current.started:
            # saved in on_train_batch_start: that batch counts as ready but never trained, so it runs again (the
            # run's total keeps counting it, as 2.6.6's)
            progress.current.ready = progress.current.started
            progress.is_last_batch = False
        if mid_epoch and not self._num_ready_batches_reached():
            fetcher.skip(self.batch_progress.current.ready)
        return fetcher

    def _start_persistent_workers(self, combined_loader: Any) -> None:
        """Resuming after the epoch that started the persistent workers: start them now, with the base seed drawn
        from the state it was drawn from then, and leave every generator as it is (in the uninterrupted run, later
        epochs only reset these iterators, which draws no base seed)."""
        record = self._rng_workers_start
        if not record or record["epoch"] >= self.trainer.current_epoch:
            return  # started in this epoch: re-creating the epoch's start re-draws the same seed
        made_at = self.trainer.fit_loop._loaders_made_at()
        if made_at is not None and made_at > record["epoch"]:
            return  # the uninterrupted run reloaded the loaders since: their workers started with them
        from lightning.pytorch.trainer.data import generator_states, persistent_worker_loaders, restore_generator_states

        loaders = combined_loader.flattened
        pending = [dl for dl in persistent_worker_loaders(loaders) if dl._iterator is None]
        if not pending:
            return
        torch_state, generators = torch.get_rng_state(), generator_states(loaders)
        torch.set_rng_state(record["torch"])
        restore_generator_states(loaders, record["generators"])
        # every loader up to the last pending one, in the order `iter(combined_loader)` makes them: the draws of
        # the loaders before it come first in the stream
        for loader in loaders[:max(loaders.index(dl) for dl in pending) + 1]:
            iter(loader)
        torch.set_rng_state(torch_state)
        restore_generator_states(loaders, generators)

    def open_first_epoch(self, combined_loader: Any) -> None:
        """Create the first epoch's iterator now: 2.x draws its seed right after loading the training data, before
        the validation loaders are built (seeded runs see the same random stream)."""
        self._opened = self.open_epoch_data(combined_loader, self._resume)

    def advance(self, fetcher: DataFetcher) -> None:
        trainer = self.trainer
        hooks = trainer._hooks
        active = hooks.active
        progress = self.batch_progress
        strategy = trainer.strategy
        pulled = self._dataloader_iter
        if pulled is None:
            batch, _, _ = next(fetcher)
            batch_idx = progress.current.ready  # this batch's index: it is counted ready below
            progress.is_last_batch = fetcher.done
            if self._plain_batch_device is not None:
                batch = move_data_to_device(batch, self._plain_batch_device)
            else:
                batch = strategy.precision_plugin.convert_input(batch)
                batch = strategy.batch_to_device(batch, dataloader_idx=0)
        elif fetcher.done:
            raise StopIteration
        else:
            # training_step(dataloader_iter) pulls (and moves) its batches itself: the hooks before it see the
            # previous pull, those after it the last one (as 2.6.6)
            batch, batch_idx = pulled.batch, pulled.batch_idx
        progress.increment_ready()
        # fixed for this batch from here on, and asked several times per step: compute it once
        self._accumulating = accumulating = self._should_accumulate()
        trainer._metric_flow.on_batch_start(batch)

        if "on_train_batch_start" in active:
            hooks.call_callbacks("on_train_batch_start", batch, batch_idx)
            if hooks.module_overrides("on_train_batch_start") and \
                    hooks.call_module("on_train_batch_start", batch, batch_idx) == -1:
                progress.increment_processed()
                raise StopIteration
        progress.increment_started()

        if pulled is not None:
            kwargs = {"dataloader_iter": pulled}
        else:
            kwargs = {"batch": batch, "batch_idx": batch_idx} if self._step_takes_batch_idx else {"batch": batch}
        if trainer.lightning_module.automatic_optimization:
            if self.legacy_optimization is not None:
                batch_output = self.legacy_optimization.run(self.automatic_optimization, batch_idx, kwargs,
                                                            not accumulating)
            else:
                batch_output = self.automatic_optimization.run(strategy.optimizers[0], batch_idx, kwargs,
                                                               not accumulating)
        else:
            batch_output = self.manual_optimization.run(kwargs)
        progress.increment_processed()
        if pulled is not None:
            batch, batch_idx = pulled.batch, pulled.batch_idx
            progress.is_last_batch = fetcher.done

        if self._has_schedulers:
            self.update_lr_schedulers("step", update_plateau_schedulers=False)
            if self._num_ready_batches_reached():
                self.update_lr_schedulers("epoch", update_plateau_schedulers=False)

        if "on_train_batch_end" in active:
            hooks.fire("on_train_batch_end", batch_output, batch, batch_idx)
        trainer._metric_flow.on_batch_end()
        progress.increment_completed()
        trainer._metric_flow.update_train_step_metrics()

    def on_advance_end(self, fetcher: DataFetcher) -> None:
        trainer = self.trainer
        accumulating = self._accumulating
        if self._should_check_val(fetcher):
            trainer.validating = True
            if not accumulating:
                trainer._hooks.call_module("on_validation_model_zero_grad")
            with trainer._metric_flow.nested_loop():
                self.val_loop.run()
            trainer.training = True
        if self._has_schedulers:
            self.update_lr_schedulers("step", update_plateau_schedulers=True)
        if not accumulating:
            self._batches_that_stepped += 1
        trainer._metric_flow.save_loggers_on_train_batch_end()

    # ------------------------------------------------------------ validation schedule
    def _should_check_val_epoch(self) -> bool:
        trainer = self.trainer
        enabled = self._validation_enabled
        if enabled is None:
            enabled = trainer.enable_validation
        return enabled and (
            trainer.check_val_every_n_epoch is None or (trainer.current_epoch + 1) % trainer.check_val_every_n_epoch == 0
        )

    def _should_check_val(self, fetcher: DataFetcher) -> bool:
        trainer = self.trainer
        if not self._should_check_val_epoch():
            return False
        is_infinite = trainer.val_check_batch == float("inf")
        is_last_batch = self.batch_progress.is_last_batch
        if is_last_batch and (is_infinite or self._dataloader_iter is not None):
            return True  # (a step pulling its own batches may end the epoch at any batch count)
        if trainer.should_stop and trainer.fit_loop._can_stop_early:
            return True
        if trainer._val_check_time_interval is not None:  # validate every so many seconds
            return time.monotonic() - trainer._last_val_time >= trainer._val_check_time_interval
        is_val_check_batch = is_last_batch
        if isinstance(trainer.limit_train_batches, int) and is_infinite:
            is_val_check_batch = (self.batch_idx + 1) % trainer.limit_train_batches == 0
        elif not is_infinite:
            current = self.total_batch_idx if trainer.check_val_every_n_epoch is None else self.batch_idx
            is_val_check_batch = (current + 1) % trainer.val_check_batch == 0
        return is_val_check_batch

    # ------------------------------------------------------------ schedulers
    def update_lr_schedulers(self, interval: str, update_plateau_schedulers: bool) -> None:
        if interval == "step" and self._accumulating:
            return
        trainer = self.trainer
        if not trainer.lr_scheduler_configs or not trainer.lightning_module.automatic_optimization:
            return
        for config in trainer.lr_scheduler_configs:
            if update_plateau_schedulers ^ config.reduce_on_plateau:
                continue
            if self.legacy_optimization is not None and not self.legacy_optimization.steps(config, self.total_batch_idx):
                continue
            current_idx = (self.batch_idx if interval == "step" else trainer.current_epoch) + 1
            if config.interval != interval or current_idx % config.frequency != 0:
                continue
            monitor_val = None
            if config.reduce_on_plateau:
                monitor_val = trainer.callback_metrics.get(config.monitor)
                if monitor_val is None:
                    if config.strict:
                        raise MisconfigurationException(
                            f"The ReduceLROnPlateau scheduler monitors {config.monitor!r}, which was not logged. "
                            f"Logged metrics: {sorted(trainer.callback_metrics)}. Log it with `self.log` or change "
                            "the scheduler's 'monitor' (or set 'strict': False to skip such steps)."
                        )
                    rank_zero_warn(
                        f"The ReduceLROnPlateau scheduler monitors {config.monitor!r}, which was not logged; "
                        "skipping this learning-rate update (strict=False).",
                        category=RuntimeWarning,
                    )
                    continue
            self.scheduler_progress.increment_ready()
            trainer._hooks.call_module("lr_scheduler_step", config.scheduler, monitor_val)
            self.scheduler_progress.increment_completed()

    # ------------------------------------------------------------ state
    def state_dict(self) -> dict:
        return {"_batches_that_stepped": self._batches_that_stepped}

    def load_state_dict(self, state_dict: dict) -> None:
        self._batches_that_stepped = state_dict.get("_batches_that_stepped", 0)


def _plain_batch_device(trainer: Any) -> Any:
    """The root device when nothing customises how a batch gets there (precision input conversion, the strategy's
    ``batch_to_device``, the transfer hooks): the loop then moves batches itself, without those forwarding calls;
    else None."""
    strategy = trainer.strategy
    if (type(strategy.precision_plugin).convert_input is Precision.convert_input
            and type(strategy).batch_to_device is Strategy.batch_to_device and trainer._hooks._plain_transfer):
        return strategy.root_device
    return None
