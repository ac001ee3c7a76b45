"""The Trainer's batch limits and validation interval as Lightning reads them (run under 2.6.6 and under this
project by ``test_batch_limits_vs_real.py``): the values the Trainer keeps, the info lines it logs, the errors it
raises, and when a time-based ``val_check_interval`` validates (on a fake clock that advances 0.3 s per training
step, so the answer does not depend on the machine's speed). Prints one JSON object."""
import json
import logging
import time
import warnings
from datetime import timedelta

LIMITS = ("limit_train_batches", "limit_val_batches", "limit_test_batches", "limit_predict_batches",
          "overfit_batches", "val_check_interval")
VALUES = {"true": True, "one": 1, "one_float": 1.0, "half": 0.5, "two_float": 2.0, "three": 3, "zero": 0,
          "minus_one": -1, "one_and_half": 1.5}


def _construct(**kwargs):
    from lightning.pytorch import Trainer

    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    log = logging.getLogger("lightning.pytorch")
    log.addHandler(handler)
    try:
        trainer = Trainer(logger=False, enable_progress_bar=False, enable_model_summary=False, **kwargs)
        kept = {name: repr(getattr(trainer, name, None)) for name in LIMITS}
        return {"kept": kept, "lines": [line for line in lines if "was configured so" in line]}
    except Exception as err:  # noqa: BLE001 - the error type is the result
        return {"error": type(err).__name__}
    finally:
        log.removeHandler(handler)


def _time_based_validation(interval):
    from lightning.pytorch import Trainer
    from lightning.pytorch.demos.boring_classes import BoringModel

    clock = [1000.0]
    validations = []

    class Model(BoringModel):
        def training_step(self, batch, batch_idx):
            clock[0] += 0.3
            return super().training_step(batch, batch_idx)

        def on_validation_start(self):
            validations.append([self.current_epoch, self.trainer.fit_loop.epoch_loop.batch_idx, self.global_step])

    real_monotonic = time.monotonic
    time.monotonic = lambda: clock[0]
    try:
        trainer = Trainer(val_check_interval=interval, logger=False, enable_progress_bar=False,
                          enable_model_summary=False, enable_checkpointing=False, max_epochs=2,
                          limit_train_batches=7, limit_val_batches=1, num_sanity_val_steps=1)
        trainer.fit(Model())
    finally:
        time.monotonic = real_monotonic
    return {"validations": validations, "val_check_batch": repr(trainer.val_check_batch)}


def _fit_counts(**kwargs):
    from lightning.pytorch import Trainer
    from lightning.pytorch.demos.boring_classes import BoringModel

    trainer = Trainer(logger=False, enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                      max_epochs=1, **kwargs)
    trainer.fit(BoringModel())
    return [trainer.global_step, trainer.num_training_batches, trainer.num_val_batches]


def main() -> dict:
    result = {}
    for limit in LIMITS:
        for label, value in VALUES.items():
            result[f"{limit}={label}"] = _construct(**{limit: value})
    result["fast_dev_run_with_limits"] = _construct(fast_dev_run=2, limit_train_batches=1, limit_val_batches=1.0)
    result["overfit_with_limits"] = _construct(overfit_batches=2, limit_train_batches=1, limit_test_batches=1)
    result["float_interval_without_epochs"] = _construct(val_check_interval=0.5, check_val_every_n_epoch=None)
    for label, kwargs in (("overfit_two_float", {"overfit_batches": 2.0}), ("overfit_quarter", {"overfit_batches": 0.25}),
                          ("limit_true", {"limit_train_batches": True, "limit_val_batches": True})):
        result[f"fit/{label}"] = _fit_counts(**kwargs)
    for label, interval in (("string", "00:00:00:01"), ("dict", {"seconds": 2}), ("timedelta", timedelta(seconds=1))):
        result[f"time/{label}"] = _time_based_validation(interval)
    for label, interval in (("bad_format", "1:2"), ("not_a_number", "a:b:c:d")):
        result[f"time/{label}"] = _construct(val_check_interval=interval)
    return result


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    print(json.dumps(main()))
