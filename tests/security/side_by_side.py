"""Run one script under this project's `lightning` and under the real 2.6.6 at the same time, and read the JSON line
each prints last."""
import json
import os
import subprocess
import sys

from tests.reference import L2_PYTHON, require


def run_both(script, ours_args=(), ref_args=(), cwd=None, timeout=300):
    """``(ours, ref)``: the parsed last stdout line of ``script`` under each interpreter (PYTHONPATH without
    compat/, so the reference imports the real package)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    procs = [subprocess.Popen([str(python), str(script), *map(str, args)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
             for python, args in ((sys.executable, ours_args), (require(L2_PYTHON), ref_args))]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.splitlines()[-1]))
    return tuple(results)
