"""Prints what a user reads from the Trainer's rank properties at every point they can read them.

Run by tests/distributed/test_rank_properties_vs_real.py under the real lightning 2.6.6 and under ours, launched
the ways users launch it. Every process appends one JSON line per point to ``$RANK_PROBE_OUT``:
after construction, in ``setup``, in ``training_step``, in ``on_fit_end`` and after ``fit`` returns.

    python rank_probe.py STRATEGY DEVICES NUM_NODES
"""
import json
import os
import sys

import torch
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.utilities.rank_zero import rank_zero_only

OUT = os.environ["RANK_PROBE_OUT"]


def record(trainer, point):
    values = {name: getattr(trainer, name) for name in
              ("global_rank", "local_rank", "node_rank", "world_size", "is_global_zero")}
    # where the process came from: the main one, or a worker that the launcher spawned from it
    role = "worker" if __name__ != "__main__" or _is_spawned() else "script"
    line = json.dumps({"point": point, "role": role, "rank_zero_only": rank_zero_only.rank, **values})
    with open(OUT, "a") as handle:  # one short append per line: lines of different processes do not interleave
        handle.write(line + "\n")


def _is_spawned():
    import multiprocessing

    return multiprocessing.parent_process() is not None


class Probe(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)

    def setup(self, stage):
        record(self.trainer, "setup")

    def training_step(self, batch, batch_idx):
        if batch_idx == 0:
            record(self.trainer, "training_step")
        return self.layer(batch[0]).sum()

    def on_fit_end(self):
        record(self.trainer, "on_fit_end")

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def main():
    strategy, devices, num_nodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    trainer = L.Trainer(accelerator="cpu", devices=devices, num_nodes=num_nodes, strategy=strategy, max_steps=2,
                        logger=False, enable_checkpointing=False, enable_progress_bar=False,
                        enable_model_summary=False)
    record(trainer, "constructed")
    data = DataLoader(TensorDataset(torch.randn(8, 2)), batch_size=2)
    trainer.fit(Probe(), data)
    record(trainer, "after_fit")


if __name__ == "__main__":
    main()
