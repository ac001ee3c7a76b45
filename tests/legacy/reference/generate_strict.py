"""Record how the real Lightning 2.6.6 reacts to each legacy row of the table (what strict mode must reproduce).

  .ref/l2/bin/python tests/legacy/reference/generate_strict.py   # writes strict_2_6_6.json next to this file

For every legacy Trainer argument (A), Trainer attribute / method (B) and 1.x import path (D) in
lit_migrate.legacy_facts, it records the exception class the real package raises (or "ok"). The sample values are
the ones tests/legacy/samples.py gives the shim tests, so both sides exercise the same call.
"""
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "..", "..", "migrate"), os.path.join(HERE, "..")]

from lit_migrate import legacy_facts as facts  # noqa: E402  (torch-free)
from samples import TRAINER_SAMPLES  # noqa: E402

warnings.simplefilter("ignore")


def outcome(fn):
    try:
        fn()
        return "ok"
    except BaseException as err:  # noqa: BLE001 - recording the reaction is the point
        return type(err).__name__


def main() -> None:
    import lightning.pytorch as lp

    trainer_args = {name: outcome(lambda: lp.Trainer(logger=False, **{name: value}))
                    for name, value in TRAINER_SAMPLES.items()}
    trainer = lp.Trainer(logger=False, accelerator="cpu", enable_progress_bar=False)
    attributes = {name: outcome(lambda: getattr(trainer, name)) for name in facts.TRAINER_ATTRIBUTES}
    methods = {name: outcome(lambda: getattr(lp.Trainer, name)) for name in facts.TRAINER_METHODS_REMOVED}

    def import_name(dotted):
        module, _, name = dotted.rpartition(".")
        return lambda: getattr(__import__(module, fromlist=[name]), name)

    imports = {old: outcome(import_name(old)) for old in facts.NAME_MOVES}
    modules = {old: outcome(lambda: __import__(old)) for old in facts.MODULE_MOVES}
    out = {"generator": "tests/legacy/reference/generate_strict.py", "lightning": lp.__version__,
           "trainer_args": trainer_args, "trainer_attributes": attributes, "trainer_methods": methods,
           "name_imports": imports, "module_imports": modules}
    with open(os.path.join(HERE, "strict_2_6_6.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
