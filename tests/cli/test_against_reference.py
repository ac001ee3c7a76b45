"""LightningCLI vs real lightning 2.6.6: the same command lines give the same printed config, parsed config, built
objects, results, saved config.yaml, help facts and error exit codes (fixtures/cli/generate.py recorded them)."""
import copy
import json
import warnings

import pytest

from tests.cli.conftest import FIXTURES, load_generator

REFERENCE = json.loads((FIXTURES / "lightning-2.6.6.json").read_text())["cases"]
CASES = sorted(load_generator().CASES)

# Facts that differ for reasons outside the CLI, each with the owner that can fix it. They are removed from both
# sides before comparing, and `test_known_differences_still_differ` fails once one of them starts to agree.
KNOWN_DIFFERENCES = {
    # 2.6.6's CSVLogger deletes an earlier metrics.csv when a new run opens the same log dir (loggers).
    ("fit_twice_same_log_dir", "files"): "CSVLogger replacing metrics.csv",
    # the subcommand descriptions are the first docstring lines of Trainer.fit/... (ours are our own words)
    ("help_main", "subcommand_help"): "Trainer method docstrings",
}


def _pop(data: dict, dotted: str):
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data.pop(last)


_RESULTS: dict = {}  # case -> our result, shared by the tests of one session (each case runs once)


def _run(generator, name, tmp_path):
    if name not in _RESULTS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = generator.run_case(name, str(tmp_path))
        _RESULTS[name] = json.loads(json.dumps(result, sort_keys=True, default=str))
    return copy.deepcopy(_RESULTS[name])


@pytest.mark.parametrize("name", CASES)
def test_case_matches_reference(generator, name, tmp_path):
    ours, ref = _run(generator, name, tmp_path), copy.deepcopy(REFERENCE[name])
    for (case, key), _why in KNOWN_DIFFERENCES.items():
        if case == name:
            _pop(ours, key), _pop(ref, key)
    assert ours.keys() == ref.keys()
    for key in ref:
        if key == "steps":
            for i, (ours_step, ref_step) in enumerate(zip(ours["steps"], ref["steps"])):
                assert ours_step == ref_step, f"step {i}: {ref_step['argv']}"
        else:
            assert ours[key] == ref[key], key


@pytest.mark.parametrize("case,key", sorted(KNOWN_DIFFERENCES))
def test_known_differences_still_differ(generator, case, key, tmp_path):
    ours = _run(generator, case, tmp_path)
    assert _pop(ours, key) != _pop(copy.deepcopy(REFERENCE[case]), key), \
        f"{case}: {key} now matches 2.6.6; remove it from KNOWN_DIFFERENCES"


def test_reference_covers_the_issue():
    """The recorded cases exercise every subcommand, config files, print_config and exit code 2 errors."""
    argvs = [step["argv"] for case in REFERENCE.values() for step in case["steps"] if isinstance(step["argv"], list)]
    assert {a[0] for a in argvs if a} >= {"fit", "validate", "test", "predict"}
    errors = [case for name, case in REFERENCE.items() if name.startswith("error_")]
    assert errors and all(c["steps"][0]["exit"] == 2 and c["steps"][0]["error"] for c in errors)
    assert REFERENCE["print_config_round_trip"]["round_trip_equal"] is True
