"""``TransformerEnginePrecision``: FP8 training through NVIDIA TransformerEngine (needs Hopper-class GPUs and the
``transformer_engine`` package; not driven by this project, construction explains)."""
from typing import Any, Optional

import torch

from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.utilities.unavailable import unavailable


class TransformerEnginePrecision(Precision):
    precision = "transformer-engine"

    def __init__(self, *, weights_dtype: torch.dtype, recipe: Optional[Any] = None,
                 replace_layers: Optional[bool] = None, fallback_compute_dtype: Optional[torch.dtype] = None) -> None:
        unavailable(type(self).__name__, "transformer_engine", "`pip install transformer_engine[pytorch]` on an "
                    "FP8-capable NVIDIA GPU", "train in precision='bf16-mixed' instead")
