"""Compare this package's public signatures with real Lightning 2.6.6's
(``fixtures/inventory/signatures-<package>-2.6.6.json``, made by ``fixtures/inventory/signatures.py``).

``python -m tests.surface.signatures [--methods]`` prints every difference; ``differences()`` returns them for the test.
A difference is ``(object, what, expected, got)``; an object or method missing here is not a signature difference
(the inventory counts those).
"""
import importlib
import json
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("lightning.pytorch", "lightning.fabric")
sys.path.insert(0, str(ROOT / "fixtures" / "inventory"))
from signatures import class_entry, describe  # noqa: E402  (the generator's own reading of a signature)


def reference(package: str) -> dict:
    return json.loads((ROOT / "fixtures" / "inventory" / f"signatures-{package}-2.6.6.json").read_text())["objects"]


def _resolve(dotted: str):
    module_name, _, name = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), name)
    except Exception:  # noqa: BLE001 - missing here: counted by the inventory, not here
        return None


def _compare_params(key: str, expected: list, got: list, out: list) -> None:
    if expected is None or got is None:
        return
    if [p[:2] for p in expected] != [p[:2] for p in got]:
        out.append((key, "parameters", [p[:2] for p in expected], [p[:2] for p in got]))
        return
    for (name, _, want), (_, _, have) in zip(expected, got):
        if want != have:
            out.append((key, f"default of {name}", want, have))


def differences(package: str, methods: bool = False) -> list:
    warnings.simplefilter("ignore")
    out: list = []
    for key, entry in reference(package).items():
        if "same_as" in entry:
            continue
        obj = _resolve(key)
        if obj is None:
            continue
        if "function" in entry:
            if callable(obj) and not isinstance(obj, type):
                _compare_params(key, entry["function"], describe(obj), out)
            continue
        if not isinstance(obj, type):
            out.append((key, "kind", "class", type(obj).__name__))
            continue
        ours = class_entry(obj)
        _compare_params(f"{key}.__init__", entry["class"]["__init__"], ours["__init__"], out)
        if methods:
            for name, want in entry["class"]["methods"].items():
                have = ours["methods"].get(name)
                if have is None:
                    continue
                if want == "property" or have == "property":
                    if want != have:
                        out.append((f"{key}.{name}", "kind", want, have))
                    continue
                _compare_params(f"{key}.{name}", want, have, out)
    return out


if __name__ == "__main__":
    with_methods = "--methods" in sys.argv
    total = 0
    for pkg in PACKAGES:
        diffs = differences(pkg, with_methods)
        total += len(diffs)
        for d in diffs:
            print(*d, sep=" | ")
    print(f"{total} differences")
