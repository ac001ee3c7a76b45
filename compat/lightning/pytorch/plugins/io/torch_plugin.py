"""``TorchCheckpointIO``: ``torch.save``/``torch.load`` on the local file system, written atomically."""
import logging
import os
import shutil
from pathlib import Path
from typing import Any, Optional

from lightning.pytorch.plugins.io.checkpoint_plugin import CheckpointIO
from lightning.pytorch.utilities.checkpoint_io import _PATH, atomic_save, load_checkpoint_file

log = logging.getLogger("lightning.pytorch")


class TorchCheckpointIO(CheckpointIO):
    """The default plugin: each save goes to a temporary file that is renamed into place, so a crash mid-save
    leaves the previous file intact; loads are ``weights_only`` unless asked otherwise."""

    def save_checkpoint(self, checkpoint: dict, path: _PATH, storage_options: Optional[Any] = None) -> None:
        if storage_options is not None:
            raise TypeError(
                f"`storage_options` was given ({storage_options!r}) but `{type(self).__name__}` writes plain local "
                "files and takes none. To pass storage options, give the Trainer a custom `CheckpointIO` plugin "
                "that accepts them."
            )
        atomic_save(checkpoint, path)

    def load_checkpoint(
        self, path: _PATH, map_location: Optional[Any] = None, weights_only: Optional[bool] = None
    ) -> dict:
        return load_checkpoint_file(path, map_location=map_location, weights_only=weights_only)

    def remove_checkpoint(self, path: _PATH) -> None:
        path = Path(path)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            os.remove(path)
        else:
            return
        log.debug(f"Removed checkpoint: {path}")
