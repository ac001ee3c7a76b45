"""Warnings and info lines as Lightning 2.6.6 emits them (issue 17.8), side by side: ``warning_scenarios.py`` runs
under the real lightning 2.6.6 and under this project; in each scenario the two must emit the same number of
messages of each kind (warning category / log level), and each key phrase that user code filters on must appear
in messages of the same kinds. The rest of a message is worded freely."""
import functools
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).resolve().parent / "warning_scenarios.py"
# phrases of 2.6.6's messages that filters such as `filterwarnings("ignore", ".*does not have many workers.*")` use
KEY_PHRASES = (
    "does not have many workers", "The number of training batches", "is smaller than the logging interval",
    "sync_dist=True", "exists and is not empty", "Running in `fast_dev_run` mode", "was configured so",
    "`Trainer.fit` stopped", "Seed set to", "`max_epochs` was not set", "Skipping val loop",
    "Restoring states from the checkpoint path at", "Loaded model weights from the checkpoint at",
    "was called without a model", "GPU available", "TPU available", "SystemExit(1)",
    "Detected KeyboardInterrupt, attempting graceful shutdown", "Trying to infer the `batch_size`",
    "across ranks is zero", "The total number of parameters detected may be inaccurate",
)
# messages only the real package prints that are no behaviour of Lightning's API: advertisements, and deprecation
# notes of its own dependencies
_NOISE = ("💡 Tip", "LeafSpec", "pytree")
SCENARIOS = sorted(name[len("scenario_"):] for name in dir(__import__("tests.surface.warning_scenarios",
                                                                         fromlist=["x"]))
                   if name.startswith("scenario_"))


@functools.lru_cache(maxsize=2)
def _run(python: str, tmp: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([python, str(SCRIPT)], cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads(out.stdout.strip().splitlines()[-1])
    return {name: [(kind, text) for kind, text in messages if not any(n in text for n in _NOISE)]
            for name, messages in results.items()}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("warnings"))
    return _run(str(require(L2_PYTHON)), tmp), _run(sys.executable, tmp)


@pytest.mark.parametrize("name", SCENARIOS)
def test_same_messages_as_lightning_2_6_6(results, name):
    real, ours = results[0][name], results[1][name]
    assert real, "the scenario must make 2.6.6 say something"
    # every message of 2.6.6 here carries a key phrase (a new one means this list needs it)
    assert [text for _, text in real if not any(p in text for p in KEY_PHRASES)] == []
    assert Counter(kind for kind, _ in ours) == Counter(kind for kind, _ in real)
    for phrase in KEY_PHRASES:
        assert (sorted(kind for kind, text in ours if phrase in text)
                == sorted(kind for kind, text in real if phrase in text)), phrase


def test_every_key_phrase_is_exercised(results):
    said = " ".join(text for messages in results[0].values() for _, text in messages)
    assert [p for p in KEY_PHRASES if p not in said] == []
