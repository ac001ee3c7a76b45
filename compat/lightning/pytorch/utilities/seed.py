"""Seeding utilities of the Trainer: ``seed_everything`` and ``isolate_rng``."""
from contextlib import contextmanager
from typing import Generator

from lightning.fabric.utilities.seed import seed_everything  # noqa: F401
from lightning.pytorch.loops.rng import restore_rng_states, snapshot_rng_states


@contextmanager
def isolate_rng(include_cuda: bool = True) -> Generator:
    """Run the body, then restore every RNG (python, numpy, torch, CUDA) to its state before it."""
    states = snapshot_rng_states()
    if not include_cuda:
        states.pop("torch.cuda", None)
    try:
        yield
    finally:
        restore_rng_states(states)
