"""``ProgressBar``: the base class of progress-bar callbacks. It knows how many batches each stage has and which
metrics to show (``get_metrics``: the experiment version ``v_num`` plus everything logged with ``prog_bar=True``);
subclasses draw."""
from typing import Any, Optional, Union

from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.callbacks.callback import Callback


class ProgressBar(Callback):
    """Subclass this for a custom progress bar; implement ``disable`` and ``enable`` and draw from the batch hooks
    (call ``super()`` in the hooks you override). Pass it in ``Trainer(callbacks=[...])``; it replaces the default
    bar."""

    def __init__(self) -> None:
        self._trainer: Any = None
        self._current_eval_dataloader_idx: Optional[int] = None

    @property
    def trainer(self) -> Any:
        if self._trainer is None:
            raise TypeError(f"`{type(self).__name__}.trainer` is only set once the Trainer has called `setup`.")
        return self._trainer

    @property
    def sanity_check_description(self) -> str:
        return "Sanity Checking"

    @property
    def train_description(self) -> str:
        return "Training"

    @property
    def validation_description(self) -> str:
        return "Validation"

    @property
    def test_description(self) -> str:
        return "Testing"

    @property
    def predict_description(self) -> str:
        return "Predicting"

    @property
    def total_train_batches(self) -> Union[int, float]:
        """Training batches in this epoch (``inf`` for an iterable of unknown length); with ``max_epochs=-1`` and
        ``max_steps`` set, no more than the steps left."""
        trainer = self.trainer
        if trainer.max_epochs == -1 and trainer.max_steps is not None and trainer.max_steps > 0:
            return min(trainer.num_training_batches, trainer.max_steps - trainer.global_step)
        return trainer.num_training_batches

    @property
    def total_val_batches_current_dataloader(self) -> Union[int, float]:
        """Batches of the validation dataloader running now (sanity-check counts during the sanity check)."""
        trainer = self.trainer
        batches = trainer.num_sanity_val_batches if trainer.sanity_checking else trainer.num_val_batches
        return self._for_current_dataloader(batches)

    @property
    def total_test_batches_current_dataloader(self) -> Union[int, float]:
        return self._for_current_dataloader(self.trainer.num_test_batches)

    @property
    def total_predict_batches_current_dataloader(self) -> Union[int, float]:
        return self._for_current_dataloader(self.trainer.num_predict_batches)

    def _for_current_dataloader(self, batches: Union[list, int, float]) -> Union[int, float]:
        if not isinstance(batches, list):
            return batches
        if self._current_eval_dataloader_idx is None:
            raise RuntimeError("The progress bar asked for a dataloader's size before that dataloader started.")
        return batches[self._current_eval_dataloader_idx]

    @property
    def total_val_batches(self) -> Union[int, float]:
        """Validation batches over all validation dataloaders, or 0 when this epoch does not validate."""
        trainer = self.trainer
        if not _validates_this_epoch(trainer):
            return 0
        batches = trainer.num_val_batches
        return sum(batches) if isinstance(batches, list) else batches

    def has_dataloader_changed(self, dataloader_idx: int) -> bool:
        """Record ``dataloader_idx`` as the current one; True when it differs from the previous batch's."""
        changed = self._current_eval_dataloader_idx != dataloader_idx
        self._current_eval_dataloader_idx = dataloader_idx
        return changed

    def reset_dataloader_idx_tracker(self) -> None:
        self._current_eval_dataloader_idx = None

    def disable(self) -> None:
        """Stop drawing (the Trainer calls this on every process except global rank zero)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `disable()`.")

    def enable(self) -> None:
        """Draw again after ``disable``."""
        raise NotImplementedError(f"{type(self).__name__} must implement `enable()`.")

    def print(self, *args: Any, **kwargs: Any) -> None:
        """Print a message without breaking the bar (subclasses route it through their bar)."""
        print(*args, **kwargs)

    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        self._trainer = trainer
        if not trainer.is_global_zero:
            self.disable()

    def get_metrics(self, trainer: Any, pl_module: Any) -> dict[str, Union[int, str, float, dict[str, float]]]:
        """What the bar shows next to the counter: ``get_standard_metrics`` plus the ``prog_bar=True`` metrics.
        Override to add or hide entries."""
        standard = get_standard_metrics(trainer)
        logged = trainer.progress_bar_metrics
        clashes = sorted(standard.keys() & logged.keys())
        if clashes:
            rank_zero_warn(
                f"The progress bar already shows {', '.join(repr(name) for name in clashes)}; the value logged with"
                f" `self.log({clashes[0]!r}, ..., prog_bar=True)` replaces it. Rename the metric or override"
                " `get_metrics()` of the progress bar to keep both."
            )
        return {**standard, **logged}


def get_standard_metrics(trainer: Any) -> dict[str, Union[int, str]]:
    """The entries every bar shows: ``v_num``, the loggers' version (the last 4 characters of a string version)."""
    if not trainer.loggers:
        return {}
    from lightning.pytorch.loggers.utilities import _version

    version = _version(trainer.loggers)
    if version in ("", None):
        return {}
    return {"v_num": version[-4:] if isinstance(version, str) else version}


def _validates_this_epoch(trainer: Any) -> bool:
    epoch_loop = trainer.fit_loop.epoch_loop
    should_check = getattr(epoch_loop, "_should_check_val_epoch", None)
    if callable(should_check):
        return bool(should_check())
    every_n = trainer.check_val_every_n_epoch
    return every_n is None or (trainer.current_epoch + 1) % every_n == 0

