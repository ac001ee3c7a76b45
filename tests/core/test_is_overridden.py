"""is_overridden answers as 2.6.6's: wrappers around the base hook (functools.wraps, Mock(wraps=...), partial) are not
overrides, so a recording wrapper does not make the Trainer call a deprecated hook; checked side by side."""
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reference import L2_PYTHON, require

PROBE = r'''
import functools, json, sys
from unittest.mock import Mock
from lightning.pytorch import LightningModule
from lightning.pytorch.utilities.model_helpers import is_overridden


class Plain(LightningModule):
    pass


class Own(LightningModule):
    def training_step(self, batch, batch_idx):
        return None

    @functools.wraps(LightningModule.on_fit_start)
    def on_fit_start(self):
        return None


def wrapped_base(model, name):
    original = getattr(model, name)

    @functools.wraps(original)
    def record(*args, **kwargs):
        return original(*args, **kwargs)

    setattr(model, name, record)


answers = {}
m = Plain()
answers["plain"] = is_overridden("configure_sharded_model", m)
wrapped_base(m, "configure_sharded_model")
answers["wraps_base"] = is_overridden("configure_sharded_model", m)
m.on_fit_end = Mock(wraps=m.on_fit_end)
answers["mock_wraps_base"] = is_overridden("on_fit_end", m)
m.on_train_end = Mock()
answers["bare_mock"] = is_overridden("on_train_end", m)
m.on_train_start = functools.partial(Plain.on_train_start, m)
answers["partial_base"] = is_overridden("on_train_start", m)
o = Own()
answers["own_step"] = is_overridden("training_step", o)
answers["own_wraps_decorated"] = is_overridden("on_fit_start", o)
answers["keys"] = [LightningModule.CHECKPOINT_HYPER_PARAMS_KEY, LightningModule.CHECKPOINT_HYPER_PARAMS_NAME,
                   LightningModule.CHECKPOINT_HYPER_PARAMS_TYPE]
print(json.dumps(answers))
'''


def _run(python, pythonpath):
    env = dict(os.environ, PYTHONPATH=pythonpath, PYTHONWARNINGS="ignore")
    proc = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_is_overridden_and_hparams_keys_match_real_2_6_6():
    ours = _run(sys.executable, str(Path(__file__).resolve().parents[2] / "compat"))
    real = _run(require(L2_PYTHON), "")
    assert ours == real
    assert ours["wraps_base"] is False and ours["own_step"] is True  # the cases the change is about
