"""What a RichProgressBar subclass observes is 2.6.6's: an overriding ``get_metrics`` is called after every training
batch (not only when the bar redraws), at validation end and epoch end, with the same values; and the bar (with the
Trainer it references) pickles after fit, validate, test and predict. Side by side with the real package."""
import sys
from pathlib import Path

from tests.reference import L2_PYTHON, require, run_json

SCRIPT = Path(__file__).resolve().parent / "rich_metrics_scenario.py"


def test_get_metrics_calls_and_pickling_match_lightning_2_6_6():
    real, ours = run_json(require(L2_PYTHON), SCRIPT), run_json(sys.executable, SCRIPT)
    assert real["pickles"] == [True] * 4
    assert ours["pickles"] == real["pickles"]
    assert len(real["calls"]) > 6  # every training batch, validation end, epoch end
    assert ours["calls"] == real["calls"]
