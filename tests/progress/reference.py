"""The reference output recorded from the real lightning 2.6.6 by fixtures/loggers_extra/generate.py."""
import functools
import json
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXTRA = FIXTURES / "loggers_extra"
if str(EXTRA) not in sys.path:
    sys.path.insert(0, str(EXTRA))


@functools.lru_cache(maxsize=None)
def extra() -> dict:
    return json.loads((EXTRA / "lightning-2.6.6.json").read_text())


@functools.lru_cache(maxsize=None)
def trainer_runs() -> dict:
    """The trainer-level fixture (fixtures/loggers/generate.py): CSV/TensorBoard files of a fit, results tables."""
    return json.loads((FIXTURES / "loggers" / "lightning-2.6.6.json").read_text())
