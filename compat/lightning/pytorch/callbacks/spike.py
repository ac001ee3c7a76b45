"""``SpikeDetection`` as a Trainer callback: the engine's detector (:mod:`lightning.fabric.utilities.spike`) fed
with the loss of each training batch; the skipped-batches file goes to ``<default_root_dir>/skip_batches.json``
unless ``exclude_batches_path`` is given."""
import os
from typing import Any, Mapping, Union

import torch

from lightning.fabric.utilities.spike import SpikeDetection as _FabricSpikeDetection
from lightning.fabric.utilities.spike import TrainingSpikeException
from lightning.pytorch.callbacks.callback import Callback

__all__ = ["SpikeDetection", "TrainingSpikeException"]


class SpikeDetection(_FabricSpikeDetection, Callback):
    @torch.no_grad()
    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Union[torch.Tensor, Mapping],
                           batch: Any, batch_idx: int) -> None:
        if isinstance(outputs, torch.Tensor):
            loss = outputs.detach()
        elif isinstance(outputs, Mapping):
            loss = outputs["loss"].detach()
        else:
            raise TypeError(f"outputs have to be of type torch.Tensor or Mapping, got {type(outputs).__qualname__}")
        if self.exclude_batches_path is None:
            self.exclude_batches_path = os.path.join(trainer.default_root_dir, "skip_batches.json")
        # the Trainer has what the engine's detector asks of Fabric: strategy and global_rank
        _FabricSpikeDetection.on_train_batch_end(self, trainer, loss, batch, batch_idx)
