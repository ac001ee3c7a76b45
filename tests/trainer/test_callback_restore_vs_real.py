"""Callback states on a run with ``ckpt_path`` as in 2.6.6 (side by side): restored in every stage (fit, validate,
predict), the callbacks a checkpoint holds but the Trainer lacks named in one warning ('Please add the following
callbacks: [keys]'; callbacks with an empty state are not saved, so never missing), and a file without callback states
(weights only) never reaches the callbacks' ``on_load_checkpoint``."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import ast, json, os, warnings
import torch
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.callbacks import Callback, ModelCheckpoint

out = {}


class Model(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)

    def forward(self, x):
        return self.layer(x[0])

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        self.log("v", self.layer(batch[0]).sum())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


class Recorder(Callback):
    def __init__(self, name, state=True):
        self.name, self.state, self.calls = name, state, []

    @property
    def state_key(self):
        return f"Recorder[{self.name}]"

    def state_dict(self):
        return {"n": 1} if self.state else {}

    def load_state_dict(self, state):
        self.calls.append(["load_state_dict", state])

    def on_load_checkpoint(self, trainer, pl_module, checkpoint):
        self.calls.append(["on_load_checkpoint", sorted(map(str, checkpoint.get("callbacks", {})))])


def data():
    return DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)


def trainer(callbacks, **kw):
    return L.Trainer(default_root_dir=os.getcwd(), max_steps=1, callbacks=callbacks, logger=False, enable_progress_bar=False,
                     enable_model_summary=False, accelerator="cpu", **kw)


def run(name, fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    phrases = [sorted(ast.literal_eval(str(w.message).split("Please add the following callbacks: ")[1].rstrip(".")))
               for w in caught if "Please add the following callbacks: " in str(w.message)]
    out[name] = {"result": result, "missing": phrases}


c0, c1 = ModelCheckpoint(monitor="epoch"), ModelCheckpoint(monitor="step", dirpath="x")
t = trainer([c0, c1, Recorder("a"), Recorder("empty", state=False)], limit_val_batches=1)
t.fit(Model(), data(), data())
ckpt = c0.best_model_path
t.save_checkpoint("weights.ckpt", weights_only=True)


def resume(callbacks, fn="fit", path=ckpt):
    t = trainer(callbacks, limit_val_batches=1)
    try:
        getattr(t, fn)(Model(), data(), ckpt_path=path)
        error = None
    except Exception as err:
        error = type(err).__name__
    return [error] + [c.calls for c in callbacks if isinstance(c, Recorder)]


run("one_missing", lambda: resume([c1]))
run("all_reordered", lambda: resume([c1, c0, Recorder("a"), Recorder("empty")]))
run("empty_state_present", lambda: resume([c0, c1, Recorder("a"), Recorder("empty", state=False)]))
run("recorder_missing", lambda: resume([c0, c1, Recorder("empty")]))
run("validate", lambda: resume([Recorder("a"), Recorder("empty")], fn="validate"))
run("predict", lambda: resume([Recorder("a")], fn="predict"))
run("weights_only_file", lambda: resume([Recorder("a")], path="weights.ckpt"))
print(json.dumps(out, sort_keys=True, default=repr))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_callback_restore_as_in_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert len(real["one_missing"]["missing"]) == 1 and len(real["one_missing"]["missing"][0]) == 2
    assert real["weights_only_file"]["result"] == ["KeyError", []]
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {k: v for k, v in ours.items() if v != real[k]} == {}
