"""What a RichProgressBar subclass observes is 2.6.6's: an overriding ``get_metrics`` is called after every training
batch (not only when the bar redraws), at validation end and epoch end, with the same values; and the bar (with the
Trainer it references) pickles after fit, validate, test and predict. Side by side with the real package."""
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).resolve().parent / "rich_metrics_scenario.py"


def _run(python: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([python, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_get_metrics_calls_and_pickling_match_lightning_2_6_6():
    real, ours = _run(str(require(L2_PYTHON))), _run(sys.executable)
    assert real["pickles"] == [True] * 4
    assert ours["pickles"] == real["pickles"]
    assert len(real["calls"]) > 6  # every training batch, validation end, epoch end
    assert ours["calls"] == real["calls"]
