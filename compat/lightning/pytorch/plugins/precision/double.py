"""``precision="64-true"``: the engine's float64 plugin with the Trainer's backward and optimizer step."""
from typing import Any

import torch
from torch import Tensor

from lightning.fabric.plugins.precision.double import DoublePrecision as _FabricDoublePrecision
from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.plugins.precision.precision import Precision


class DoublePrecision(Precision, _FabricDoublePrecision):
    pass


class LightningDoublePrecisionModule(torch.nn.Module):
    """Wraps a LightningModule so that the float inputs of its step methods and ``forward`` arrive as float64 (the
    module itself is expected in float64 already: see ``DoublePrecision.convert_module``)."""

    def __init__(self, pl_module: Any) -> None:
        super().__init__()
        self.module = pl_module

    @staticmethod
    def _to_double(data: Any) -> Any:
        return apply_to_collection(data, Tensor, lambda t: t.double() if t.is_floating_point() else t)

    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        return getattr(self.module, name)(*self._to_double(args), **self._to_double(kwargs))

    def training_step(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("training_step", args, kwargs)

    def validation_step(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("validation_step", args, kwargs)

    def test_step(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("test_step", args, kwargs)

    def predict_step(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("predict_step", args, kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("forward", args, kwargs)
