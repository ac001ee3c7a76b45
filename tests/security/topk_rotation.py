"""Top-k rotation across a resume, run by the tests under our `lightning` and the real 2.6.6 alike.

  python topk_rotation.py FOLDER   prints {scenario: [files after the first run, files after the resumed run]} as JSON
"""
import json
import os
import sys
import warnings

import torch

import lightning.pytorch as pl
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.demos.boring_classes import BoringModel

SCORES = [3.0, 1.0, 4.0, 1.5, 5.0, 0.5, 2.0, 6.0]  # the monitored value of each epoch: the ranking changes often


class ScoredModel(BoringModel):
    def validation_step(self, batch, batch_idx):
        self.log("score", torch.tensor(SCORES[self.current_epoch]))


def run(dirpath, max_epochs, ckpt_path=None, **checkpoint_args):
    pl.seed_everything(0)
    trainer = pl.Trainer(max_epochs=max_epochs, limit_train_batches=2, limit_val_batches=1, logger=False,
                         enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0,
                         callbacks=[ModelCheckpoint(dirpath=dirpath, **checkpoint_args)])
    trainer.fit(ScoredModel(), ckpt_path=ckpt_path)
    return sorted(os.listdir(dirpath))


SCENARIOS = {
    "monitor_top2_last": dict(monitor="score", save_top_k=2, save_last=True),
    "monitor_top1": dict(monitor="score", save_top_k=1),
    "latest_only_last": dict(save_top_k=1, save_last=True),
}


def main(folder):
    warnings.simplefilter("ignore")
    result = {}
    for name, args in SCENARIOS.items():
        dirpath = os.path.join(folder, name)
        first = run(dirpath, 3, **args)
        resume_from = os.path.join(dirpath, "last.ckpt" if args.get("save_last") else first[-1])
        result[name] = [first, run(dirpath, 6, ckpt_path=resume_from, **args)]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
