"""Where 2.6.6 is strict or particular (issue 17.5), side by side with the real package: ``strictness_scenarios.py``
runs under the reference interpreter and under this project (``devices=-1`` on the CPU is refused with 2.6.6's
TypeError; ``setup``/``teardown`` receive the ``TrainerFn``; a run with only a TQDM bar prints 2.6.6's rich model
summary; the device info lines; a SLURM ``--ntasks-per-node`` mismatch fails ``fit``, not the constructor)."""
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).resolve().parent / "strictness_scenarios.py"
SCENARIOS = ("device_info_lines", "devices_minus_one_on_cpu", "setup_stage_argument", "summary_with_only_a_tqdm_bar")


@functools.lru_cache(maxsize=4)
def _run(python: str, tmp: str, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("SLURM_")}
    out = subprocess.run([python, str(SCRIPT), *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return str(tmp_path_factory.mktemp("strictness"))


@pytest.mark.parametrize("name", SCENARIOS)
def test_matches_lightning_2_6_6(tmp, name):
    real = _run(str(require(L2_PYTHON)), tmp)
    ours = _run(sys.executable, tmp)
    assert set(real) == set(ours) == set(SCENARIOS)
    assert ours[name] == real[name]


def test_slurm_task_mismatch_fails_fit_not_construction(tmp):
    real = _run(str(require(L2_PYTHON)), tmp, "slurm")
    ours = _run(sys.executable, tmp, "slurm")
    assert ours == real == {"construct": "ok", "fit": ["ValueError", True, True]}


def test_strategy_dp_names_the_argument_and_the_replacement():
    import lightning.pytorch as pl
    from lightning.pytorch.utilities.exceptions import MisconfigurationException

    for kwargs, spelled in (({"strategy": "dp"}, "strategy='dp'"),
                            ({"strategy": "dp", "accelerator": "cpu"}, "strategy='dp', accelerator='cpu'")):
        with pytest.raises(MisconfigurationException, match=rf"Trainer\({spelled}\) has no 2.x equivalent.*'ddp'"):
            pl.Trainer(logger=False, **kwargs)
