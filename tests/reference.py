"""Where the real packages live for side-by-side tests: the reference venvs `make test` builds in `.ref/`.

`scripts/reference-venvs.sh` builds them (`make ref`); LIGHTNING_COMPAT_REF points elsewhere. A test that needs one
fails when it is missing instead of skipping, so a comparison with the real package never silently stops running.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REF_DIR = Path(os.environ.get("LIGHTNING_COMPAT_REF", ROOT / ".ref"))
L2_PYTHON = REF_DIR / "l2" / "bin" / "python"  # lightning 2.6.6
PL1_PYTHON = REF_DIR / "pl1" / "bin" / "python"  # pytorch-lightning 1.9.5


def require(python: Path) -> Path:
    """The interpreter, or a test failure that says how to build it."""
    if not python.exists():
        pytest.fail(f"reference interpreter {python} is missing: run `make ref` (scripts/reference-venvs.sh)",
                    pytrace=False)
    return python


def run_json(python: Path | str, script: Path | str, *args: str, cwd: Path | str | None = None,
             timeout: int = 600) -> Any:
    """Run ``script`` under ``python`` (without this process's PYTHONPATH, so each interpreter imports its own
    lightning) and return the JSON value its last output line prints."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(python), str(script), *args], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_json_pair(script: Path | str, tmp_path_factory: Any, timeout: int = 600) -> dict:
    """``script`` under the real lightning 2.6.6 and under ours at once, each in a fresh folder, warnings off:
    ``{"ref": value, "ours": value}`` (the JSON value of each run's last output line)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONWARNINGS"] = "ignore"
    procs = {name: subprocess.Popen([str(python), str(script)], cwd=tmp_path_factory.mktemp(name), env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, python in (("ref", require(L2_PYTHON)), ("ours", Path(sys.executable)))}
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, f"{name} run failed:\n{stderr[-4000:]}"
        out[name] = json.loads(stdout.strip().splitlines()[-1])
    return out
