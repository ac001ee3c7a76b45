"""The callbacks and logger a Trainer gets without asking: checkpointing, progress bar, model summary, timer,
TensorBoard (or CSV) logging — and how a model's ``configure_callbacks`` merges into them."""
from typing import Any, Optional, Sequence

from lightning.fabric.utilities.rank_zero import rank_zero_info
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.utilities.exceptions import MisconfigurationException


def _rich_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("rich") is not None


def configure_callbacks(callbacks: Any, enable_checkpointing: bool, enable_progress_bar: bool,
                        enable_model_summary: bool, max_time: Any) -> list:
    if callbacks is None:
        callbacks = []
    elif isinstance(callbacks, Callback):
        callbacks = [callbacks]
    elif not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"`callbacks` must be a Callback or a list of callbacks, got {type(callbacks).__name__}")
    callbacks = list(callbacks)
    for callback in callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(
                f"`callbacks` holds {type(callback).__qualname__}, which is not a `lightning.pytorch.Callback`."
            )
    from lightning.pytorch.callbacks.checkpoint import Checkpoint
    from lightning.pytorch.callbacks.progress.progress_bar import ProgressBar

    if enable_checkpointing:
        if not any(isinstance(c, Checkpoint) for c in callbacks):
            from lightning.pytorch.callbacks.model_checkpoint import ModelCheckpoint

            callbacks.append(ModelCheckpoint())
    elif any(isinstance(c, Checkpoint) for c in callbacks):
        raise MisconfigurationException(
            "Trainer was configured with `enable_checkpointing=False` but found `ModelCheckpoint` in callbacks list."
        )
    if max_time is not None:
        from lightning.pytorch.callbacks.timer import Timer

        if not any(isinstance(c, Timer) for c in callbacks):
            callbacks.insert(0, Timer(duration=max_time, interval="step"))
    bars = [c for c in callbacks if isinstance(c, ProgressBar)]
    if len(bars) > 1:
        raise MisconfigurationException(
            "You added multiple progress bar callbacks to the Trainer, but currently only one progress bar is "
            "supported; keep one."
        )
    if enable_progress_bar and not bars:
        if _rich_available():
            from lightning.pytorch.callbacks.progress.rich_progress import RichProgressBar

            callbacks.append(RichProgressBar())
        else:
            from lightning.pytorch.callbacks.progress.tqdm_progress import TQDMProgressBar

            callbacks.append(TQDMProgressBar())
    elif not enable_progress_bar and bars:
        raise MisconfigurationException(
            "Trainer was configured with `enable_progress_bar=False` but found a progress bar in the callbacks list."
        )
    if enable_model_summary:
        from lightning.pytorch.callbacks.model_summary import ModelSummary

        given = [type(c) for c in callbacks if isinstance(c, ModelSummary)]
        if given:
            rank_zero_info(f"Trainer already configured with model summary callbacks: {given}. Skipping setting a "
                           "default `ModelSummary` callback.")
        elif _rich_available():  # as 2.6.6: the rich table whenever rich is installed, whatever the progress bar
            from lightning.pytorch.callbacks.rich_model_summary import RichModelSummary

            callbacks.append(RichModelSummary())
        else:
            callbacks.append(ModelSummary())
    _check_unique_state_keys(callbacks)
    return reorder_callbacks(callbacks)


def _check_unique_state_keys(callbacks: list) -> None:
    """Two stateful callbacks (``state_dict`` overridden) under one ``state_key`` would overwrite each other's state in
    the checkpoint: refused when the Trainer is built, as in 2.x."""
    from lightning.pytorch.utilities.model_helpers import is_overridden

    seen: dict = {}
    for callback in callbacks:
        if not is_overridden("state_dict", instance=callback, parent=Callback):
            continue
        key = callback.state_key
        if key in seen:
            raise RuntimeError(
                f"Found more than one stateful callback of type `{type(callback).__name__}` with the same "
                f"`state_key` ({key!r}): their states would overwrite each other in the checkpoint. Give them "
                "settings that make their `state_key` differ (for `ModelCheckpoint`: `monitor`, `mode` or the save "
                "interval), or keep only one."
            )
        seen[key] = callback


def reorder_callbacks(callbacks: list) -> list:
    """Tuner callbacks first, checkpoint callbacks last (so they see every other callback's state)."""
    from lightning.pytorch.callbacks.checkpoint import Checkpoint

    tuners = [c for c in callbacks if type(c).__name__ in ("BatchSizeFinder", "LearningRateFinder")]
    checkpoints = [c for c in callbacks if isinstance(c, Checkpoint)]
    others = [c for c in callbacks if c not in tuners and c not in checkpoints]
    return tuners + others + checkpoints


def merge_model_callbacks(callbacks: list, model_callbacks: Optional[Any]) -> list:
    """Callbacks from ``LightningModule.configure_callbacks`` replace Trainer callbacks of the same type."""
    if not model_callbacks:
        return callbacks
    if not isinstance(model_callbacks, Sequence):
        model_callbacks = [model_callbacks]
    model_types = {type(c) for c in model_callbacks}
    trainer_types = {type(c) for c in callbacks} - {Callback}
    override = {t for t in trainer_types for m in model_types if issubclass(m, t)}
    if override:
        names = ", ".join(sorted(t.__name__ for t in override))
        rank_zero_info(
            "The callbacks returned by `LightningModule.configure_callbacks` will override existing callbacks passed "
            f"to Trainer: {names}"
        )
    merged = [c for c in callbacks if type(c) not in override] + list(model_callbacks)
    return reorder_callbacks(merged)


def default_logger(root_dir: str) -> Any:
    """TensorBoard when it is installed (as in Lightning), else CSV."""
    import importlib.util

    if importlib.util.find_spec("tensorboard") is not None or importlib.util.find_spec("tensorboardX") is not None:
        from lightning.pytorch.loggers.tensorboard import TensorBoardLogger

        return TensorBoardLogger(save_dir=root_dir)
    from lightning.pytorch.loggers.csv_logs import CSVLogger

    return CSVLogger(save_dir=root_dir)


def logger_log_dir(logger: Any) -> Optional[str]:
    """Where a logger puts its files: ``log_dir`` for TensorBoard/CSV, ``save_dir`` for others."""
    from lightning.pytorch.loggers.csv_logs import CSVLogger
    from lightning.pytorch.loggers.tensorboard import TensorBoardLogger

    if isinstance(logger, (TensorBoardLogger, CSVLogger)):
        return logger.log_dir
    return logger.save_dir
