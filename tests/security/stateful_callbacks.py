"""Which callbacks may be given twice to a Trainer, run by the tests under our `lightning` and the real 2.6.6 alike.

  python stateful_callbacks.py   prints {case: "raises: <key phrase>" / "accepted" / "not built: <error type>"}
"""
import json
import warnings

import lightning.pytorch as pl
from lightning.pytorch import callbacks as cb

ARGS = {  # constructor arguments for callbacks that need some
    "EarlyStopping": dict(monitor="val_loss"),
    "ModelPruning": dict(pruning_fn="l1_unstructured"),
    "LambdaCallback": dict(),
    "StochasticWeightAveraging": dict(swa_lrs=0.1),
    "GradientAccumulationScheduler": dict(scheduling={0: 2}),
    "BackboneFinetuning": dict(),
    "Timer": dict(duration="00:00:01:00"),
    "ThroughputMonitor": dict(batch_size_fn=len),
}


class Counter(cb.Callback):
    """A user's stateful callback with the default state_key (its class name)."""

    def state_dict(self):
        return {"n": 0}


class Keyed(Counter):
    def __init__(self, key):
        self.key = key

    @property
    def state_key(self):
        return self._generate_state_key(key=self.key)


def outcome(make):
    try:
        callbacks = make()
    except Exception as err:
        return f"not built: {type(err).__name__}"
    try:
        pl.Trainer(callbacks=callbacks, logger=False)
        return "accepted"
    except RuntimeError as err:
        return "raises: Found more than one stateful callback" if "Found more than one stateful callback" in str(err) \
            else f"raises other: {err}"
    except Exception as err:
        return f"raises other: {type(err).__name__}"


def main():
    warnings.simplefilter("ignore")
    result = {}
    for name in sorted(cb.__all__):
        cls = getattr(cb, name)
        if isinstance(cls, type) and issubclass(cls, cb.Callback) and cls is not cb.Callback:
            result[f"{name} twice"] = outcome(lambda: [cls(**ARGS.get(name, {})), cls(**ARGS.get(name, {}))])
    result["ModelCheckpoint different monitors"] = outcome(
        lambda: [cb.ModelCheckpoint(monitor="a"), cb.ModelCheckpoint(monitor="b")])
    result["ModelCheckpoint same monitor, other dirpath"] = outcome(
        lambda: [cb.ModelCheckpoint(monitor="a", dirpath="x"), cb.ModelCheckpoint(monitor="a", dirpath="y")])
    result["ModelCheckpoint every_n_train_steps"] = outcome(
        lambda: [cb.ModelCheckpoint(every_n_train_steps=2), cb.ModelCheckpoint(every_n_train_steps=3)])
    result["EarlyStopping different monitors"] = outcome(
        lambda: [cb.EarlyStopping(monitor="a"), cb.EarlyStopping(monitor="b")])
    result["user stateful twice"] = outcome(lambda: [Counter(), Counter()])
    result["user stateful, own keys"] = outcome(lambda: [Keyed(1), Keyed(2)])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
