"""``BitsandbytesPrecision``: weight quantization through ``bitsandbytes`` (not driven by this project; the class
keeps 2.6.6's signature, checks the mode and explains itself when constructed)."""
from typing import Optional

import torch

from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.utilities.unavailable import unavailable

_MODES = ("nf4", "nf4-dq", "fp4", "fp4-dq", "int8", "int8-training")


class BitsandbytesPrecision(Precision):
    def __init__(self, mode: str, dtype: Optional[torch.dtype] = None, ignore_modules: Optional[set] = None) -> None:
        if mode not in _MODES:
            raise ValueError(f"`mode={mode!r}` is not a bitsandbytes quantization mode; pick one of {list(_MODES)}.")
        unavailable(type(self).__name__, "bitsandbytes", "`pip install bitsandbytes` on a CUDA machine",
                    "train in precision='bf16-mixed' or '16-true' instead")
