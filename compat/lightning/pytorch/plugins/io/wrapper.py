"""``_WrappingCheckpointIO``: a plugin that delegates to another one (the base of ``AsyncCheckpointIO``)."""
from typing import Any, Optional

from lightning.pytorch.plugins.io.checkpoint_plugin import CheckpointIO


class _WrappingCheckpointIO(CheckpointIO):
    """Forwards every call to ``checkpoint_io``; the strategy fills it in with its own plugin when left ``None``."""

    def __init__(self, checkpoint_io: Optional[CheckpointIO] = None) -> None:
        super().__init__()
        self._checkpoint_io = checkpoint_io
        self._base_checkpoint_io_configured = checkpoint_io is not None
        if checkpoint_io is not None and isinstance(checkpoint_io, _WrappingCheckpointIO):
            raise TypeError(
                f"`{type(self).__name__}` wraps a plain CheckpointIO, got another wrapper "
                f"`{type(checkpoint_io).__name__}`; wrap its inner plugin instead."
            )

    @property
    def checkpoint_io(self) -> Optional[CheckpointIO]:
        return self._checkpoint_io

    @checkpoint_io.setter
    def checkpoint_io(self, checkpoint_io: CheckpointIO) -> None:
        if isinstance(checkpoint_io, _WrappingCheckpointIO):
            raise TypeError(f"`{type(self).__name__}` cannot wrap another wrapper `{type(checkpoint_io).__name__}`.")
        if self._base_checkpoint_io_configured:
            return  # the user's explicit choice wins over the strategy's default
        self._base_checkpoint_io_configured = True
        self._checkpoint_io = checkpoint_io

    def _inner(self) -> CheckpointIO:
        if self._checkpoint_io is None:
            from lightning.pytorch.plugins.io.torch_plugin import TorchCheckpointIO

            self.checkpoint_io = TorchCheckpointIO()
        return self._checkpoint_io  # type: ignore[return-value]

    def save_checkpoint(self, *args: Any, **kwargs: Any) -> None:
        self._inner().save_checkpoint(*args, **kwargs)

    def load_checkpoint(self, *args: Any, **kwargs: Any) -> dict:
        return self._inner().load_checkpoint(*args, **kwargs)

    def remove_checkpoint(self, *args: Any, **kwargs: Any) -> None:
        self._inner().remove_checkpoint(*args, **kwargs)

    def teardown(self) -> None:
        if self._checkpoint_io is not None:
            self._checkpoint_io.teardown()
