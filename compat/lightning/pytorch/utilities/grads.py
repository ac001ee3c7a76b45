"""``grad_norm``: per-parameter gradient norms and their total, ready for ``self.log_dict``."""
from typing import Union

import torch
from torch.nn import Module


def grad_norm(module: Module, norm_type: Union[float, int, str], group_separator: str = "/") -> dict:
    """``{"grad_{p}_norm{sep}{param}": norm, ..., "grad_{p}_norm_total": norm of the norms}`` over the parameters
    that have a gradient (empty when none has). ``norm_type`` is a positive number or ``"inf"``."""
    norm_type = float(norm_type)
    if norm_type <= 0:
        raise ValueError(f"`norm_type` must be a positive number or 'inf' (infinity norm). Got {norm_type}")
    norms = {
        f"grad_{norm_type}_norm{group_separator}{name}": p.grad.data.norm(norm_type)
        for name, p in module.named_parameters()
        if p.grad is not None
    }
    if norms:
        norms[f"grad_{norm_type}_norm_total"] = torch.tensor(list(norms.values())).norm(norm_type)
    return norms
