"""Fixtures for the distributed tests.

The script launches (DDP, torchrun, two nodes, failing ranks) are independent, so they all start in the background
as soon as the first test needs one of them, and each test waits only for its own: the session takes about as long
as the slowest launch instead of the sum of all of them. Only the launches of the collected tests are started.
"""
import importlib.util
import os

import pytest

from tests.distributed.runner import PYTHON, SCRIPT, Job, clean_env, free_port, single_process_fit

# how a failing rank is asked to fail; a long collective timeout, so only prompt cleanup ends the run early
FAILING = {f"fail_rank{rank}": ("--fail-rank", str(rank), "--fail-step", "2", "--timeout", "600") for rank in (0, 1)}


@pytest.fixture(scope="session")
def train_module():
    """``scripts/train.py`` imported as a module, for single-process reference runs in this process."""
    spec = importlib.util.spec_from_file_location("dist_train_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Launches:
    """Starts each launch once, on first request; ``prefetch`` starts several at once."""

    def __init__(self, root, train_module) -> None:
        self.root = root
        self.train_module = train_module
        self.jobs: dict = {}

    def __getitem__(self, name: str) -> Job:
        if name not in self.jobs:
            self.jobs[name] = self._start(name)
        return self.jobs[name]

    def prefetch(self, names) -> None:
        for name in names:
            self[name]

    def _start(self, name: str) -> Job:
        root = self.root
        if name == "ddp":
            return Job(root / "ddp", "--callbacks", "--save", str(root / "ddp" / "ddp.ckpt"))
        if name == "torchrun":
            single_process_fit(self.train_module, root, epochs=1, save=str(root / "single.ckpt"))
            launcher = (PYTHON, "-m", "torch.distributed.run", "--nproc_per_node=2", "--nnodes=1",
                        "--master_addr=127.0.0.1", f"--master_port={free_port()}")
            job = Job(root / "torchrun", "--resume", str(root / "single.ckpt"), launcher=launcher)
            job.single_checkpoint = root / "single.ckpt"
            return job
        if name in ("node0", "node1"):
            if "nodes_port" not in self.__dict__:
                self.nodes_port = str(free_port())
            env = clean_env(MASTER_ADDR="127.0.0.1", MASTER_PORT=self.nodes_port, NODE_RANK=name[-1])
            return Job(root / "nodes", "--devices", "1", "--num-nodes", "2", "--epochs", "4", "--early-stop-rank", "1",
                       "--timeout", "60", env=env)
        return Job(root / name, *FAILING[name])


# which launches each fixture below needs
_NEEDS = {"ddp_launch": ["ddp"], "torchrun_launch": ["torchrun"], "two_node_launches": ["ddp", "node0", "node1"],
          "failing_launches": list(FAILING)}


@pytest.fixture(scope="session")
def launches(request, tmp_path_factory, train_module):
    """The launches of this session. Without xdist, every launch some collected test needs starts right away;
    under xdist (each worker collects every test but runs only some) each starts when a test asks for it."""
    registry = _Launches(tmp_path_factory.mktemp("launches"), train_module)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        wanted = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
        registry.prefetch([job for fixture, jobs in _NEEDS.items() if fixture in wanted for job in jobs])
    yield registry
    for job in registry.jobs.values():
        if job.proc.poll() is None:
            job.proc.kill()


@pytest.fixture(scope="session")
def ddp_launch(launches):
    return launches["ddp"]


@pytest.fixture(scope="session")
def torchrun_launch(launches):
    return launches["torchrun"]


@pytest.fixture(scope="session")
def two_node_launches(launches):
    return launches["node0"], launches["node1"]


@pytest.fixture(scope="session")
def failing_launches(launches):
    return {name: launches[name] for name in FAILING}
