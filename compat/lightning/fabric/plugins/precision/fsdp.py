"""``FSDPPrecision``: the precision plugin of the FSDP strategy; it also tells FSDP which dtypes to shard, compute
and reduce in (``mixed_precision_config``)."""
from typing import Any, ContextManager, Optional

import torch
from torch import Tensor
from torch.nn import Module
from torch.optim import Optimizer

from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.plugins.precision.utils import _default_dtype, _floats_to
from lightning.fabric.utilities.rank_zero import rank_zero_warn

_DTYPES = {"32-true": torch.float32, "16-true": torch.float16, "bf16-true": torch.bfloat16,
           "16-mixed": torch.float16, "bf16-mixed": torch.bfloat16}


class FSDPPrecision(Precision):
    """``precision`` is one of ``32-true``, ``16-true``, ``bf16-true``, ``16-mixed``, ``bf16-mixed``; ``scaler`` a
    ``ShardedGradScaler`` for ``16-mixed`` (made on demand when CUDA is present)."""

    def __init__(self, precision: str, scaler: Optional[Any] = None) -> None:
        if precision not in _DTYPES:
            raise ValueError(f"`precision={precision!r}` is not supported by FSDP; pick one of {sorted(_DTYPES)}.")
        if scaler is not None and precision != "16-mixed":
            raise ValueError(f"`precision={precision!r}` does not use a gradient scaler; pass `scaler=None`.")
        if scaler is None and precision == "16-mixed" and torch.cuda.is_available():
            from torch.distributed.fsdp.sharded_grad_scaler import ShardedGradScaler

            scaler = ShardedGradScaler()
        self.precision = precision
        self.scaler = scaler
        # "-mixed" keeps float32 weights and inputs; "-true" runs in the named dtype throughout
        self._desired_input_dtype = _DTYPES[precision] if precision.endswith("-true") else torch.float32

    @property
    def mixed_precision_config(self) -> Any:
        """The ``torch.distributed.fsdp.MixedPrecision`` for this precision (params, reduction, buffers)."""
        from torch.distributed.fsdp import MixedPrecision as TorchMixedPrecision

        if self.precision in ("16-true", "bf16-true"):
            rank_zero_warn(f"FSDP with `{self.precision}` enables computation in lower precision; FSDP still keeps "
                           "a full-precision copy of the parameters for sharding.")
        dtype = _DTYPES[self.precision]
        return TorchMixedPrecision(param_dtype=dtype, reduce_dtype=dtype, buffer_dtype=dtype)

    def convert_module(self, module: Module) -> Module:
        return module.to(dtype=self._desired_input_dtype) if self.precision.endswith("-true") else module

    def tensor_init_context(self) -> ContextManager:
        return _default_dtype(self._desired_input_dtype)

    def module_init_context(self) -> ContextManager:
        return self.tensor_init_context()

    def forward_context(self) -> ContextManager:
        if self.precision.endswith("-mixed"):
            device = "cuda" if torch.cuda.is_available() else "cpu"
            return torch.autocast(device, dtype=_DTYPES[self.precision])
        return _default_dtype(self._desired_input_dtype)

    def convert_input(self, data: Any) -> Any:
        return _floats_to(data, self._desired_input_dtype)

    def convert_output(self, data: Any) -> Any:
        return _floats_to(data, torch.get_default_dtype())

    def backward(self, tensor: Tensor, model: Optional[Module], *args: Any, **kwargs: Any) -> None:
        if self.scaler is not None:
            tensor = self.scaler.scale(tensor)
        tensor.backward(*args, **kwargs)

    def optimizer_step(self, optimizer: Any, **kwargs: Any) -> Any:
        if self.scaler is None:
            return optimizer.step(**kwargs)
        output = self.scaler.step(optimizer, **kwargs)
        self.scaler.update()
        return output

    def unscale_gradients(self, optimizer: Optimizer) -> None:
        if self.scaler is not None:
            self.scaler.unscale_(optimizer)

    def state_dict(self) -> dict:
        return self.scaler.state_dict() if self.scaler is not None else {}

    def load_state_dict(self, state_dict: dict) -> None:
        if self.scaler is not None and state_dict:
            self.scaler.load_state_dict(state_dict)
