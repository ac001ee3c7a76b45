"""Small checks and helpers the loops share."""
from collections import OrderedDict
from typing import Any

import torch


def check_finite_loss(loss: torch.Tensor) -> None:
    """Raise if ``loss`` is NaN or infinite (``Trainer(detect_anomaly=True)`` finds where it came from)."""
    if loss is not None and not torch.isfinite(loss).all():
        raise ValueError(f"The loss returned in `training_step` is {loss}.")


class _ModuleMode:
    """The ``training`` flag of every submodule, captured before an evaluation or prediction loop switches the model
    to eval mode and put back afterwards (a frozen submodule stays in eval mode)."""

    def __init__(self) -> None:
        self.mode: dict = {}

    def capture(self, module: torch.nn.Module) -> None:
        self.mode = {name: sub.training for name, sub in module.named_modules()}

    def restore(self, module: torch.nn.Module) -> None:
        for name, sub in module.named_modules():
            training = self.mode.get(name)
            if training is not None:  # a submodule added while the loop ran keeps its own mode
                sub.training = training


def hook_kwargs(batch: Any, batch_idx: int, dataloader_idx: int, several: bool) -> OrderedDict:
    """The arguments of the evaluation/prediction batch hooks: ``dataloader_idx`` only with several dataloaders."""
    kwargs = OrderedDict(batch=batch, batch_idx=batch_idx)
    if several:
        kwargs["dataloader_idx"] = dataloader_idx
    return kwargs
