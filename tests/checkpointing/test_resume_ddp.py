"""Bit-exact resume under DDP (2 CPU ranks, gloo, forked from this process): a user sampler with its own generator
(which the Trainer wraps to shard its indices across the ranks) and Dropout; rank 0's checkpoint, taken at an epoch
end or mid-epoch, resumes both ranks to exactly the weights of the uninterrupted 2-rank run."""
import os

import torch

from loader_resume import SaveEverywhere, train
from tests.distributed.runner import run_forked

RESUME_FROM = ["e0-end", "e1-b1"]


def _ranks(local_rank: int, folder: str) -> None:
    """In each rank: the uninterrupted run (saving everywhere), then one resumed run per checkpoint of rank 0."""
    import lightning as L

    def fit(root, callbacks=(), ckpt_path=None):
        return train("user_sampler", root, callbacks, ckpt_path, strategy="ddp", devices=2, max_epochs=3)

    L.seed_everything(11, verbose=False)
    results = {"uninterrupted": fit(folder, [SaveEverywhere(folder)])}
    for name in RESUME_FROM:
        results[name] = fit(os.path.join(folder, f"r{local_rank}-{name}"),
                            ckpt_path=os.path.join(folder, f"{name}.ckpt"))
    torch.save(results, os.path.join(folder, f"rank{local_rank}.pt"))


def test_ddp_resume_with_user_sampler_generator_is_bit_exact(tmp_path):
    run_forked(_ranks, 2, str(tmp_path))
    for rank in (0, 1):
        results = torch.load(tmp_path / f"rank{rank}.pt", weights_only=True)
        final = results["uninterrupted"]
        for name in RESUME_FROM:
            for key, value in final.items():
                assert torch.equal(results[name][key], value), (rank, name, key)
