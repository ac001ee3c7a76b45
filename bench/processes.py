"""Measurements that need a fresh process each time: import time and RSS at start-up, peak memory of a fit.

Each interpreter measures its own baseline (``import torch``, the raw loop), so the figures compare like with like
even when the side venvs carry a different torch.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_IMPORT_SNIPPET = (
    "import json, resource, time\n"
    "start = time.perf_counter()\n"
    "import {module}\n"
    "import torch\n"  # a package that defers torch still has it loaded as soon as it is used: count it
    "print(json.dumps({{'s': time.perf_counter() - start,"
    " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))\n"
)


def worker_env(package: str) -> dict:
    """One thread, ``bench`` importable from the repository root, the trainer package chosen."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", BENCH_PACKAGE=package,
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    env.pop("LIGHTNING_COMPAT_STRICT", None)
    return env


def import_once(python: str, module: str) -> dict:
    """Time and peak RSS of ``import module`` (then ``import torch``, a no-op for packages that import it) in a
    fresh interpreter started in an empty folder."""
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.run([python, "-c", _IMPORT_SNIPPET.format(module=module)], cwd=cwd, capture_output=True,
                              text=True, env=_import_env(), timeout=300)
    if proc.returncode:
        raise RuntimeError(f"`{python} -c 'import {module}'` failed: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _import_env() -> dict:
    # bytecode caching on, as for any installed package (pip compiles at install time): with
    # PYTHONDONTWRITEBYTECODE set, every fresh process would compile our sources while torch loads its cached .pyc
    env = dict(os.environ, OMP_NUM_THREADS="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def import_costs(python: str, modules: list, repeats: int) -> dict:
    """Median import time and RSS of ``torch`` and each module, in fresh processes taken in turn (the order
    rotates each repeat), with each module's extra time and RSS over ``import torch``. One untimed import of each
    first writes the bytecode caches."""
    names = ["torch", *modules]
    for name in names:
        import_once(python, name)
    samples = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            samples[name].append(import_once(python, name))
    medians = {name: {"s": statistics.median(x["s"] for x in runs),
                      "rss_mb": statistics.median(x["rss_mb"] for x in runs)} for name, runs in samples.items()}
    torch = medians["torch"]
    return {name: {**m, "extra_s": m["s"] - torch["s"], "extra_rss_mb": m["rss_mb"] - torch["rss_mb"],
                   "torch_s": torch["s"], "torch_rss_mb": torch["rss_mb"], "repeats": repeats}
            for name, m in medians.items() if name != "torch"}


def run_worker(python: str, package: str, plan: list, log_path: Path, timeout: float,
               clock: str = "wall") -> dict:
    """Run ``plan`` in ``python -m bench.worker`` timed on ``clock``; its console output goes to ``log_path``."""
    with tempfile.TemporaryDirectory() as tmp:
        plan_path, out_path = Path(tmp, "plan.json"), Path(tmp, "out.json")
        plan_path.write_text(json.dumps(plan))
        with open(log_path, "w") as log:
            try:
                proc = subprocess.run([python, "-m", "bench.worker", "--package", package, "--plan", str(plan_path),
                                       "--out", str(out_path), "--clock", clock], cwd=REPO, env=worker_env(package), stdout=log,
                                      stderr=subprocess.STDOUT, timeout=timeout)
                failure = f"exit code {proc.returncode}" if proc.returncode else None
            except subprocess.TimeoutExpired:
                failure = f"timed out after {timeout:.0f} s"
        data = json.loads(out_path.read_text()) if out_path.exists() else {"implementation": {}, "results": {}}
    if failure:
        tail = "".join(Path(log_path).read_text().splitlines(keepends=True)[-15:])
        print(f"[bench] worker {python} ({package}) {failure}; log {log_path}:\n{tail}", file=sys.stderr)
        for entry in plan:
            data["results"].setdefault(entry["id"], {"error": f"worker {failure} (see {log_path})"})
    return data


def peak_memory(python: str, package: str, spec: dict, rounds: int, log_dir: Path) -> dict:
    """Peak RSS of a whole process that runs the raw loop vs one that runs ``Trainer.fit``, fresh each time."""
    peaks = {"raw": [], "ours": []}
    for r in range(rounds):
        for side in (("raw", "ours") if r % 2 == 0 else ("ours", "raw")):
            entry = {"id": f"memory.{side}", "kind": "peak_rss", "params": {"spec": spec, "side": side}}
            data = run_worker(python, package, [entry], log_dir / f"memory-{package}-{side}.log", timeout=600)
            value = data["results"][entry["id"]]
            if "error" in value:
                return value
            peaks[side].append(value["peak_rss_mb"])
    raw, ours = statistics.median(peaks["raw"]), statistics.median(peaks["ours"])
    return {"ratio": ours / raw, "raw_mb": raw, "ours_mb": ours, "extra_mb": ours - raw, "rounds": rounds}
