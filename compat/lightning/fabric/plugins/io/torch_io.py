"""``TorchCheckpointIO``: checkpoints through ``torch.save`` / ``torch.load``, at local paths or fsspec URLs."""
import logging
import os
import shutil
from typing import Any, Optional

from lightning.fabric.plugins.io.checkpoint_io import CheckpointIO
from lightning.fabric.utilities.cloud_io import _atomic_save, _is_remote, _load_checkpoint, _local, _remove
from lightning.fabric.utilities.types import _PATH

log = logging.getLogger(__name__)


class TorchCheckpointIO(CheckpointIO):
    """The default plugin. A local save goes to a temporary file that is renamed into place, so a crash mid-save
    leaves the previous file intact; a remote one (``s3://`` ...) is serialized first and written in one call. Loads
    are ``weights_only`` unless asked otherwise; ``map_location=None`` keeps tensors on their saved device, or the
    CPU where that device does not exist here."""

    def save_checkpoint(self, checkpoint: dict[str, Any], path: _PATH, storage_options: Optional[Any] = None) -> None:
        if storage_options is not None:
            raise TypeError(
                f"`storage_options` was given ({storage_options!r}) but `{type(self).__name__}` takes none. To pass "
                "storage options, use a custom `CheckpointIO` plugin that accepts them."
            )
        _atomic_save(checkpoint, path)

    def load_checkpoint(
        self, path: _PATH, map_location: Optional[Any] = None, weights_only: Optional[bool] = None
    ) -> dict[str, Any]:
        return _load_checkpoint(path, map_location=map_location, weights_only=weights_only)

    def remove_checkpoint(self, path: _PATH) -> None:
        if _is_remote(path):
            try:
                _remove(path)
            except FileNotFoundError:
                return
            log.debug(f"Removed checkpoint: {path}")
            return
        path = _local(path)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        elif os.path.lexists(path):
            os.remove(path)
        else:
            return
        log.debug(f"Removed checkpoint: {path}")
