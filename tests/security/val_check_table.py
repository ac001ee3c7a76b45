"""``Trainer(val_check_interval=...)`` over ints and floats, with and without ``check_val_every_n_epoch``, run by the
tests under our `lightning` and the real 2.6.6 alike.

  python val_check_table.py   prints {case: "init raises <type>" / "fit raises <type>" / [global steps validated at]}
"""
import json
import warnings

import lightning.pytorch as pl
from lightning.pytorch.demos.boring_classes import BoringModel

INTERVALS = [None, 0, 0.0, 1e-9, 0.25, 0.3, 0.5, 1, 1.0, 1.5, 2, 2.0, 2.5, 3, 3.0, 4, 4.0, 5, 5.0, 8.0, 1e9, -1,
             -0.5, -2.0]
EVERY_N_EPOCH = [1, 2, None]


class Recorder(pl.Callback):
    def __init__(self):
        self.steps = []

    def on_validation_start(self, trainer, pl_module):
        if not trainer.sanity_checking:
            self.steps.append(trainer.global_step)


def outcome(interval, every, fast_dev_run=False):
    recorder = Recorder()
    try:
        trainer = pl.Trainer(val_check_interval=interval, check_val_every_n_epoch=every, max_epochs=2,
                             limit_train_batches=4, limit_val_batches=1, num_sanity_val_steps=0, logger=False,
                             enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                             callbacks=[recorder], fast_dev_run=fast_dev_run)
    except Exception as err:
        return f"init raises {type(err).__name__}"
    try:
        trainer.fit(BoringModel())
    except Exception as err:
        return f"fit raises {type(err).__name__}"
    return recorder.steps


def main():
    warnings.simplefilter("ignore")
    result = {f"{interval!r}, every {every}": outcome(interval, every) for interval in INTERVALS
              for every in EVERY_N_EPOCH}
    for interval in (1.5, 2.0, -1):
        result[f"{interval!r}, fast_dev_run"] = outcome(interval, 1, fast_dev_run=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
