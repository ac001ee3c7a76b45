"""Seeding of every random number generator a training run touches, and seeds for dataloader workers."""
import logging
import os
import random
from typing import Optional

import torch

from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn

log = logging.getLogger(__name__)  # "Seed set to" comes from here in 2.6.6 too, for Fabric and the Trainer
max_seed_value = 4294967295
min_seed_value = 0


def seed_everything(seed: Optional[int] = None, workers: bool = False, verbose: bool = True) -> int:
    """Seed python's ``random``, numpy (if installed) and torch (CPU and CUDA); export it as ``PL_GLOBAL_SEED``.

    Without ``seed`` the value of ``PL_GLOBAL_SEED`` is used, else 0. ``workers=True`` makes dataloader workers derive
    distinct, reproducible seeds (``PL_SEED_WORKERS``). Returns the seed used.
    """
    if seed is None:
        env_seed = os.environ.get("PL_GLOBAL_SEED")
        if env_seed is None:
            seed = 0
            rank_zero_warn(f"No seed found, seed set to {seed}")
        else:
            try:
                seed = int(env_seed)
            except ValueError:
                seed = 0
                rank_zero_warn(f"Invalid seed found: {env_seed!r}, seed set to {seed}")
    elif not isinstance(seed, int):
        seed = int(seed)
    if not (min_seed_value <= seed <= max_seed_value):
        rank_zero_warn(f"{seed} is not in bounds, numpy accepts from {min_seed_value} to {max_seed_value}")
        seed = 0
    if verbose:
        log.info(rank_zero_only_prefix() + f"Seed set to {seed}")
    os.environ["PL_GLOBAL_SEED"] = str(seed)
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:
        pass
    torch.manual_seed(seed)
    os.environ["PL_SEED_WORKERS"] = f"{int(workers)}"
    return seed


def rank_zero_only_prefix() -> str:
    return "" if rank_zero_only.rank == 0 else f"[rank: {rank_zero_only.rank}] "


def reset_seed() -> None:
    """Re-apply the seed exported by :func:`seed_everything` (in a freshly launched process)."""
    seed = os.environ.get("PL_GLOBAL_SEED")
    if seed is None:
        return
    workers = os.environ.get("PL_SEED_WORKERS", "0")
    seed_everything(int(seed), workers=bool(int(workers)), verbose=False)


def pl_worker_init_function(worker_id: int, rank: Optional[int] = None) -> None:
    """Seed a dataloader worker from the global seed, the worker id and the process rank, all RNGs distinct."""
    global_rank = rank if rank is not None else rank_zero_only.rank
    process_seed = torch.initial_seed()
    base_seed = process_seed - worker_id
    seed_sequence = _generate_seed_sequence(base_seed, worker_id, global_rank, count=4)
    torch.manual_seed(seed_sequence[0])
    random.seed((seed_sequence[1] << 32) | seed_sequence[2])
    try:
        import numpy as np

        np.random.seed(seed_sequence[3] & 0xFFFFFFFF)
    except ImportError:
        pass


def _generate_seed_sequence(base_seed: int, worker_id: int, global_rank: int, count: int) -> list:
    # a small splitmix-style mixer: distinct, reproducible 32-bit seeds per (base, worker, rank)
    state = (base_seed * 0x9E3779B97F4A7C15 + worker_id * 0xBF58476D1CE4E5B9 + global_rank * 0x94D049BB133111EB) & (
        (1 << 64) - 1
    )
    seeds = []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & ((1 << 64) - 1)
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & ((1 << 64) - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & ((1 << 64) - 1)
        seeds.append((z ^ (z >> 31)) & 0xFFFFFFFF)
    return seeds
