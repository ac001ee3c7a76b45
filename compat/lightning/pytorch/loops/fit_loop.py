"""The fit loop: epochs until ``max_epochs`` / ``max_steps`` / ``should_stop``; each epoch runs the training
epoch loop (which validates when due), then the epoch-end hooks and epoch-level logging."""
from typing import Any, Optional

from lightning.fabric.utilities.rank_zero import rank_zero_debug, rank_zero_info, rank_zero_warn
from lightning.fabric.utilities.warnings import PossibleUserWarning
from lightning.pytorch.loops.progress import _Progress, _ProcessedTracker
from lightning.pytorch.loops._restart import _FitRestartStage as RestartStage  # noqa: F401 - public at this path in 2.6.6
from lightning.pytorch.loops.rng import checkpoint_safe, collect_rng_states
from lightning.pytorch.loops.training_epoch_loop import _is_max_limit_reached, _TrainingEpochLoop
from lightning.pytorch.trainer.results import ResultCollection
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class _FitLoop:
    def __init__(self, trainer: Any, min_epochs: Optional[int] = 0, max_epochs: Optional[int] = 1) -> None:
        if isinstance(max_epochs, int) and max_epochs < -1:
            raise MisconfigurationException(
                f"`max_epochs` must be a non-negative integer or -1 (infinite epochs). You passed in {max_epochs}."
            )
        self.trainer = trainer
        self.max_epochs = max_epochs
        self.min_epochs = min_epochs
        self.epoch_loop = _TrainingEpochLoop(trainer)
        self.epoch_progress = _Progress.from_defaults(_ProcessedTracker)
        self._results = ResultCollection(training=True)
        self._combined_loader: Any = None
        self._last_train_dl_reload_epoch = float("-inf")
        self._restarting = False

    @property
    def total_batch_idx(self) -> int:
        return self.epoch_loop.total_batch_idx

    @property
    def batch_idx(self) -> int:
        return self.epoch_loop.batch_idx

    @property
    def min_steps(self) -> Optional[int]:
        return self.epoch_loop.min_steps

    @min_steps.setter
    def min_steps(self, value: Optional[int]) -> None:
        self.epoch_loop.min_steps = value

    @property
    def max_steps(self) -> int:
        return self.epoch_loop.max_steps

    @max_steps.setter
    def max_steps(self, value: int) -> None:
        self.epoch_loop.max_steps = value

    @property
    def _can_stop_early(self) -> bool:
        met_min_epochs = self.epoch_progress.current.processed >= self.min_epochs if self.min_epochs else True
        met_min_steps = self.epoch_loop.global_step >= self.min_steps if self.min_steps else True
        return met_min_epochs and met_min_steps

    @property
    def _should_reload_train_dl(self) -> bool:
        n = self.trainer.reload_dataloaders_every_n_epochs
        return n > 0 and self.trainer.current_epoch - self._last_train_dl_reload_epoch >= n

    @property
    def done(self) -> bool:
        trainer = self.trainer
        if trainer.num_training_batches == 0:
            rank_zero_info("`Trainer.fit` stopped: No training batches.")
            return True
        if _is_max_limit_reached(self.epoch_loop.global_step, self.max_steps):
            rank_zero_info(f"`Trainer.fit` stopped: `max_steps={self.max_steps!r}` reached.")
            return True
        if _is_max_limit_reached(self.epoch_progress.current.processed, self.max_epochs):
            self.epoch_progress.current.completed = self.epoch_progress.current.processed
            rank_zero_info(f"`Trainer.fit` stopped: `max_epochs={self.max_epochs!r}` reached.")
            return True
        if trainer.should_stop and self._can_stop_early:
            rank_zero_debug("`Trainer.fit` stopped: `trainer.should_stop` was set.")  # debug, as in 2.6.6
            return True
        return False

    @property
    def skip(self) -> bool:
        return self.trainer.limit_train_batches == 0

    def setup_data(self) -> None:
        trainer = self.trainer
        if self._combined_loader is not None and not self._should_reload_train_dl:
            return
        self._combined_loader = trainer._data.train_loader()
        self._last_train_dl_reload_epoch = trainer.current_epoch

    def _loaders_made_at(self) -> Optional[int]:
        """The epoch at whose start the uninterrupted run made the current training loaders (for a resumed run to
        tell whether their generators and workers are new this epoch); None without reloading: at the fit's start."""
        made = self._last_train_dl_reload_epoch
        return int(made) if self.trainer.reload_dataloaders_every_n_epochs > 0 and made != float("-inf") else None

    def run(self) -> None:
        trainer = self.trainer
        self.setup_data()
        if self.skip:
            return
        n = trainer.reload_dataloaders_every_n_epochs
        if self._restarting and n > 0:
            # resumed: keep the uninterrupted run's reloads (at epochs 0, n, 2n ...) instead of counting from here
            self._last_train_dl_reload_epoch = self.epoch_progress.current.processed // n * n
        mid_epoch = self._restarting and self._restored_mid_epoch()
        self._restarting = False
        if not mid_epoch:
            # a fresh fit, or a checkpoint from the end of an epoch: the next epoch starts from its first batch
            self.epoch_progress.current.completed = self.epoch_progress.current.processed
            if self.epoch_loop._resume is not None:
                self.epoch_loop._resume.pop("rng_epoch_start", None)
        # one collection for the whole fit (each epoch end resets it), so values logged in on_train_start count
        trainer._results = self._results
        self._results.clear()
        self._results.device = trainer.strategy.root_device
        self._results.reduce_across = trainer._reduce_across
        try:
            self._on_run_start()
            while not self.done:
                self._advance_epoch(mid_epoch)
                mid_epoch = False
            trainer._hooks.fire("on_train_end")
            trainer.strategy.on_train_end()
        finally:
            from lightning.pytorch.trainer.data import shutdown_workers

            shutdown_workers(self._combined_loader)
            shutdown_workers(self.epoch_loop.val_loop._combined_loader)

    def _on_run_start(self) -> None:
        trainer = self.trainer
        for loader in self._combined_loader.flattened:
            _set_sampler_epoch(loader, self.epoch_progress.current.processed)
        self.epoch_loop.open_first_epoch(self._combined_loader)
        val_loop = self.epoch_loop.val_loop
        if self.epoch_loop._should_check_val_epoch() and val_loop._combined_loader is None:
            trainer.validating = True
            val_loop.setup_data()
            trainer.training = True
        _warn_modules_in_eval_mode(trainer.lightning_module)
        trainer._hooks.fire("on_train_start")
        trainer.strategy.on_train_start()

    def _restored_mid_epoch(self) -> bool:
        """Whether the restored checkpoint was saved inside an epoch (its end-of-epoch work still to do)."""
        current = self.epoch_progress.current
        if current.started > current.processed:
            return True
        # saved by the epoch-end hooks after `max_steps` stopped the epoch early: as 2.6.6, with a step limit the
        # resumed run finishes that epoch's remaining batches (no new epoch start, no sanity check)
        return (self.trainer.max_steps != -1 and current.processed > current.completed
                and not self.epoch_loop.batch_progress.is_last_batch)

    def _advance_epoch(self, mid_epoch: bool) -> None:
        trainer = self.trainer
        hooks = trainer._hooks
        self.setup_data()
        for loader in self._combined_loader.flattened:
            _set_sampler_epoch(loader, self.epoch_progress.current.processed)
        if not mid_epoch:
            self.epoch_progress.increment_ready()
            trainer._results = self._results
            trainer._metric_flow.epoch_started()
            hooks.fire("on_train_epoch_start")
            self.epoch_progress.increment_started()
        trainer._results = self._results
        self.epoch_loop.run(self._combined_loader)

        trainer._results = self._results
        self._results.dataloader_idx = None
        flow = trainer._metric_flow
        flow.epoch_end_reached()
        self.epoch_progress.increment_processed()
        hooks.call_callbacks("on_train_epoch_end", monitoring=False)
        hooks.call_module("on_train_epoch_end")
        hooks.call_callbacks("on_train_epoch_end", monitoring=True)
        flow.on_epoch_end()
        self.epoch_loop._batches_that_stepped -= 1
        flow.update_train_epoch_metrics()
        self.epoch_loop._batches_that_stepped += 1
        self.epoch_loop.update_lr_schedulers("epoch", update_plateau_schedulers=True)
        self.epoch_progress.increment_completed()
        if trainer.received_sigterm:
            from lightning.pytorch.utilities.exceptions import SIGTERMException

            raise SIGTERMException(1)

    # ------------------------------------------------------------ checkpoint state
    def state_dict(self) -> dict:
        """The ``loops["fit_loop"]`` entry of a checkpoint."""
        epoch_loop = self.epoch_loop
        return {
            "state_dict": {
                # beyond the real layout: what bit-exact resume needs (RNG at epoch start and now)
                "rng_epoch_start": _checkpoint_safe_or_none(getattr(epoch_loop, "_rng_epoch_start", None)),
                "rng": collect_rng_states(),
                # and the training loaders' own generators, and where their persistent workers' seed came from
                **self._loader_generator_state(),
            },
            "epoch_loop.state_dict": epoch_loop.state_dict(),
            "epoch_loop.batch_progress": epoch_loop.batch_progress.state_dict(),
            "epoch_loop.scheduler_progress": epoch_loop.scheduler_progress.state_dict(),
            "epoch_loop.automatic_optimization.state_dict": {},
            "epoch_loop.automatic_optimization.optim_progress":
                epoch_loop.automatic_optimization.optim_progress.state_dict(),
            "epoch_loop.manual_optimization.state_dict": {},
            "epoch_loop.manual_optimization.optim_step_progress":
                epoch_loop.manual_optimization.optim_step_progress.state_dict(),
            "epoch_loop.val_loop.state_dict": {},
            "epoch_loop.val_loop.batch_progress": epoch_loop.val_loop.batch_progress.state_dict(),
            "epoch_progress": self.epoch_progress.state_dict(),
        }

    def load_state_dict(self, state: dict) -> None:
        epoch_loop = self.epoch_loop
        epoch_loop.load_state_dict(state.get("epoch_loop.state_dict", {}))
        if "epoch_loop.batch_progress" in state:
            epoch_loop.batch_progress.load_state_dict(state["epoch_loop.batch_progress"])
        if "epoch_loop.scheduler_progress" in state:
            epoch_loop.scheduler_progress.load_state_dict(state["epoch_loop.scheduler_progress"])
        if "epoch_loop.automatic_optimization.optim_progress" in state:
            epoch_loop.automatic_optimization.optim_progress.load_state_dict(
                state["epoch_loop.automatic_optimization.optim_progress"]
            )
        if "epoch_loop.manual_optimization.optim_step_progress" in state:
            epoch_loop.manual_optimization.optim_step_progress.load_state_dict(
                state["epoch_loop.manual_optimization.optim_step_progress"]
            )
        if "epoch_loop.val_loop.batch_progress" in state:
            epoch_loop.val_loop.batch_progress.load_state_dict(state["epoch_loop.val_loop.batch_progress"])
        if "epoch_progress" in state:
            self.epoch_progress.load_state_dict(state["epoch_progress"])
        extra = state.get("state_dict") or {}
        self._restarting = True
        epoch_loop._resume = {key: extra.get(key) for key in (
            "rng_epoch_start", "rng", "generators_epoch_start", "generators", "rng_workers_start")}

    def _loader_generator_state(self) -> dict:
        from lightning.pytorch.trainer.data import generator_states

        epoch_loop = self.epoch_loop
        loaders = self._combined_loader.flattened if self._combined_loader is not None else []
        state = {"generators": generator_states(loaders), "generators_epoch_start": epoch_loop._generators_epoch_start,
                 "rng_workers_start": epoch_loop._rng_workers_start}
        return {key: value for key, value in state.items() if value}  # nothing added for loaders without them


def _warn_modules_in_eval_mode(module: Any) -> None:
    frozen = sum(1 for sub in module.modules() if not sub.training)
    if frozen:
        rank_zero_warn(
            f"Found {frozen} module(s) in eval mode at the start of training: they train as they are (dropout off, "
            "batch norm statistics fixed). Nothing to do if that is intended.", category=PossibleUserWarning,
        )


def _set_sampler_epoch(dataloader: Any, epoch: int) -> None:
    """Tell ``DistributedSampler``-like samplers the epoch, so each epoch shuffles differently."""
    for name in ("sampler", "batch_sampler"):
        sampler = getattr(dataloader, name, None)
        if sampler is not None and callable(getattr(sampler, "set_epoch", None)):
            sampler.set_epoch(epoch)
        inner = getattr(sampler, "sampler", None)
        if inner is not None and callable(getattr(inner, "set_epoch", None)):
            inner.set_epoch(epoch)


def _checkpoint_safe_or_none(states: Optional[dict]) -> Optional[dict]:
    return None if states is None else checkpoint_safe(states)
