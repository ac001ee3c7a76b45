"""Layer synchronisation for multi-process training: ``TorchSyncBatchNorm`` swaps every BatchNorm layer for
``torch.nn.SyncBatchNorm`` (statistics computed over all processes) and can swap them back."""
from abc import ABC, abstractmethod

import torch
from torch import Tensor
from torch.nn import Module


class LayerSync(ABC):
    """Converts a model's layers to synchronised versions (``apply``) and back (``revert``)."""

    @abstractmethod
    def apply(self, model: Module) -> Module:
        """The model with synchronised layers."""

    @abstractmethod
    def revert(self, model: Module) -> Module:
        """The model with the synchronised layers turned back into plain ones."""


class TorchSyncBatchNorm(LayerSync):
    """``Trainer(sync_batchnorm=True)``: BatchNorm statistics over the whole global batch."""

    def apply(self, model: Module) -> Module:
        return torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)

    def revert(self, model: Module) -> Module:
        """Recursively replace ``SyncBatchNorm`` with a batch norm that accepts any input rank, sharing the same
        parameters and running statistics (no copies)."""
        converted = model
        if isinstance(model, torch.nn.SyncBatchNorm):
            converted = _BatchNormXd(model.num_features, model.eps, model.momentum, model.affine,
                                     model.track_running_stats)
            if model.affine:
                with torch.no_grad():
                    converted.weight = model.weight
                    converted.bias = model.bias
            converted.running_mean = model.running_mean
            converted.running_var = model.running_var
            converted.num_batches_tracked = model.num_batches_tracked
            if hasattr(model, "qconfig"):
                converted.qconfig = model.qconfig
        for name, child in model.named_children():
            converted.add_module(name, self.revert(child))
        return converted


class _BatchNormXd(torch.nn.modules.batchnorm._BatchNorm):
    """A batch norm for inputs of any rank (what ``SyncBatchNorm`` accepted), used by ``revert``."""

    def _check_input_dim(self, input: Tensor) -> None:
        return
