"""``BatchSizeFinder``: search the largest batch size that fits at the start of fit / validate / test / predict
(see ``lightning.pytorch.tuner``)."""
from typing import Any, Optional

from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.trainer.states import TrainerFn
from lightning.pytorch.tuner.batch_size_scaling import _scale_batch_size
from lightning.pytorch.utilities.exceptions import MisconfigurationException, _TunerExitException
from lightning.pytorch.utilities.parsing import lightning_hasattr


class BatchSizeFinder(Callback):
    """Sets ``model.<batch_arg_name>`` (or the datamodule's / hparams') to the largest size that ran
    ``steps_per_trial`` steps without running out of memory; the result is in ``optimal_batch_size``."""

    SUPPORTED_MODES = ("power", "binsearch")

    def __init__(self, mode: str = "power", steps_per_trial: int = 3, init_val: int = 2, max_trials: int = 25,
                 batch_arg_name: str = "batch_size", margin: float = 0.05, max_val: int = 8192) -> None:
        mode = mode.lower()
        if mode not in self.SUPPORTED_MODES:
            raise ValueError(f"`mode` should be either of {self.SUPPORTED_MODES}, got {mode!r}")
        if not 0.0 <= margin < 1.0:
            raise ValueError(f"`margin` should be between 0 and 1. Found margin={margin}")
        self.optimal_batch_size: Optional[int] = init_val
        self._mode = mode
        self._steps_per_trial = steps_per_trial
        self._init_val = init_val
        self._max_trials = max_trials
        self._batch_arg_name = batch_arg_name
        self._margin = margin
        self._max_val = max_val
        self._early_exit = False  # set by the Tuner: stop the trainer call after the search

    def setup(self, trainer: Any, pl_module: Any, stage: Optional[str] = None) -> None:
        if trainer.world_size > 1:
            raise MisconfigurationException("The Batch size finder is not supported with distributed strategies.")
        from lightning.pytorch.trainer.states import RunningStage

        source = trainer._data.source(RunningStage.TRAINING if stage == "fit" else trainer.state.stage)
        if not source.is_module():
            raise MisconfigurationException(
                "The Batch size finder cannot be used with dataloaders passed directly to the trainer call. Please "
                "disable the feature or incorporate the dataloader into your LightningModule or LightningDataModule."
            )
        if not lightning_hasattr(pl_module, self._batch_arg_name):
            raise MisconfigurationException(
                f"Field {self._batch_arg_name} not found in `model`, `datamodule`, nor their `hparams` attributes."
            )
        hparams = getattr(pl_module, "hparams", {})
        if hasattr(pl_module, self._batch_arg_name) and self._batch_arg_name in hparams:
            rank_zero_warn(f"Field `model.{self._batch_arg_name}` and `model.hparams.{self._batch_arg_name}` are "
                           f"mutually exclusive! `model.{self._batch_arg_name}` will be used as the initial batch size "
                           "for scaling. If this is not the intended behavior, please remove either one.")

    def scale_batch_size(self, trainer: Any, pl_module: Any) -> None:
        self.optimal_batch_size = _scale_batch_size(trainer, self._mode, self._steps_per_trial, self._init_val,
                                                    self._max_trials, self._batch_arg_name, self._margin,
                                                    self._max_val)
        if self._early_exit:
            raise _TunerExitException()

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        self.scale_batch_size(trainer, pl_module)

    def on_validation_start(self, trainer: Any, pl_module: Any) -> None:
        if trainer.sanity_checking or trainer.state.fn != TrainerFn.VALIDATING:
            return
        self.scale_batch_size(trainer, pl_module)

    def on_test_start(self, trainer: Any, pl_module: Any) -> None:
        self.scale_batch_size(trainer, pl_module)

    def on_predict_start(self, trainer: Any, pl_module: Any) -> None:
        self.scale_batch_size(trainer, pl_module)
