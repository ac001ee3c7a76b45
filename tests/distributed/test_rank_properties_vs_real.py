"""`global_rank`, `local_rank`, `node_rank`, `world_size`, `is_global_zero` (and the rank that rank-zero guards use)
read by the user after construction, in `setup`, in `training_step`, in `on_fit_end` and after `fit`, in every
process, equal what the real lightning 2.6.6 reports for the same launch: `strategy="ddp"` from a plain script,
`ddp_spawn`, two "nodes" started by hand with `NODE_RANK`, processes started by hand with `LOCAL_RANK`, torchrun.

All launches (real and ours) run in the background, a few at a time; one test per launch waits for its pair.
"""
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.distributed.runner import PYTHON, clean_env, free_port
from tests.reference import L2_PYTHON, require

PROBE = Path(__file__).parent / "scripts" / "rank_probe.py"
TIMEOUT_S = 240  # a launch takes 5-30 s on 2 busy cores; this only guards against a hang

# launch name -> the processes a user starts: (extra environment, Trainer arguments: strategy devices num_nodes)
LAUNCHES = {
    "ddp_from_script": [({}, ("ddp", "2", "1"))],
    "ddp_spawn": [({}, ("ddp_spawn", "2", "1"))],
    "two_nodes_by_node_rank": [({"NODE_RANK": str(node)}, ("ddp", "1", "2")) for node in (0, 1)],
    "processes_by_local_rank": [({"LOCAL_RANK": str(rank), "NODE_RANK": "0", "WORLD_SIZE": "2"}, ("ddp", "2", "1"))
                                for rank in (0, 1)],
    "torchrun": [({"torchrun": "1"}, ("ddp", "2", "1"))],
}


def _launch(python: Path, name: str, out_dir: Path) -> list:
    """Run one launch with ``python``; the sorted records of all its processes."""
    out = out_dir / f"{name}.jsonl"
    port = str(free_port())
    env = clean_env(RANK_PROBE_OUT=str(out), MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
    if python == L2_PYTHON:
        env.pop("PYTHONPATH", None)  # the real package must not see ours
    procs = []
    for extra, args in LAUNCHES[name]:
        extra = dict(extra)
        command = [str(python), str(PROBE), *args]
        if extra.pop("torchrun", None):
            env.pop("MASTER_ADDR"), env.pop("MASTER_PORT")
            command = [str(python), "-m", "torch.distributed.run", "--nproc_per_node=2", "--nnodes=1",
                       "--master_addr=127.0.0.1", f"--master_port={port}", str(PROBE), *args]
        procs.append(subprocess.Popen(command, env={**env, **extra}, cwd=out_dir, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, start_new_session=True))
    for proc in procs:
        try:
            output, _ = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            for other in procs:
                os.killpg(other.pid, 9)
            raise AssertionError(f"{python} {name}: no end within {TIMEOUT_S} s")
        assert proc.returncode == 0, f"{python} {name} failed:\n{output[-4000:]}"
    return sorted(out.read_text().splitlines())


class _Launches:
    """Starts each (implementation, launch) once, on first request, in a small pool."""

    def __init__(self, folders) -> None:
        self.folders = folders
        self.pythons = {"real": require(L2_PYTHON), "ours": Path(PYTHON)}
        self.pool = ThreadPoolExecutor(max_workers=4)  # a few launches at a time: each is 2-3 processes of torch
        self.futures: dict = {}

    def start(self, name: str) -> None:
        for label, python in self.pythons.items():
            if (label, name) not in self.futures:
                folder = self.folders.mktemp(f"{label}-{name}")
                self.futures[label, name] = self.pool.submit(_launch, python, name, folder)

    def records(self, label: str, name: str) -> list:
        self.start(name)
        return self.futures[label, name].result()


@pytest.fixture(scope="module")
def launches(tmp_path_factory):
    """Without xdist every launch starts at once; under xdist (a worker runs only some tests) each starts when a
    test asks for it, so no launch runs twice."""
    registry = _Launches(tmp_path_factory)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        for name in LAUNCHES:
            registry.start(name)
    yield registry
    registry.pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("name", sorted(LAUNCHES))
def test_rank_properties_match_real_lightning(name, launches):
    real = launches.records("real", name)
    ours = launches.records("ours", name)
    points = {json.loads(line)["point"] for line in real}
    assert points == {"constructed", "setup", "training_step", "on_fit_end", "after_fit"}
    assert ours == real
    # the property that guards logger folders and checkpoint writes: exactly one global zero per point
    for point in points:
        zeros = [r for r in map(json.loads, ours) if r["point"] == point and r["is_global_zero"]]
        assert len(zeros) == 1, (point, zeros)


_TORCHRUN_VARIABLES_MISSING = """
import lightning as L
try:
    L.Trainer(accelerator="cpu", devices=2, strategy="ddp", logger=False)
except KeyError as err:
    print("KeyError", err)
"""


def test_torchrun_marker_without_its_rank_variables_is_a_key_error_that_says_why(monkeypatch):
    """TORCHELASTIC_RUN_ID without LOCAL_RANK: 2.6.6 fails building the Trainer with KeyError('LOCAL_RANK');
    ours with the same exception type, naming the variable and what to do."""
    env = clean_env(TORCHELASTIC_RUN_ID="x", WORLD_SIZE="2")
    env.pop("PYTHONPATH", None)
    real = subprocess.run([str(require(L2_PYTHON)), "-c", _TORCHRUN_VARIABLES_MISSING], env=env, capture_output=True,
                          text=True, timeout=TIMEOUT_S)
    assert real.stdout.strip() == "KeyError 'LOCAL_RANK'", real.stderr[-2000:]
    import lightning as L

    monkeypatch.setenv("TORCHELASTIC_RUN_ID", "x")
    monkeypatch.setenv("WORLD_SIZE", "2")
    for key in ("LOCAL_RANK", "RANK"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(KeyError, match=r"LOCAL_RANK.*TORCHELASTIC_RUN_ID is set.*Start the script with `torchrun`"):
        L.Trainer(accelerator="cpu", devices=2, strategy="ddp", logger=False)
