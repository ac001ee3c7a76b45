"""Coverage of the public surface of real ``lightning.pytorch`` 2.6.6 (modules that import, names they have)
must not fall below the floor in ``coverage_threshold.json``; ``docs/coverage.md`` lists what is missing."""
import json
import subprocess
import sys
from pathlib import Path

from tests.surface import inventory

ROOT = Path(__file__).resolve().parents[2]


def _measure_in_fresh_process() -> dict:
    # a fresh interpreter: importing every module must not depend on what other tests imported or patched
    out = subprocess.run([sys.executable, "-m", "tests.surface.inventory", "--json"], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=240)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_coverage_does_not_drop_below_the_stored_floor():
    floor = json.loads(inventory.THRESHOLD.read_text())
    result = _measure_in_fresh_process()
    assert result["modules"][1] == 162 and result["names"][1] == 375  # the 2.6.6 fixture
    assert result["modules"][0] >= floor["modules"], f"modules missing now: {sorted(result['missing_modules'])}"
    assert result["names"][0] >= floor["names"], f"names missing now: {result['missing_names']}"


def test_render_lists_the_missing_names_and_the_figures():
    text = inventory.render({"modules": [1, 2], "names": [3, 4], "missing_modules": {"a.b": "ImportError"},
                             "missing_names": {"a.c": ["X", "y"]}})
    assert "| modules | 1 | 2 | 50.0 % |" in text
    assert "| public names | 3 | 4 | 75.0 % |" in text
    assert "- `a.b` (ImportError)" in text
    assert "- `a.c`: `X`, `y`" in text


def test_every_surface_module_of_this_engineer_is_fully_covered():
    """The modules issue 9 asks for (demos, profilers, tuner, utilities, these callbacks) have every 2.6.6 name."""
    reference = json.loads(inventory.REFERENCE.read_text())["modules"]
    prefixes = ("lightning.pytorch.demos", "lightning.pytorch.profilers", "lightning.pytorch.tuner",
                "lightning.pytorch.callbacks.lr_finder", "lightning.pytorch.callbacks.batch_size_finder",
                "lightning.pytorch.callbacks.pruning", "lightning.pytorch.callbacks.throughput_monitor",
                "lightning.pytorch.callbacks.device_stats_monitor", "lightning.pytorch.callbacks.prediction_writer",
                "lightning.pytorch.callbacks.weight_averaging", "lightning.pytorch.callbacks.spike",
                "lightning.pytorch.plugins.layer_sync", "lightning.pytorch.utilities.grads",
                "lightning.pytorch.utilities.memory", "lightning.pytorch.utilities.parameter_tying",
                "lightning.pytorch.utilities.compile", "lightning.pytorch.utilities.deepspeed")
    import importlib

    missing = {}
    for name, entry in reference.items():
        if not name.startswith(prefixes):
            continue
        module = importlib.import_module(name)
        absent = [n for kind in inventory.KINDS for n in entry[kind] if not hasattr(module, n)]
        if absent:
            missing[name] = absent
    assert missing == {}
