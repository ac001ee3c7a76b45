"""The legacy namespace against pytorch-lightning 1.9.5's public module paths (``fixtures/inventory/
pytorch_lightning-1.9.5.json``, made from the real package): each imports under our ``pytorch_lightning`` (aliased
to its 2.x home) or fails with an error that names the replacement; and ``python -m pytorch_lightning.<path>`` runs
the 2.x module wherever 2.x has a runnable one."""
import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
LEGACY_INVENTORY = ROOT / "fixtures" / "inventory" / "pytorch_lightning-1.9.5.json"
CHECKPOINT = ROOT / "fixtures" / "checkpoints" / "pytorch_lightning-1.9.5" / "epoch=1-step=8.ckpt"

# Runs in a fresh interpreter: importing ~200 modules must not depend on (or leak into) other tests.
_WALK = r"""
import importlib, importlib.util, json, sys, warnings
from pytorch_lightning._aliases import LegacyFinder
warnings.simplefilter("ignore")
result = {}
for old in json.load(open(sys.argv[1]))["modules"]:
    try:
        module = importlib.import_module(old)
    except ImportError as err:
        result[old] = {"error": f"{type(err).__name__}: {err}"}
        continue
    spec = LegacyFinder().find_spec(old)  # what runpy gets for `python -m <old>` in a fresh process
    code = None
    if spec is not None and spec.submodule_search_locations is None and hasattr(spec.loader, "get_code"):
        try:
            code = spec.loader.get_code(old).co_filename
        except ImportError:
            pass
    result[old] = {"module": module.__name__, "file": getattr(module, "__file__", None), "code": code}
print(json.dumps(result))
"""


@functools.lru_cache(maxsize=1)
def _walk() -> dict:
    out = subprocess.run([sys.executable, "-c", _WALK, str(LEGACY_INVENTORY)], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_1x_module_path_imports_or_names_its_replacement():
    paths = json.loads(LEGACY_INVENTORY.read_text())["modules"]
    assert len(paths) == 198  # 1.9.5's public module paths
    result = _walk()
    assert sorted(result) == sorted(paths)
    failures = {old: r["error"] for old, r in result.items() if "error" in r}
    bare = {old: err for old, err in failures.items() if "No module named" in err or "lit-migrate" not in err}
    assert bare == {}, "these 1.x paths fail without saying what replaced them"
    for old, error in failures.items():
        assert "was removed from Lightning" in error, (old, error)
    imported = {old: r for old, r in result.items() if "error" not in r}
    assert len(imported) >= 140  # most 1.x paths still exist under their 2.x home (143 of 198 today)
    # a plain alias is the 2.x module itself (same object, not a copy)
    swapped = {old: "lightning.pytorch" + old[len("pytorch_lightning"):] for old in imported}
    aliases = {old: r for old, r in imported.items() if r["module"] == swapped[old]}
    assert len(aliases) >= 100


def test_python_dash_m_runs_the_2x_module_behind_every_alias():
    result = _walk()
    # (a 1.x-only module, e.g. utilities.argparse, is the legacy package's own module: it has no 2.x home to run)
    runnable = {old: r for old, r in result.items()
                if r.get("code") and not r["module"].startswith("lightning.pytorch._legacy")}
    # every plain module alias hands runpy the code of the 2.x module it stands for
    for old, r in runnable.items():
        assert r["code"] == r["file"], old
    assert "pytorch_lightning.utilities.upgrade_checkpoint" in runnable
    assert len(runnable) >= 80


def test_upgrade_checkpoint_runs_by_its_1x_path_like_its_2x_path(tmp_path):
    """`python -m pytorch_lightning.utilities.upgrade_checkpoint` (1.x docs) used to fail in runpy ('_AliasLoader'
    object has no attribute 'get_code'); it now does exactly what the 2.x module path does."""
    results = {}
    for name in ("pytorch_lightning", "lightning.pytorch"):
        folder = tmp_path / name
        folder.mkdir()
        path = folder / CHECKPOINT.name
        shutil.copy(CHECKPOINT, path)
        proc = subprocess.run([sys.executable, "-m", f"{name}.utilities.upgrade_checkpoint", str(path), "--map-to-cpu"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert "upgraded" in proc.stderr
        results[name] = (sorted(p.name for p in folder.iterdir()), torch.load(path))
    files_1x, ckpt_1x = results["pytorch_lightning"]
    files_2x, ckpt_2x = results["lightning.pytorch"]
    assert files_1x == files_2x == ["epoch=1-step=8.bak", "epoch=1-step=8.ckpt"]
    assert ckpt_1x.keys() == ckpt_2x.keys()
    assert ckpt_1x["pytorch-lightning_version"] == ckpt_2x["pytorch-lightning_version"]
    for key, value in ckpt_2x["state_dict"].items():
        assert torch.equal(ckpt_1x["state_dict"][key], value)


def test_a_1x_path_without_code_says_what_to_run_instead():
    from pytorch_lightning._aliases import _AliasLoader

    import pytest

    with pytest.raises(ImportError, match="no code to run"):
        _AliasLoader(lambda: None).get_code("pytorch_lightning.some.overlay")
