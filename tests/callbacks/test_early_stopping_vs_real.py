"""EarlyStopping's constructor answers as 2.6.6's (side by side): the refused mode names the choices and the value,
and the derived settings (sign of min_delta, starting best score, state key) agree."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import json
from lightning.pytorch.callbacks import EarlyStopping

out = {}
for mode in ("min", "max", "unknown_option", "MIN"):
    try:
        es = EarlyStopping(monitor="val_loss", mode=mode, min_delta=0.5)
        out[mode] = [es.min_delta, float(es.best_score), es.state_key]
    except Exception as err:
        out[mode] = [type(err).__name__, "`mode` can be" in str(err), str(err).endswith(mode)]
print(json.dumps(out, sort_keys=True))
'''


def _answers(python):
    result = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_constructor_as_in_2_6_6():
    real = _answers(require(L2_PYTHON))
    assert real["unknown_option"] == ["MisconfigurationException", True, True]
    assert _answers(sys.executable) == real
