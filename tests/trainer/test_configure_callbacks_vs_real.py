"""Callbacks from ``LightningModule.configure_callbacks`` merge into the Trainer's as in 2.6.6 (side by side): same type
or a subclass replaces, a plain Callback does not, a single callback needs no list, checkpoint callbacks go last, in
fit and validate; the info line keeps 2.6.6's key phrase ('will override existing callbacks passed to Trainer')."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import json, logging, os, warnings
import torch
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.callbacks import (Callback, EarlyStopping, LearningRateMonitor, ModelCheckpoint, Timer,
                                         TQDMProgressBar, ModelSummary, BatchSizeFinder, LearningRateFinder, Checkpoint)

out = {}


class MyCheckpoint(ModelCheckpoint):
    pass


class MyCallback(Callback):
    pass


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def model_with(cbs):
    class Model(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)

        def training_step(self, batch, batch_idx):
            return self.layer(batch[0]).sum()

        def validation_step(self, batch, batch_idx):
            self.log("val_loss", self.layer(batch[0]).sum())

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.01)

        def configure_callbacks(self):
            return cbs()

    return Model()


def run(name, trainer_cbs, model_cbs, fn="fit", **kw):
    handler = Capture()
    logging.getLogger("lightning.pytorch").addHandler(handler)
    data = DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)
    try:
        trainer = L.Trainer(default_root_dir=os.getcwd(), max_epochs=1, callbacks=trainer_cbs(), logger=False,
                            enable_progress_bar=False, accelerator="cpu", **kw)
        before = [type(c).__name__ for c in trainer.callbacks]
        if fn == "fit":
            trainer.fit(model_with(model_cbs), data, data)
        else:
            getattr(trainer, fn)(model_with(model_cbs), data)
        error = None
    except Exception as err:
        error = [type(err).__name__, str(err)[:60]]  # the key phrase
    logging.getLogger("lightning.pytorch").removeHandler(handler)
    out[name] = {"error": error, "before": before, "after": [type(c).__name__ for c in trainer.callbacks],
                 "info": [l.split("will override existing callbacks passed to Trainer: ")[-1] for l in handler.lines
                          if "will override existing callbacks passed to Trainer" in l]}


run("none", lambda: [MyCallback()], lambda: [])
run("single_not_list", lambda: [MyCallback()], lambda: EarlyStopping("val_loss"))
run("same_type", lambda: [EarlyStopping("val_loss"), MyCallback()], lambda: [EarlyStopping("val_loss", patience=9)])
run("subclass_replaces", lambda: [MyCallback()], lambda: [MyCheckpoint()])
run("checkpoint_last", lambda: [MyCallback()], lambda: [ModelCheckpoint(dirpath="a"), LearningRateMonitor()])
run("plain_callback", lambda: [Callback(), MyCallback()], lambda: [Callback()])
run("timer_and_tuner", lambda: [Timer(), ModelCheckpoint(dirpath="b")], lambda: [Timer(duration="00:01:00:00"), MyCallback()])
run("no_checkpointing", lambda: [MyCallback()], lambda: [LearningRateMonitor()], enable_checkpointing=False)
run("validate", lambda: [MyCallback()], lambda: [MyCallback(), ModelCheckpoint(dirpath="c")], fn="validate")
run("summary", lambda: [ModelSummary(max_depth=2)], lambda: [ModelSummary(max_depth=1)])
print(json.dumps(out, sort_keys=True))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_merge_as_in_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert real["validate"]["info"] == ["ModelCheckpoint, MyCallback"]
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {name: {"real": real[name], "ours": ours.get(name)} for name in real if ours.get(name) != real[name]} == {}
