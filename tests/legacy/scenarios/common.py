"""What the side-by-side scenario scripts share: the data, a seeded fit, and the JSON line they print.

A scenario script imports ``pl`` (1.x scripts: ``pytorch_lightning``) or ``L`` (2.x scripts: ``lightning``) itself and
runs under the real package and under ours; ``main(SCENARIOS)`` runs the scenarios named on the command line (all by
default) and prints one JSON line ``{name: result}``. A scenario that raises reports the exception's class name.
"""
import json
import os
import sys
import tempfile
import warnings

import torch
from torch.utils.data import DataLoader, TensorDataset


def data(n: int = 32, batch_size: int = 8, seed: int = 0) -> DataLoader:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    return DataLoader(TensorDataset(x, x.sum(1, keepdim=True) + 0.1 * torch.randn(n, 1, generator=g)),
                      batch_size=batch_size)


def trainer_kwargs(root: str, **kwargs) -> dict:
    base = dict(default_root_dir=root, max_epochs=2, logger=False, enable_checkpointing=False,
                enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1)
    base.update(kwargs)
    return base


def weights(module: torch.nn.Module) -> list:
    return [round(float(v), 6) for p in module.parameters() for v in p.detach().flatten()]


def main(scenarios: dict) -> None:
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.CRITICAL)
    names = sys.argv[1:] or sorted(scenarios)
    results = {}
    for name in names:
        with tempfile.TemporaryDirectory() as root:
            cwd = os.getcwd()
            os.chdir(root)
            try:
                results[name] = scenarios[name](root)
            except Exception as err:  # noqa: BLE001  (the reaction itself is compared)
                results[name] = {"error": type(err).__name__}
            finally:
                os.chdir(cwd)
    print(json.dumps(results))
