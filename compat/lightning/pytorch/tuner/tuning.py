"""``Tuner``: run the LR finder or the batch-size finder before training (``Tuner(trainer).lr_find(model)``)."""
from typing import Any, Literal, Optional

from lightning.pytorch.utilities.exceptions import MisconfigurationException

_METHODS = ("fit", "validate", "test", "predict")


class Tuner:
    """Tunes hyperparameters of a run by temporarily adding ``LearningRateFinder`` / ``BatchSizeFinder`` to the
    trainer and calling the entry point, which stops right after the search."""

    def __init__(self, trainer: Any) -> None:
        self._trainer = trainer

    def scale_batch_size(self, model: Any, train_dataloaders: Any = None, val_dataloaders: Any = None,
                         dataloaders: Any = None, datamodule: Any = None,
                         method: Literal["fit", "validate", "test", "predict"] = "fit", mode: str = "power",
                         steps_per_trial: int = 3, init_val: int = 2, max_trials: int = 25,
                         batch_arg_name: str = "batch_size", margin: float = 0.05,
                         max_val: int = 8192) -> Optional[int]:
        """The largest batch size that fits (``model.<batch_arg_name>`` is set to it); ``None`` with
        ``fast_dev_run``."""
        _check_tuner_configuration(train_dataloaders, val_dataloaders, dataloaders, method)
        from lightning.pytorch.callbacks.batch_size_finder import BatchSizeFinder

        if self._trainer.world_size > 1:
            raise ValueError("Tuning the batch size is currently not supported with distributed strategies.")
        _check_not_configured(self._trainer, BatchSizeFinder)
        if not 0.0 <= margin < 1.0:
            raise ValueError(f"`margin` should be between 0 and 1. Found margin={margin}")
        finder = BatchSizeFinder(mode=mode, steps_per_trial=steps_per_trial, init_val=init_val, max_trials=max_trials,
                                 batch_arg_name=batch_arg_name, margin=margin, max_val=max_val)
        self._run_with(finder, model, method, train_dataloaders, val_dataloaders, dataloaders, datamodule)
        return finder.optimal_batch_size

    def lr_find(self, model: Any, train_dataloaders: Any = None, val_dataloaders: Any = None, dataloaders: Any = None,
                datamodule: Any = None, method: Literal["fit", "validate", "test", "predict"] = "fit",
                min_lr: float = 1e-8, max_lr: float = 1, num_training: int = 100, mode: str = "exponential",
                early_stop_threshold: Optional[float] = 4.0, update_attr: bool = True, attr_name: str = "") -> Any:
        """Run the learning-rate range test; returns the ``_LRFinder`` (``.suggestion()``, ``.plot()``), and with
        ``update_attr`` sets ``model.lr`` / ``model.learning_rate`` to the suggestion."""
        if method != "fit":
            raise MisconfigurationException("method='fit' is the only valid configuration to run lr finder.")
        _check_tuner_configuration(train_dataloaders, val_dataloaders, dataloaders, method)
        from lightning.pytorch.callbacks.lr_finder import LearningRateFinder

        _check_not_configured(self._trainer, LearningRateFinder)
        finder = LearningRateFinder(min_lr=min_lr, max_lr=max_lr, num_training_steps=num_training, mode=mode,
                                    early_stop_threshold=early_stop_threshold, update_attr=update_attr,
                                    attr_name=attr_name)
        self._run_with(finder, model, method, train_dataloaders, val_dataloaders, dataloaders, datamodule)
        return finder.optimal_lr

    def _run_with(self, finder: Any, model: Any, method: str, train_dataloaders: Any, val_dataloaders: Any,
                  dataloaders: Any, datamodule: Any) -> None:
        trainer = self._trainer
        finder._early_exit = True
        trainer.callbacks = [finder] + trainer.callbacks
        try:
            if method == "fit":
                trainer.fit(model, train_dataloaders, val_dataloaders, datamodule)
            else:
                getattr(trainer, method)(model, dataloaders, datamodule=datamodule)
        finally:
            trainer.callbacks = [cb for cb in trainer.callbacks if cb is not finder]


def _check_tuner_configuration(train_dataloaders: Any = None, val_dataloaders: Any = None, dataloaders: Any = None,
                               method: str = "fit") -> None:
    if method not in _METHODS:
        raise ValueError(f"method {method!r} is invalid. Should be one of {_METHODS}.")
    if method == "fit":
        if dataloaders is not None:
            raise MisconfigurationException(f"In tuner with method={method!r}, `dataloaders` argument should be None, "
                                            "please consider setting `train_dataloaders` and `val_dataloaders` "
                                            "instead.")
    elif train_dataloaders is not None or val_dataloaders is not None:
        raise MisconfigurationException(f"In tuner with `method`={method!r}, `train_dataloaders` and "
                                        "`val_dataloaders` arguments should be None, please consider setting "
                                        "`dataloaders` instead.")


def _check_not_configured(trainer: Any, callback_type: type) -> None:
    if any(isinstance(cb, callback_type) for cb in trainer.callbacks):
        raise ValueError(f"Trainer is already configured with a `{callback_type.__name__}` callback. Please remove it "
                         "if you want to use the Tuner.")
