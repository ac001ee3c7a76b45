"""Logged torchmetrics objects computed as in 2.6.6 (side by side over two epochs): a metric updated without forward
and logged on step and epoch, one called forward, a MetricCollection through log_dict, an epoch-only sum on the
progress bar, a computed value logged as a tensor, and a validation metric: callback, logged and progress-bar
metrics and the metrics.csv columns."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import json, os, warnings
import torch
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
import torchmetrics
from lightning.pytorch.loggers import CSVLogger

out = {}


class Model(L.LightningModule):
    def __init__(self, mode):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)
        self.mode = mode
        self.m = torchmetrics.MeanMetric()
        self.s = torchmetrics.SumMetric()
        self.coll = torchmetrics.MetricCollection({"mx": torchmetrics.MaxMetric(), "mn": torchmetrics.MinMetric()})
        self.vm = torchmetrics.MeanMetric()

    def training_step(self, batch, batch_idx):
        x = batch[0].sum()
        if self.mode == "update_step":
            self.m.update(x)
            self.log("m", self.m, on_step=True, on_epoch=True)
        elif self.mode == "forward_step":
            self.m(x)
            self.log("m", self.m, on_step=True, on_epoch=True)
        elif self.mode == "collection":
            self.coll(x)
            self.log_dict(self.coll, on_step=True, on_epoch=True)
        elif self.mode == "sum_epoch":
            self.s.update(x)
            self.log("s", self.s, on_step=False, on_epoch=True, prog_bar=True)
        elif self.mode == "compute_value":
            self.m.update(x)
            self.log("m", self.m.compute(), on_step=True, on_epoch=True)
        return self.layer(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        self.vm.update(batch[0].sum())
        self.log("vm", self.vm)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


for mode in ("update_step", "forward_step", "collection", "sum_epoch", "compute_value"):
    torch.manual_seed(0)
    data = DataLoader(TensorDataset(torch.randn(8, 2)), batch_size=2)
    trainer = L.Trainer(default_root_dir=os.getcwd(), max_epochs=2, logger=CSVLogger(os.getcwd(), name=mode),
                        enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                        accelerator="cpu", log_every_n_steps=1)
    try:
        trainer.fit(Model(mode), data, data)
        metrics = open(os.path.join(trainer.logger.log_dir, "metrics.csv")).read()
        out[mode] = {"callback": {k: round(float(v), 5) for k, v in trainer.callback_metrics.items()},
                     "logged": {k: round(float(v), 5) for k, v in trainer.logged_metrics.items()},
                     "pbar": {k: round(float(v), 5) for k, v in trainer.progress_bar_metrics.items()},
                     "csv": metrics.splitlines()[0]}
    except Exception as err:
        out[mode] = [type(err).__name__, str(err)[:60]]
print(json.dumps(out, sort_keys=True))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_metric_objects_as_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert "m_epoch" in real["update_step"]["callback"] and "s" in real["sum_epoch"]["pbar"]
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {name: {"real": real[name], "ours": ours.get(name)} for name in real if ours.get(name) != real[name]} == {}
