"""EarlyStopping in a run as 2.6.6's (side by side over twelve value sequences): the epoch it stops at, its
state_dict, stopping_reason and message, the verbose info lines and the warnings about the monitored value, for
patience, min_delta, max mode, both thresholds, non-finite values, a missing metric (strict or not), training-epoch-end
checks, validation every 2 epochs and min_epochs."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import json, logging, math, os, warnings
import torch
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.callbacks import EarlyStopping

out = {}


class Model(L.LightningModule):
    def __init__(self, values, key="val_loss", train_key=False):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)
        self.values, self.key, self.train_key = values, key, train_key

    def training_step(self, batch, batch_idx):
        if self.train_key:
            self.log(self.key, self.values[min(self.current_epoch, len(self.values) - 1)], on_epoch=True, on_step=False)
        return self.layer(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        if not self.train_key:
            self.log(self.key, self.values[min(self.current_epoch, len(self.values) - 1)])

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def run(name, values, max_epochs=10, trainer_kw=None, model_kw=None, **es_kw):
    es = EarlyStopping(monitor="val_loss", **es_kw)
    handler = Capture()
    logging.getLogger("lightning.pytorch").addHandler(handler)
    data = DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)
    trainer = L.Trainer(default_root_dir=os.getcwd(), max_epochs=max_epochs, callbacks=[es], logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", **(trainer_kw or {}))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            trainer.fit(Model(values, **(model_kw or {})), data, data)
        error = None
    except Exception as err:
        error = [type(err).__name__, str(err)[:80]]
        caught = []
    logging.getLogger("lightning.pytorch").removeHandler(handler)
    state = {k: (float(v) if torch.is_tensor(v) else v) for k, v in es.state_dict().items()}
    out[name] = {"error": error, "epoch": trainer.current_epoch, "state": state, "reason": str(es.stopping_reason),
                 "message": es.stopping_reason_message,
                 "logs": [l for l in handler.lines if "Metric" in l or "Monitored" in l or "threshold" in l],
                 "warnings": [str(w.message)[:60] for w in caught if "monitor" in str(w.message).lower()
                              or "early" in str(w.message).lower()]}


run("patience", [5, 4, 4, 4, 4, 4, 4, 4], patience=2, verbose=True)
run("min_delta", [5, 4.95, 4.9, 4.85, 4.8, 4.0], patience=2, min_delta=0.1, verbose=True)
run("max_mode", [1, 2, 3, 3, 3, 3, 3], patience=1, mode="max", verbose=True)
run("stopping_threshold", [5, 4, 3, 2, 1], stopping_threshold=2.5, verbose=True)
run("divergence", [5, 4, 30, 2, 1], divergence_threshold=20, verbose=True)
run("nan", [5, 4, float("nan"), 2], verbose=True)
run("nan_unchecked", [5, 4, float("nan"), 2, 2, 2, 2], check_finite=False, patience=2)
run("missing_strict", [5], model_kw={"key": "other"})
run("missing_lenient", [5], strict=False, model_kw={"key": "other"}, max_epochs=2)
run("train_epoch_end", [5, 5, 5, 5, 5], patience=1, model_kw={"train_key": True}, verbose=True)
run("check_every_2", [5, 4, 4, 4, 4, 4, 4, 4], patience=1, trainer_kw={"check_val_every_n_epoch": 2})
run("min_epochs", [5, 5, 5, 5, 5, 5], patience=1, trainer_kw={"min_epochs": 4})
print(json.dumps(out, sort_keys=True, default=repr))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_runs_as_in_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert real["patience"]["epoch"] < 10 and real["missing_strict"]["error"][0] == "RuntimeError"
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {name: {"real": real[name], "ours": ours.get(name)} for name in real if ours.get(name) != real[name]} == {}
