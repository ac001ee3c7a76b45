"""What the LR finder and the batch-size finder share: run the active loop for a few trial steps with only the
tuner's callback and a dummy logger, then put the run back exactly as it was (weights, optimizer and scheduler
state from a checkpoint taken before, loop progress, callbacks, loggers, limits, data loaders)."""
import os
import uuid
from copy import deepcopy
from typing import Any

from lightning.pytorch.trainer.states import RunningStage, TrainerFn


def active_loop(trainer: Any) -> Any:
    """The loop the current ``fit`` / ``validate`` / ``test`` / ``predict`` call drives."""
    fn = trainer.state.fn
    if fn == TrainerFn.FITTING:
        return trainer.fit_loop
    if fn == TrainerFn.VALIDATING:
        return trainer.validate_loop
    if fn == TrainerFn.TESTING:
        return trainer.test_loop
    return trainer.predict_loop


def eval_limit_name(trainer: Any) -> str:
    prefix = {RunningStage.VALIDATING: "val", RunningStage.TESTING: "test",
              RunningStage.PREDICTING: "predict"}[trainer.state.stage]
    return f"limit_{prefix}_batches"


class TrialRun:
    """Context for trial runs: ``with TrialRun(trainer, [callback], ".lr_find", False) as trial: trial.run()``."""

    def __init__(self, trainer: Any, callbacks: list, checkpoint_prefix: str, reload_val_on_exit: bool) -> None:
        self.trainer = trainer
        self._reload_val_on_exit = reload_val_on_exit
        self.loop = active_loop(trainer)
        self._callbacks = callbacks
        self._ckpt_path = os.path.join(trainer.default_root_dir, f"{checkpoint_prefix}_{uuid.uuid4()}.ckpt")
        self._saved: dict = {}
        self._overrides: list = []

    # ------------------------------------------------------------ enter / exit
    def __enter__(self) -> "TrialRun":
        trainer = self.trainer
        self._ckpt_path = trainer.strategy.broadcast(self._ckpt_path)
        trainer.save_checkpoint(self._ckpt_path)
        self._saved = {
            "callbacks": trainer.callbacks,
            "run_callbacks": getattr(trainer, "_run_callbacks", trainer.callbacks),
            "loggers": trainer.loggers,
            "loop_state": self._loop_state(),
            "should_stop": trainer.should_stop,
        }
        from lightning.pytorch.loggers.logger import DummyLogger

        trainer.loggers = [DummyLogger()] if trainer.loggers else []
        self._use_callbacks(self._callbacks)
        return self

    def __exit__(self, *exc: Any) -> None:
        trainer = self.trainer
        try:
            self._undo_overrides()
            trainer.loggers = self._saved["loggers"]
            trainer.callbacks = self._saved["callbacks"]
            trainer._hooks.resolve(trainer.lightning_module, trainer.datamodule, self._saved["run_callbacks"])
            trainer.should_stop = self._saved["should_stop"]
            self._restore_loop_state(self._saved["loop_state"])
            self._restore_checkpoint()
            self.reset_dataloaders(with_val=self._reload_val_on_exit)
        finally:
            trainer.strategy.remove_checkpoint(self._ckpt_path)

    def _use_callbacks(self, callbacks: list) -> None:
        # the dispatcher resolved the run's hooks once; the trial runs fire only the tuner's own callback
        self.trainer.callbacks = list(callbacks)
        self.trainer._hooks.resolve(self.trainer.lightning_module, self.trainer.datamodule, list(callbacks))

    # ------------------------------------------------------------ loop state
    def _loop_state(self) -> dict:
        loop = self.loop
        if loop is self.trainer.fit_loop:
            return {"state": deepcopy(loop.state_dict()), "restarting": loop._restarting,
                    "resume": deepcopy(loop.epoch_loop._resume)}
        return {"batch_progress": deepcopy(loop.batch_progress.state_dict())}

    def _restore_loop_state(self, saved: dict) -> None:
        loop = self.loop
        if loop is self.trainer.fit_loop:
            loop.load_state_dict(deepcopy(saved["state"]))
            loop._restarting = saved["restarting"]
            loop.epoch_loop._resume = deepcopy(saved["resume"])
        else:
            loop.batch_progress.load_state_dict(deepcopy(saved["batch_progress"]))

    def _restore_checkpoint(self) -> None:
        trainer = self.trainer
        checkpoint = trainer.strategy.load_checkpoint(self._ckpt_path, weights_only=False)
        trainer.strategy.load_model_state_dict(checkpoint, strict=True)
        if trainer.state.fn == TrainerFn.FITTING and checkpoint.get("optimizer_states"):
            trainer.strategy.load_optimizer_state_dict(checkpoint)
            for config, state in zip(trainer.lr_scheduler_configs, checkpoint.get("lr_schedulers", [])):
                config.scheduler.load_state_dict(state)

    # ------------------------------------------------------------ trials
    def reset_dataloaders(self, with_val: bool = True) -> None:
        """Rebuild the loaders (after the batch size changed, or before the real run continues); the validation
        loaders of a fit are dropped, and rebuilt now when ``with_val``."""
        loop = self.loop
        loop._combined_loader = None
        loop.setup_data()
        if loop is self.trainer.fit_loop:
            val_loop = loop.epoch_loop.val_loop
            val_loop._combined_loader = None
            if with_val and self.trainer.enable_validation:
                val_loop.setup_data()

    def run(self) -> None:
        """One trial from the saved progress (so every trial starts at the same step)."""
        trainer = self.trainer
        self._restore_loop_state(self._saved["loop_state"])
        loop = self.loop
        if loop is trainer.fit_loop:
            loop._restarting = False
            loop.epoch_loop._resume = None
            progress = loop.epoch_loop
            progress.automatic_optimization.optim_progress.reset()
            progress.manual_optimization.optim_step_progress.reset()
            loop.epoch_progress.reset()
        trainer.should_stop = False
        loop.run()
        trainer.should_stop = False

    def override(self, owner: Any, name: str, value: Any) -> None:
        """Set ``owner.name = value`` for the trials (a limit, ``max_steps``, a loop's ``verbose``); undone on exit."""
        self._overrides.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def _undo_overrides(self) -> None:
        while self._overrides:
            owner, name, value = self._overrides.pop()
            setattr(owner, name, value)
