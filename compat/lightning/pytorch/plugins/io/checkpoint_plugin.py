"""``CheckpointIO``: the interface a strategy uses to persist checkpoint dicts (subclass it for other storage)."""
from abc import ABC, abstractmethod
from typing import Any, Optional

from lightning.pytorch.utilities.checkpoint_io import _PATH


class CheckpointIO(ABC):
    """Saves, loads and removes checkpoint files; the strategy owns one as ``strategy.checkpoint_io``."""

    @abstractmethod
    def save_checkpoint(self, checkpoint: dict, path: _PATH, storage_options: Optional[Any] = None) -> None:
        """Persist ``checkpoint`` (the dict the Trainer built) at ``path``."""

    @abstractmethod
    def load_checkpoint(self, path: _PATH, map_location: Optional[Any] = None, weights_only: Optional[bool] = None) -> dict:
        """Read back what :meth:`save_checkpoint` wrote."""

    @abstractmethod
    def remove_checkpoint(self, path: _PATH) -> None:
        """Delete the checkpoint at ``path``."""

    def teardown(self) -> None:
        """Release resources (threads, connections) when the run ends."""
