"""Run a scenario script of tests/legacy/scenarios under the real package and under ours, side by side.

Both run as subprocesses at the same time (the reference interpreter never sees compat/: PYTHONPATH is dropped);
each script prints one JSON line ``{scenario: result}``. Results are cached per (script, scenarios) for the session.
"""
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reference import require

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def _start(python, script: str, names: tuple) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LIGHTNING_COMPAT_STRICT")}
    env.update(PYTHONHASHSEED="0", PYTHONWARNINGS="ignore")
    return subprocess.Popen([str(python), str(SCENARIOS / script), *names], cwd=SCENARIOS, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(proc: subprocess.Popen, label: str) -> dict:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, f"{label} failed:\n{err[-4000:]}"
    return json.loads(out.strip().splitlines()[-1])


@functools.lru_cache(maxsize=None)
def side_by_side(reference_python, script: str, names: tuple = ()) -> tuple:
    """(reference results, our results) of ``script`` for ``names`` (every scenario when empty)."""
    reference = _start(require(reference_python), script, names)
    ours = _start(sys.executable, script, names)
    return _result(reference, f"{script} under {reference_python}"), _result(ours, f"{script} under ours")
