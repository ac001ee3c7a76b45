"""Old-format checkpoint dicts run through `migrate_checkpoint`, identically for any Lightning implementation.

    .ref/l2/bin/python tests/checkpointing/reference/migration_scenarios.py   # writes migration-2.6.6.json

The scenarios are synthetic files of the layouts described in shared/migration-table.md (beside the repository) F.1-F.4 (0.9, 1.5,
1.6 with 1.x loop keys, colliding ModelCheckpoint keys, a newer producer). test_migration.py compares our result.
"""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "fixtures" / "checkpoints"))
from generate import describe  # noqa: E402


def _progress(*fields, total=0, current=0):
    return {"total": dict.fromkeys(fields, total), "current": dict.fromkeys(fields, current)}


def scenarios(ns) -> dict:
    mc_key = "ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min', 'every_n_train_steps': 0, 'every_n_epochs': 1, "
    mc_key += "'train_time_interval': None"
    batch = {**_progress("ready", "started", "processed", "completed", total=6, current=3), "is_last_batch": True}
    return {
        "v0.9_top_level_callback_keys": {
            "epoch": 5, "global_step": 50, "pytorch-lightning_version": "0.9.0", "state_dict": {"w": torch.ones(2)},
            "checkpoint_callback_best_model_score": torch.tensor(0.5), "checkpoint_callback_best_model_path": "b.ckpt",
            "early_stop_callback_wait": 2, "early_stop_callback_patience": 3,
        },
        "v1.5_no_loops_amp_and_old_state_key": {
            "epoch": 3, "global_step": 30, "pytorch-lightning_version": "1.5.10", "state_dict": {},
            "callbacks": {mc_key + ", 'save_on_train_epoch_end': True}": {"best_model_path": "x.ckpt"},
                          "EarlyStopping{'monitor': 'val_loss', 'mode': 'min'}": {"wait_count": 1}},
            "amp_scaling_state": {"loss_scale": 1.0}, "native_amp_scaling_state": {"scale": torch.tensor(2.0)},
        },
        "v1.5_colliding_state_keys": {
            "epoch": 1, "global_step": 10, "pytorch-lightning_version": "1.5.0", "state_dict": {},
            "callbacks": {mc_key + ", 'save_on_train_epoch_end': True}": {"best_model_path": "a"},
                          mc_key + ", 'save_on_train_epoch_end': False}": {"best_model_path": "b"}},
        },
        "v1.8_loops_of_1.x": {
            "epoch": 1, "global_step": 6, "pytorch-lightning_version": "1.8.6", "state_dict": {},
            "loops": {
                "fit_loop": {
                    "state_dict": {}, "epoch_progress": _progress("ready", "started", "processed", "completed", total=2),
                    "epoch_loop.state_dict": {"_batches_that_stepped": 6},
                    "epoch_loop.batch_progress": batch,
                    "epoch_loop.scheduler_progress": _progress("ready", "completed", total=2),
                    "epoch_loop.batch_loop.state_dict": {"leftover": 1},
                    "epoch_loop.batch_loop.optimizer_loop.state_dict": {},
                    "epoch_loop.batch_loop.optimizer_loop.optim_progress": {
                        "optimizer": {"step": _progress("ready", "completed", total=6)}, "optimizer_position": 1},
                    "epoch_loop.batch_loop.manual_loop.state_dict": {},
                    "epoch_loop.batch_loop.manual_loop.optim_step_progress": _progress("ready", "completed"),
                    "epoch_loop.val_loop.state_dict": {},
                    "epoch_loop.val_loop.dataloader_progress": _progress("ready", "completed", total=2),
                    "epoch_loop.val_loop.epoch_loop.state_dict": {},
                    "epoch_loop.val_loop.epoch_loop.batch_progress": batch,
                },
                "validate_loop": {"state_dict": {}, "dataloader_progress": _progress("ready", "completed"),
                                  "epoch_loop.state_dict": {}, "epoch_loop.batch_progress": batch},
                "predict_loop": {"state_dict": {}, "dataloader_progress": _progress("ready", "completed"),
                                 "epoch_loop.state_dict": {}, "epoch_loop.batch_progress": batch},
            },
        },
        "newer_producer": {"epoch": 0, "global_step": 0, "pytorch-lightning_version": "9.0.0", "state_dict": {}},
    }


def run_all(ns, migrate_checkpoint) -> dict:
    out = {}
    for name, checkpoint in scenarios(ns).items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            migrated, applied = migrate_checkpoint(checkpoint)
        out[name] = {"tree": describe(migrated), "applied": applied, "warned": bool(caught)}
    return json.loads(json.dumps(out))


if __name__ == "__main__":
    import logging

    import lightning
    import lightning.pytorch as ns
    from lightning.pytorch.utilities.migration import migrate_checkpoint

    logging.disable(logging.CRITICAL)
    result = {"generator": "tests/checkpointing/reference/migration_scenarios.py", **run_all(ns, migrate_checkpoint)}
    out = Path(__file__).with_name(f"migration-{lightning.__version__}.json")
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}", file=sys.stderr)
