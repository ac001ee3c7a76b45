"""Callback hooks reach test doubles as in 2.6.6 (side by side): 2.6.6 calls every hook of every callback, so a
``Mock(spec=Callback)`` records the whole hook sequence and a ``Mock(wraps=...)`` put around a base hook counts its
calls. We skip only hooks that are ``Callback``'s own no-op; these doubles must still see every call."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import json, os
from unittest.mock import Mock
import torch
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.callbacks import Callback


class Model(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        self.log("v", self.layer(batch[0]).sum())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


out = {}
for fn in ("fit", "validate"):
    double = Mock(spec=Callback, model=Callback())
    counted = Callback()
    counted.on_train_batch_end = Mock(wraps=counted.on_train_batch_end)
    counted.on_validation_epoch_end = Mock(wraps=counted.on_validation_epoch_end)
    trainer = L.Trainer(default_root_dir=os.getcwd(), limit_train_batches=2, limit_val_batches=2, max_epochs=1,
                        callbacks=[double, counted], logger=False, enable_progress_bar=False,
                        enable_model_summary=False, enable_checkpointing=False, accelerator="cpu")
    data = DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)
    if fn == "fit":
        trainer.fit(Model(), data, data)
    else:
        trainer.validate(Model(), data)
    out[fn] = {"double": [call[0] for call in double.method_calls],
               "counted": [counted.on_train_batch_end.call_count, counted.on_validation_epoch_end.call_count]}
print(json.dumps(out))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_doubles_see_the_calls_of_2_6_6(tmp_path):
    real = _answers(require(L2_PYTHON), tmp_path)
    assert "on_train_batch_end" in real["fit"]["double"] and real["fit"]["counted"] == [2, 2]
    assert _answers(sys.executable, tmp_path) == real
