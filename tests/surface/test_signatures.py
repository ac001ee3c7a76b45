"""Every public class and function of real Lightning 2.6.6 that exists here has 2.6.6's signature: parameter
names, kinds and defaults (``fixtures/inventory/signatures-<package>-2.6.6.json``, made from the real package by
``fixtures/inventory/signatures.py``). A difference passes only when ``known_differences.SIGNATURES`` gives its
reason; the core classes' methods must match too."""
import functools
import json
import subprocess
import sys
from pathlib import Path

from tests.surface import known_differences
from tests.surface.signatures import PACKAGES, _compare_params, reference

ROOT = Path(__file__).resolve().parents[2]
CORE_CLASSES = ("lightning.pytorch.Trainer", "lightning.pytorch.LightningModule",
                "lightning.pytorch.LightningDataModule", "lightning.pytorch.Callback", "lightning.fabric.Fabric")


@functools.lru_cache(maxsize=1)
def _differences() -> list:
    # a fresh interpreter: the comparison imports every public module
    code = ("import json; from tests.surface.signatures import differences, PACKAGES; "
            "print(json.dumps([d for p in PACKAGES for d in differences(p, methods=True)]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=240)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_constructors_and_functions_match_2_6_6():
    differences = _differences()
    top_level = [d for d in differences if d[0].endswith(".__init__") or _is_public_object(d[0])]
    assert [d for d in top_level if d[0] not in known_differences.SIGNATURES] == []
    # the list of known differences holds no stale entries
    assert set(known_differences.SIGNATURES) == {d[0] for d in top_level}


def test_core_classes_methods_match_2_6_6():
    differences = _differences()
    core = [d for d in differences if d[0].rsplit(".", 1)[0] in CORE_CLASSES]
    assert core == []


def test_the_comparison_sees_every_kind_of_difference():
    out: list = []
    want = [["self", "POSITIONAL_OR_KEYWORD", None], ["x", "POSITIONAL_OR_KEYWORD", "None"]]
    _compare_params("f", want, [["self", "POSITIONAL_OR_KEYWORD", None], ["x", "POSITIONAL_OR_KEYWORD", "1"]], out)
    _compare_params("g", want, [["self", "POSITIONAL_OR_KEYWORD", None], ["y", "POSITIONAL_OR_KEYWORD", "None"]], out)
    _compare_params("h", want, [["self", "POSITIONAL_OR_KEYWORD", None], ["x", "KEYWORD_ONLY", "None"]], out)
    _compare_params("i", want, want, out)
    assert [d[0] for d in out] == ["f", "g", "h"]


def test_the_fixture_covers_both_packages():
    for package in PACKAGES:
        objects = reference(package)
        assert len(objects) > 100
        assert any("__init__" in str(e) or "function" in e for e in objects.values())


def _is_public_object(key: str) -> bool:
    """A class or function of the fixture itself (not one of its methods)."""
    package = "lightning.fabric" if key.startswith("lightning.fabric") else "lightning.pytorch"
    return key in reference(package)
