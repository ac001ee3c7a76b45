"""``CheckpointIO``: the interface for writing, reading and removing checkpoints (Fabric's and the Trainer's)."""
from abc import ABC, abstractmethod
from typing import Any, Optional

from lightning.fabric.utilities.types import _PATH


class CheckpointIO(ABC):
    """Saves, loads and removes checkpoint files; a strategy owns one as ``strategy.checkpoint_io``."""

    @abstractmethod
    def save_checkpoint(self, checkpoint: dict[str, Any], path: _PATH, storage_options: Optional[Any] = None) -> None:
        """Persist ``checkpoint`` (a dict of states) at ``path``."""

    @abstractmethod
    def load_checkpoint(
        self, path: _PATH, map_location: Optional[Any] = None, weights_only: Optional[bool] = None
    ) -> dict[str, Any]:
        """Read back what :meth:`save_checkpoint` wrote."""

    @abstractmethod
    def remove_checkpoint(self, path: _PATH) -> None:
        """Delete the checkpoint at ``path``."""

    def teardown(self) -> None:
        """Release resources (threads, connections) when the run ends."""
