"""Distributed helpers 2.6.6 keeps public at this path: samplers that never repeat a sample (prediction and
evaluation across ranks) and ``prepare_for_backward`` for DDP models whose forward ran outside DDP's ``forward``."""
from typing import Any

import torch
from torch.nn.parallel import DistributedDataParallel

from lightning.fabric.utilities.distributed import _UnrepeatedDistributedSampler as UnrepeatedDistributedSampler
from lightning.fabric.utilities.distributed import (
    _UnrepeatedDistributedSamplerWrapper as UnrepeatedDistributedSamplerWrapper,
)

__all__ = ["UnrepeatedDistributedSampler", "UnrepeatedDistributedSamplerWrapper", "prepare_for_backward"]


def prepare_for_backward(model: DistributedDataParallel, output: Any) -> None:
    """Tell DDP's reducer that a backward through ``output`` is coming, as ``DistributedDataParallel.forward`` would
    (needed when the step ran ``model.module`` directly, e.g. ``training_step`` under manual optimization)."""
    if not (torch.is_grad_enabled() and model.require_backward_grad_sync):
        model.require_forward_param_sync = False
        return
    model.require_forward_param_sync = True
    from torch.nn.parallel.distributed import _find_tensors

    # with unused parameters DDP must see which tensors the loss depends on; otherwise every bucket is expected
    args = list(_find_tensors(output)) if model.find_unused_parameters and not model.static_graph else []
    model.reducer._rebuild_buckets()  # required before the first backward when find_unused_parameters=False
    model.reducer.prepare_for_backward(args)
