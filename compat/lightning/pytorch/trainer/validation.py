"""Checks that a run can work, done before any training starts (so mistakes fail fast with a clear message)."""
from typing import Any

from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.fabric.utilities.warnings import PossibleUserWarning
from lightning.pytorch.trainer.states import RunningStage, TrainerFn
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch.utilities.model_helpers import is_overridden


def verify_run_configuration(trainer: Any, model: Any) -> list:
    """Raise for a run that cannot work; return the extra (internal) callbacks the run needs."""
    fn = trainer.state.fn
    if fn == TrainerFn.FITTING:
        _verify_fit(trainer, model)
    elif fn == TrainerFn.VALIDATING:
        _verify_eval(trainer, model, "validation_step", RunningStage.VALIDATING)
    elif fn == TrainerFn.TESTING:
        _verify_eval(trainer, model, "test_step", RunningStage.TESTING)
    elif fn == TrainerFn.PREDICTING:
        if not trainer._data.source(RunningStage.PREDICTING).is_defined():
            raise MisconfigurationException(
                "`predict_dataloader` is not defined: pass `dataloaders=` to `trainer.predict`, or implement "
                "`predict_dataloader()` on the model or datamodule."
            )
        _verify_predict_step(model)
    _warn_dataloader_iter(model)
    from lightning.pytorch import _extensions

    return _extensions.run_adapters(trainer, model)


def _warn_dataloader_iter(model: Any) -> None:
    from lightning.pytorch.loops.fetcher import takes_dataloader_iter

    steps = (model.training_step, model.validation_step, model.test_step, model.predict_step)
    if any(takes_dataloader_iter(step) for step in steps):
        rank_zero_warn(
            "You are using the `dataloader_iter` step flavor: a step that pulls several batches makes the hooks "
            "around it see only the last one (its `batch_idx` included), and gradient accumulation counts steps, "
            "not batches.", category=PossibleUserWarning,
        )


def _verify_fit(trainer: Any, model: Any) -> None:
    if not is_overridden("training_step", model):
        raise MisconfigurationException(
            f"No `training_step()` method defined on `{type(model).__name__}`. The Trainer needs at least "
            "`training_step()`, `configure_optimizers()` and training data to fit."
        )
    if not is_overridden("configure_optimizers", model):
        raise MisconfigurationException(
            f"No `configure_optimizers()` method defined on `{type(model).__name__}`. Return an optimizer from it, "
            "e.g. `return torch.optim.Adam(self.parameters(), lr=1e-3)`."
        )
    has_val_loader = trainer._data.source(RunningStage.VALIDATING).is_defined()
    has_val_step = is_overridden("validation_step", model)
    if has_val_loader and not has_val_step:
        rank_zero_warn("You passed in a `val_dataloader` but have no `validation_step`. Skipping val loop.")
    if has_val_step and not has_val_loader:
        rank_zero_warn("You defined a `validation_step` but have no `val_dataloader`. Skipping val loop.",
                       category=PossibleUserWarning)
    if not model.automatic_optimization:
        if trainer.gradient_clip_val is not None and trainer.gradient_clip_val > 0:
            raise MisconfigurationException(
                "Automatic gradient clipping is not supported for manual optimization. Remove "
                "`Trainer(gradient_clip_val=...)` and clip in `training_step` with `self.clip_gradients(opt, ...)`."
            )
        if trainer.accumulate_grad_batches != 1:
            raise MisconfigurationException(
                "Automatic gradient accumulation is not supported for manual optimization. Remove "
                "`Trainer(accumulate_grad_batches=...)` and accumulate in `training_step` yourself."
            )


def _verify_predict_step(model: Any) -> None:
    # predict_step need not be overridden (the base one calls forward), but one of the two must do something
    if model.predict_step is None:
        raise MisconfigurationException(
            "`predict_step` cannot be None to run `Trainer.predict`: remove the assignment or define the method."
        )
    if not is_overridden("predict_step", model) and not is_overridden("forward", model):
        raise MisconfigurationException(
            f"`Trainer.predict` requires `forward` method to run. `{type(model).__name__}` overrides neither "
            "`forward` nor `predict_step`."
        )


def _verify_eval(trainer: Any, model: Any, step: str, stage: RunningStage) -> None:
    prefix = stage.dataloader_prefix
    if not trainer._data.source(stage).is_defined():
        raise MisconfigurationException(
            f"No `{prefix}_dataloader()` method defined to run `Trainer.{trainer.state.fn.value}`: pass "
            f"`dataloaders=` or a datamodule, or implement `{prefix}_dataloader()` on the model."
        )
    if not is_overridden(step, model):
        raise MisconfigurationException(
            f"No `{step}()` method defined to run `Trainer.{trainer.state.fn.value}`."
        )
