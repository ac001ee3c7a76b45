"""Fixtures for the distributed tests.

The script launches (DDP, torchrun, two nodes, failing ranks) are independent, so they all start in the background
as soon as the first test needs one of them, and each test waits only for its own: the session takes about as long
as the slowest launch instead of the sum of all of them. Only the launches of the collected tests are started.
"""
import importlib.util

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


@pytest.fixture(scope="session")
def launches(request, tmp_path_factory, train_module):
    """name -> Job for every launch some collected test asks for (via the fixture of the same name)."""
    wanted = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    root = tmp_path_factory.mktemp("launches")
    jobs = {}
    if "ddp_launch" in wanted or "two_node_launches" in wanted:
        jobs["ddp"] = Job(root / "ddp", "--callbacks", "--save", str(root / "ddp" / "ddp.ckpt"))
    if "torchrun_launch" in wanted:
        single_process_fit(train_module, root, epochs=1, save=str(root / "single.ckpt"))
        launcher = (PYTHON, "-m", "torch.distributed.run", "--nproc_per_node=2", "--nnodes=1",
                    "--master_addr=127.0.0.1", f"--master_port={free_port()}")
        jobs["torchrun"] = Job(root / "torchrun", "--resume", str(root / "single.ckpt"), launcher=launcher)
        jobs["torchrun"].single_checkpoint = root / "single.ckpt"
    if "two_node_launches" in wanted:
        port = str(free_port())
        for node_rank in (0, 1):
            env = clean_env(MASTER_ADDR="127.0.0.1", MASTER_PORT=port, NODE_RANK=str(node_rank))
            jobs[f"node{node_rank}"] = Job(root / "nodes", "--devices", "1", "--num-nodes", "2", "--epochs", "4",
                                           "--early-stop-rank", "1", "--timeout", "60", env=env)
    if "failing_launches" in wanted:
        for name, args in FAILING.items():
            jobs[name] = Job(root / name, *args)
    yield jobs
    for job in jobs.values():
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
