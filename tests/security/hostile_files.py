"""Hostile files for the probes: pickles whose loading would create a marker folder, and sharded (FSDP) checkpoint
folders carrying them in each place a reader unpickles."""
import os
import pickle
import warnings
from pathlib import Path

import torch


class Payload:
    """Unpickling it calls ``os.makedirs(marker)``: the marker's existence proves that code from the file ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.makedirs, (self.marker,)


def sharded_folder(folder: Path, marker: Path, place: str) -> Path:
    """A folder as FSDPStrategy writes it (shards + ``.metadata`` + ``meta.pt``), with a payload in ``place``:
    ``"meta.pt"``, ``".metadata"`` or ``"entry"`` (a non-tensor entry inside the shards)."""
    import torch.distributed.checkpoint as dcp

    model = {"layer.weight": torch.ones(2, 32), "layer.bias": torch.zeros(2)}
    if place == "entry":
        model["extra"] = Payload(marker)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dcp.save({"model": model}, checkpoint_id=folder, no_dist=True)
    meta = {"epoch": 0, "global_step": 2, "pytorch-lightning_version": "2.6.6", "_fsdp_num_optimizers": 0}
    if place == "meta.pt":
        meta["hyper_parameters"] = {"evil": Payload(marker)}
    torch.save(meta, folder / "meta.pt")
    if place == ".metadata":
        (folder / ".metadata").write_bytes(pickle.dumps(Payload(marker)))
    return folder
