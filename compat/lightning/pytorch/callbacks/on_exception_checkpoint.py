"""``OnExceptionCheckpoint``: save a checkpoint when a run is interrupted by an exception (e.g. Ctrl-C)."""
import os
from pathlib import Path
from typing import Any, Union

from lightning.pytorch.callbacks.checkpoint import Checkpoint


class OnExceptionCheckpoint(Checkpoint):
    """Write ``<dirpath>/<filename>.ckpt`` when fit/validate/test/predict raises; the file is removed again when a
    later run of the same Trainer ends normally, so it only exists after a failure.

    Resume with ``trainer.fit(model, ckpt_path=callback.ckpt_path)``.
    """

    FILE_EXTENSION = ".ckpt"

    def __init__(self, dirpath: Union[str, Path], filename: str = "on_exception") -> None:
        super().__init__()
        if not filename:
            raise ValueError("`OnExceptionCheckpoint(filename=...)` must not be empty: it names the file to write.")
        self.dirpath = dirpath
        self.filename = filename

    @property
    def ckpt_path(self) -> str:
        return os.path.join(self.dirpath, self.filename + self.FILE_EXTENSION)

    def on_exception(self, trainer: Any, *_: Any, **__: Any) -> None:
        trainer.save_checkpoint(self.ckpt_path)

    def teardown(self, trainer: Any, *_: Any, **__: Any) -> None:
        trainer.strategy.remove_checkpoint(self.ckpt_path)
