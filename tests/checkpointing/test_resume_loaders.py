"""Bit-exact resume with training loaders that draw from their own generators or run worker processes.

Loader kinds (tests/checkpointing/loader_resume.py): shuffle with the default generator, a DataLoader generator, a
RandomSampler generator, a user sampler with a generator, 2 workers, 2 persistent workers (with and without a
generator); the model has Dropout. A run resumed from a checkpoint taken after any batch or at any epoch end ends
with exactly the weights of the uninterrupted run. The uninterrupted runs themselves (and two fits in a row on one
persistent-worker loader) equal the real lightning 2.6.6's, which also loads our checkpoints.
"""
import os
import subprocess

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loader_resume import MAX_EPOCHS, overfit_with_generator, refit_same_loader, resume, uninterrupted
from tests.reference import L2_PYTHON, require

SCRIPT = os.path.join(os.path.dirname(__file__), "loader_resume.py")
IN_PROCESS = ["default_generator", "loader_generator", "sampler_generator", "user_sampler"]
WORKERS = ["workers", "persistent_workers", "persistent_workers_generator"]
BATCHES = 5  # per epoch
POINTS = [f"e{e}-b{b}" for e in range(MAX_EPOCHS) for b in range(BATCHES)] + [f"e{e}-end" for e in range(MAX_EPOCHS - 1)]


def _assert_resumes_exactly(kind, name, root, **trainer_args):
    final, files = uninterrupted(kind, **trainer_args)
    state = resume(kind, files[name], str(root), **trainer_args)
    for key, value in final.items():
        assert torch.equal(state[key], value), (
            f"{kind}: resumed from {name}, {key} is {(state[key] - value).abs().max().item():.3g} off")


@pytest.mark.parametrize("kind", IN_PROCESS)
@pytest.mark.parametrize("name", ["e1-end", "e1-b2", "e0-b4", "e2-b0"])
def test_resume_at_epoch_boundaries_and_mid_epoch(kind, name, tmp_path):
    """e1-end is the issue's case: two epochs, then `fit(ckpt_path=...)` to four."""
    _assert_resumes_exactly(kind, name, tmp_path)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(IN_PROCESS), name=st.sampled_from(POINTS))
def test_resume_from_any_point(kind, name, tmp_path_factory):
    _assert_resumes_exactly(kind, name, tmp_path_factory.mktemp("resumed"))


# workers are costly (each run forks two): the points that differ for them, a few each
@pytest.mark.parametrize(("kind", "names"), [
    ("workers", ["e1-b2"]),
    ("persistent_workers", ["e0-b3", "e1-end", "e2-b1"]),  # in the epoch that started the workers, and after it
    ("persistent_workers_generator", ["e2-end", "e3-b0"]),
])
def test_resume_with_worker_processes(kind, names, tmp_path):
    for name in names:
        _assert_resumes_exactly(kind, name, tmp_path / name)


@pytest.mark.parametrize("kind", ["loader_generator", "persistent_workers"])
def test_resume_with_loaders_reloaded_every_two_epochs(kind, tmp_path):
    """The resumed run reloads at the uninterrupted run's epochs (0, 2): new loaders, new generators and new
    workers there, the restored ones in between."""
    for name in ["e1-end", "e2-end", "e1-b2", "e2-b2"]:
        _assert_resumes_exactly(kind, name, tmp_path / name, reload_dataloaders_every_n_epochs=2)


def test_checkpoint_holds_generator_states_as_plain_data(tmp_path):
    """Readable with `torch.load(weights_only=True)`; what is stored for the generators and the workers."""
    path = uninterrupted("persistent_workers_generator")[1]["e1-b2"]
    extra = torch.load(path, weights_only=True)["loops"]["fit_loop"]["state_dict"]
    assert set(extra["generators"]) == set(extra["generators_epoch_start"]) == {"0.generator"}  # loader's = sampler's
    assert extra["generators"]["0.generator"].dtype == torch.uint8
    assert extra["rng_workers_start"]["epoch"] == 0
    plain = torch.load(uninterrupted("default_generator")[1]["e1-b2"], weights_only=True)
    assert not {"generators", "rng_workers_start"} & set(plain["loops"]["fit_loop"]["state_dict"])


def test_damaged_generator_state_is_a_clear_error(tmp_path):
    path = uninterrupted("loader_generator")[1]["e1-b2"]
    checkpoint = torch.load(path, weights_only=True)
    checkpoint["loops"]["fit_loop"]["state_dict"]["generators"]["0.generator"] = [1, 2, 3]
    torch.save(checkpoint, tmp_path / "damaged.ckpt")
    with pytest.raises(TypeError, match=r"generator `0.generator` is not a uint8 tensor"):
        resume("loader_generator", str(tmp_path / "damaged.ckpt"), str(tmp_path))


class _RealRuns:
    """The real 2.6.6 trains every kind uninterrupted, fits twice on one persistent loader, overfits batches of a
    loader with a generator, and resumes from one of our mid-epoch checkpoints: one subprocess, started once, in
    the background."""

    def __init__(self, folder) -> None:
        self.folder = folder
        self.proc = None

    def start(self) -> None:
        if self.proc is not None:
            return
        python = require(L2_PYTHON)
        ours = uninterrupted("persistent_workers_generator")[1]["e2-b1"]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the real package, not ours
        env["OMP_NUM_THREADS"] = "1"
        runs = [*IN_PROCESS, *WORKERS, "refit", "overfit", f"persistent_workers_generator={ours}"]
        self.proc = subprocess.Popen([str(python), SCRIPT, str(self.folder / "real.pt"), *runs], env=env,
                                     cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def result(self) -> dict:
        self.start()
        _, stderr = self.proc.communicate(timeout=300)
        assert self.proc.returncode == 0, stderr[-3000:]
        return torch.load(self.folder / "real.pt", weights_only=True)


@pytest.fixture(scope="module", autouse=True)
def real_runs(tmp_path_factory):
    """Started with the module's first test when tests run in one process (it overlaps with ours); under xdist,
    where a worker runs only some of these tests, by the test that needs it."""
    runs = _RealRuns(tmp_path_factory.mktemp("real"))
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        runs.start()
    yield runs
    if runs.proc is not None and runs.proc.poll() is None:
        runs.proc.kill()


def test_uninterrupted_runs_refit_and_overfit_match_real_lightning(real_runs):
    ours = {kind: uninterrupted(kind)[0] for kind in IN_PROCESS + WORKERS}
    ours["refit"] = refit_same_loader()
    ours["overfit"] = overfit_with_generator()
    real = real_runs.result()
    for run, weights in ours.items():
        for key, value in weights.items():
            torch.testing.assert_close(real[run][key], value, rtol=1e-5, atol=1e-6, msg=f"{run}: {key}")
    resumed_by_real = [key for key in real if "=" in key]
    assert resumed_by_real and all(torch.isfinite(t).all() for t in real[resumed_by_real[0]].values())
