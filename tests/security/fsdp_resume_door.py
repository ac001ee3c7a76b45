"""``Trainer(strategy=FSDPStrategy()).fit(ckpt_path=folder)`` with sharded checkpoints made hostile, in its own
process (it starts a process group): a real sharded checkpoint is written, copies get a payload in ``meta.pt``, in
``.metadata`` and in a non-tensor entry the resume reads (the optimizer's learning rate); the untouched one must
still resume. Prints one JSON line: {variant: "resumed" or the error}.

  python fsdp_resume_door.py FOLDER
"""
import json
import shutil
import sys
import warnings
from datetime import timedelta
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import lightning.pytorch as pl  # noqa: E402
from lightning.pytorch.demos.boring_classes import BoringModel  # noqa: E402
from lightning.pytorch.strategies import FSDPStrategy  # noqa: E402
from tests.security.hostile_files import Payload  # noqa: E402


def trainer(max_epochs):
    return pl.Trainer(accelerator="cpu", devices=1, max_epochs=max_epochs, limit_train_batches=2, logger=False,
                      strategy=FSDPStrategy(state_dict_type="sharded", timeout=timedelta(seconds=60)),
                      enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                      num_sanity_val_steps=0, limit_val_batches=0)


def hostile_copies(good: Path, root: Path) -> None:
    import torch.distributed.checkpoint as dcp
    from lightning.pytorch.utilities.sharded_checkpoint import load_folder

    shutil.copytree(good, root / "meta.pt")
    meta = torch.load(good / "meta.pt", weights_only=True)
    meta["hyper_parameters"] = {"evil": Payload(root / "marker-meta.pt")}
    torch.save(meta, root / "meta.pt" / "meta.pt")

    shutil.copytree(good, root / ".metadata")
    (root / ".metadata" / ".metadata").write_bytes(__import__("pickle").dumps(Payload(root / "marker-.metadata")))

    (root / "entry").mkdir()
    shutil.copy(good / "meta.pt", root / "entry" / "meta.pt")
    shards: dict = {}
    load_folder(shards, good, weights_only=None, everything=True)
    shards["optimizer_0"]["param_groups"][0]["lr"] = Payload(root / "marker-entry")
    dcp.save(shards, checkpoint_id=root / "entry", no_dist=True)


def main(root: Path) -> None:
    warnings.simplefilter("ignore")
    pl.seed_everything(0)
    first = trainer(1)
    first.fit(BoringModel())
    first.save_checkpoint(root / "good")
    hostile_copies(root / "good", root)
    result = {}
    for variant in ("good", "meta.pt", ".metadata", "entry"):
        resumed = trainer(2)
        try:
            resumed.fit(BoringModel(), ckpt_path=root / variant)
            result[variant] = f"resumed at step {resumed.global_step}"
        except Exception as err:
            result[variant] = f"{type(err).__name__}: {err}"
    print(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
