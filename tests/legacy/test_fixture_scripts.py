"""The 1.x-style scripts of fixtures/legacy_scripts run unchanged on our pytorch_lightning and end like the real
pytorch_lightning 1.9.5 (global_step, current_epoch, checkpoint names, final loss, weights, extras).

Each script runs in this process (imports are shared, which keeps the folder fast) from a fresh folder; the last line
it prints is compared with fixtures/legacy_scripts/expected/<script>.json (made by generate_expected.py).
"""
import contextlib
import io
import json
import os
import runpy
import sys
import warnings

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPTS = os.path.join(ROOT, "fixtures", "legacy_scripts")
HELPERS = {"generate_expected.py", "legacy_report.py", "table_mapping.py"}
NAMES = sorted(n[:-3] for n in os.listdir(SCRIPTS) if n.endswith(".py") and n not in HELPERS)

# Differences that come from outside the legacy layer; each names the field, why, and who owns the fix.
KNOWN: dict = {}  # script name -> why it cannot match 1.9.5 yet (the owner of the fix)
# Fields that differ because of 2.x behaviour owned outside the legacy layer: compared in a separate, xfailed test.
#   resume_trainer_args: our checkpoint restore also restores the RNG state (bit-exact resume), so the shuffled order
#   after resuming differs from 1.9.5 (trainer core); 1.9.5's ModelCheckpoint deleted the resumed-from best file
#   when a better one appeared (table G: 2.1 stopped doing that; callbacks owner).
PARTIAL = {"resume_trainer_args": ("final_loss", "weights_checksum", "checkpoints")}
# Fields that differ for a documented 2.x behaviour outside sections A-D (compared loosely, see the test).
LOOSE = {
    "old_import_paths_and_callbacks": {"csv_columns"},  # G: CSVLogger columns are alphabetical since 2.2
}


def run_script(name: str, out: str) -> dict:
    argv, path = sys.argv, list(sys.path)
    sys.argv = [os.path.join(SCRIPTS, f"{name}.py"), out]
    sys.path.insert(0, SCRIPTS)
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runpy.run_path(sys.argv[0], run_name="__main__")
    finally:
        sys.argv, sys.path[:] = argv, path
    return json.loads(buffer.getvalue().strip().splitlines()[-1])


def close_to(got, want, path: str = "result") -> None:
    """``got == want`` where floats may differ as float32 arithmetic does from one CPU model to another (the
    fixtures were made on one machine and printed to 6 digits): relative 1e-5, absolute 2e-6."""
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, (int, float)) and got == pytest.approx(want, rel=1e-5, abs=2e-6), \
            f"{path}: {got!r} != {want!r}"
    elif isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), f"{path}: keys {sorted(got)} != {sorted(want)}"
        for key in want:
            close_to(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: {got!r} != {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            close_to(g, w, f"{path}[{i}]")
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


def expected(name: str) -> dict:
    with open(os.path.join(SCRIPTS, "expected", f"{name}.json")) as f:
        return json.load(f)["result"]


@pytest.mark.parametrize("name", NAMES)
def test_script_matches_pytorch_lightning_1_9_5(name, tmp_path, monkeypatch):
    if name in KNOWN:
        pytest.xfail(KNOWN[name])
    monkeypatch.chdir(tmp_path)
    got = run_script(name, str(tmp_path / "out"))
    want = expected(name)
    for field in LOOSE.get(name, ()):
        assert sorted(got["extra"].pop(field)) == sorted(want["extra"].pop(field))
    for field in PARTIAL.get(name, ()):
        got.pop(field), want.pop(field)
    close_to(got, want)


@pytest.mark.parametrize("name", sorted(PARTIAL))
@pytest.mark.xfail(strict=True, reason="RNG restore on resume (trainer core) and ModelCheckpoint file deletion "
                                       "(callbacks) differ from 1.9.5; see PARTIAL")
def test_script_matches_in_every_field(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    close_to(run_script(name, str(tmp_path / "out")), expected(name))


def test_close_to_tolerates_float32_noise_only():
    close_to({"w": -10.42203, "n": [1, "a"]}, {"w": -10.422031, "n": [1, "a"]})
    for got in ({"w": -10.4225, "n": [1, "a"]}, {"w": -10.422031, "n": [2, "a"]}, {"w": -10.422031}):
        with pytest.raises(AssertionError):
            close_to(got, {"w": -10.422031, "n": [1, "a"]})
