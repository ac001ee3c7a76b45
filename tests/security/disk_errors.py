"""A Trainer checkpoint save that fails for lack of room or a read-only folder, in its own process (it sets a file
size limit, or mounts a tmpfs in its own mount namespace). Prints one JSON line, {mode: the error's type and text,
whether it is a RuntimeError, whether the previous checkpoint is byte-for-byte intact with no temporary files left}.

  python disk_errors.py FOLDER MODE...   in FOLDER/MODE for each MODE, in order:
    full       a 1 MiB tmpfs: the real ENOSPC                 (needs `unshare -m` around the process)
    readonly   a tmpfs remounted read-only: the real EROFS    (needs `unshare -m` around the process)
    fsize      RLIMIT_FSIZE below the second file's size (works for root too; it stays for the process: last)
"""
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import warnings

import torch

import lightning.pytorch as pl
from lightning.pytorch.demos.boring_classes import BoringModel


def probe(mode, folder):
    os.makedirs(folder)
    if mode in ("full", "readonly"):
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "none", folder], check=True)
    model = BoringModel()
    trainer = pl.Trainer(max_steps=1, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False, limit_val_batches=0)
    trainer.fit(model)
    path = os.path.join(folder, "model.ckpt")
    trainer.save_checkpoint(path)  # the previous checkpoint, small
    before = hashlib.sha256(open(path, "rb").read()).hexdigest()
    model.register_buffer("big", torch.zeros(1_000_000))  # 4 MB more: larger than the limits below
    if mode == "fsize":
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    elif mode == "readonly":
        subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
    try:
        trainer.save_checkpoint(path)
        error = None
    except Exception as err:
        error = err
    return {
        "type": type(error).__name__, "message": str(error), "is_runtime_error": isinstance(error, RuntimeError),
        "errno": getattr(error, "errno", None), "filename": getattr(error, "filename", None),
        "previous_intact": hashlib.sha256(open(path, "rb").read()).hexdigest() == before,
        "previous_loads": set(torch.load(path)["state_dict"]) == {"layer.weight", "layer.bias"},
        "files": sorted(os.listdir(folder)),
    }


def main(root, modes):
    warnings.simplefilter("ignore")
    print(json.dumps({mode: probe(mode, os.path.join(root, mode)) for mode in modes}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
