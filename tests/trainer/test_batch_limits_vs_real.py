"""``limit_*_batches``, ``overfit_batches`` and ``val_check_interval`` read as 2.6.6 reads them, side by side
(``batch_limit_scenarios.py``): True and whole floats above 1 are batch counts, an explicit 1 or 1.0 is announced,
``fast_dev_run`` announces nothing else, ``overfit_batches`` becomes the train/val limit, and a time-based interval
("DD:HH:MM:SS", timedelta keywords or a timedelta) validates when the clock says so, not at epoch ends."""
import sys
from pathlib import Path

from tests.reference import L2_PYTHON, require, run_json

SCRIPT = Path(__file__).resolve().parent / "batch_limit_scenarios.py"


def _same_lines(ours: list, real: list) -> bool:
    # 2.6.6 ends its 1.0 line with two periods; the phrase up to the period is the message
    return [line.rstrip(".") for line in ours] == [line.rstrip(".") for line in real]


def test_batch_limits_and_time_based_validation_match_lightning_2_6_6():
    real, ours = run_json(require(L2_PYTHON), SCRIPT), run_json(sys.executable, SCRIPT)
    assert real.keys() == ours.keys()
    differ = {}
    for name, want in real.items():
        got = ours[name]
        if "lines" in want:
            if got.get("kept") != want["kept"] or not _same_lines(got.get("lines", []), want["lines"]):
                differ[name] = (got, want)
        elif got != want:
            differ[name] = (got, want)
    assert differ == {}
    # the scenarios reach every reading: time-based runs validate mid-epoch, bad values raise
    assert real["time/string"]["validations"][1:] and real["time/string"]["val_check_batch"] == "None"
    assert real["limit_train_batches=minus_one"] == {"error": "MisconfigurationException"}
