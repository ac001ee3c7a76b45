"""The ``Callback`` base class: every hook the Trainer fires for callbacks, all doing nothing by default.

The Trainer only calls the hooks a callback overrides (resolved once per run), so an empty hook costs nothing.
"""
from typing import Any

from torch import Tensor
from torch.optim import Optimizer

from lightning.pytorch.utilities.types import STEP_OUTPUT  # noqa: F401 - public at this path in 2.6.6

CALLBACK_HOOKS = (
    "setup", "teardown", "on_fit_start", "on_fit_end", "on_sanity_check_start", "on_sanity_check_end",
    "on_train_batch_start", "on_train_batch_end", "on_train_epoch_start", "on_train_epoch_end",
    "on_validation_epoch_start", "on_validation_epoch_end", "on_test_epoch_start", "on_test_epoch_end",
    "on_predict_epoch_start", "on_predict_epoch_end", "on_validation_batch_start", "on_validation_batch_end",
    "on_test_batch_start", "on_test_batch_end", "on_predict_batch_start", "on_predict_batch_end",
    "on_train_start", "on_train_end", "on_validation_start", "on_validation_end", "on_test_start", "on_test_end",
    "on_predict_start", "on_predict_end", "on_exception", "on_save_checkpoint", "on_load_checkpoint",
    "on_before_backward", "on_after_backward", "on_before_optimizer_step", "on_before_zero_grad",
)


class Callback:
    """Extend this class and override the hooks you need; pass instances to ``Trainer(callbacks=[...])``."""

    @property
    def state_key(self) -> str:
        """Where this callback's ``state_dict`` lives in ``checkpoint["callbacks"]``; unique per stateful instance."""
        return self.__class__.__qualname__

    @property
    def _legacy_state_key(self) -> type:
        return type(self)

    def _generate_state_key(self, **kwargs: Any) -> str:
        """A state key that includes the arguments which make two instances of this callback distinct."""
        return f"{self.__class__.__qualname__}{repr(kwargs)}"

    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        """Called when fit, validate, test, predict or tune begins."""

    def teardown(self, trainer: Any, pl_module: Any, stage: str) -> None:
        """Called when fit, validate, test, predict or tune ends."""

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_fit_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_sanity_check_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_sanity_check_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_train_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int) -> None: ...

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        """``outputs`` is what ``training_step`` returned (a dict with ``loss`` when a tensor was returned)."""

    def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        """To use the step outputs here, collect them in the module and read them from there."""

    def on_validation_epoch_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_test_epoch_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_test_epoch_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_predict_epoch_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_predict_epoch_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_validation_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None: ...

    def on_validation_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None: ...

    def on_test_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None: ...

    def on_test_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None: ...

    def on_predict_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None: ...

    def on_predict_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None: ...

    def on_train_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_train_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_validation_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_test_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_test_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_predict_start(self, trainer: Any, pl_module: Any) -> None: ...

    def on_predict_end(self, trainer: Any, pl_module: Any) -> None: ...

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        """Called when any trainer execution is interrupted by an exception."""

    def state_dict(self) -> dict:
        """The state to checkpoint (stored under ``checkpoint["callbacks"][self.state_key]``)."""
        return {}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what :meth:`state_dict` returned."""

    def on_save_checkpoint(self, trainer: Any, pl_module: Any, checkpoint: dict) -> None:
        """Called when saving a checkpoint; may edit ``checkpoint`` in place."""

    def on_load_checkpoint(self, trainer: Any, pl_module: Any, checkpoint: dict) -> None:
        """Called when loading a checkpoint, with the whole checkpoint dict."""

    def on_before_backward(self, trainer: Any, pl_module: Any, loss: Tensor) -> None: ...

    def on_after_backward(self, trainer: Any, pl_module: Any) -> None: ...

    def on_before_optimizer_step(self, trainer: Any, pl_module: Any, optimizer: Optimizer) -> None: ...

    def on_before_zero_grad(self, trainer: Any, pl_module: Any, optimizer: Optimizer) -> None: ...


