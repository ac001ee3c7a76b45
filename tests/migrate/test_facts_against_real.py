"""The legacy-facts table checked against the real packages (skipped when their interpreters are absent).

Devices: real pytorch_lightning 1.9.5 `Trainer(**legacy)` and real lightning 2.6.6 `Trainer(**mapped)`, both on a
pretend 8-GPU host, must pick the same accelerator and device indices. Names: every 2.x import target and
strategy name the table produces exists in 2.6.6; the positional order and the 2.x parameters match the real
signatures.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from lit_migrate import legacy_facts as facts

from .conftest import REAL_L2, REAL_PL1, ROOT, require

PROBE = ROOT / "tests" / "migrate" / "real" / "probe.py"

LEGACY_DEVICE_CALLS = [
    {"gpus": 0}, {"gpus": None}, {"gpus": "0"}, {"gpus": []}, {"gpus": 2}, {"gpus": -1}, {"gpus": "-1"},
    {"gpus": [0, 1]}, {"gpus": [1, 3]}, {"gpus": "0,1"}, {"gpus": "1,"}, {"gpus": "3"}, {"gpus": 2, "devices": 4},
    {"num_processes": 1}, {"num_processes": 3}, {"gpus": 2, "num_processes": 2}, {},
]
MAPPED_CALLS = [facts.translate_trainer_kwargs(kw, add_default_device=True).trainer_kwargs
                for kw in LEGACY_DEVICE_CALLS]
NEW_TARGETS = sorted({m.new for m in [*facts.NAME_MOVES.values(), *facts.MODULE_MOVES.values()]
                      if m.new and m.new.startswith("lightning.")} |
                     {f"{facts.CALLBACKS_MODULE}.{n}" for n in ("TQDMProgressBar", "ModelSummary",
                                                                "DeviceStatsMonitor",
                                                                "GradientAccumulationScheduler")})


def _probe(python, mode, request):
    require(python)
    proc = subprocess.run([str(python), str(PROBE), mode], input=json.dumps(request), capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def real_1x():
    return _probe(REAL_PL1, "legacy", {"calls": LEGACY_DEVICE_CALLS})


@pytest.fixture(scope="module")
def real_2x():
    return _probe(REAL_L2, "new", {"calls": MAPPED_CALLS, "paths": NEW_TARGETS})


def _family(strategy: str) -> str:
    # 1.x picked ddp_spawn for several devices, 2.x picks ddp (A.2, documented): same family for this check
    return "ddp" if strategy.startswith("DDP") else strategy


def test_device_mapping_matches_real_1_9_5_on_2_6_6(real_1x, real_2x):
    for legacy, kwargs, before, after in zip(LEGACY_DEVICE_CALLS, MAPPED_CALLS, real_1x["devices"],
                                             real_2x["devices"]):
        assert "error" not in before and "error" not in after, (legacy, kwargs, before, after)
        assert after["accelerator"] == before["accelerator"], (legacy, kwargs)
        assert after["device_ids"] == before["device_ids"], (legacy, kwargs)
        assert _family(after["strategy"]) == _family(before["strategy"]), (legacy, kwargs)


def test_every_new_name_and_strategy_exists_in_2_6_6(real_2x):
    assert real_2x["missing"] == []
    assert set(facts.STRATEGY_RENAMES.values()) <= set(real_2x["strategies"])
    assert set(real_2x["params"]) == set(facts.TRAINER_2X_PARAMS)
    # no mapped-away strategy name is still valid in 2.x (else mapping it would be needless)
    assert not set(facts.STRATEGIES_REMOVED) & set(real_2x["strategies"])


def test_positional_order_and_legacy_strategies_match_1_9_5(real_1x):
    assert tuple(real_1x["params"]) == facts.TRAINER_POSITIONAL_1_9
    # every 1.9.5 strategy name is either kept, renamed or reported as removed
    handled = set(facts.STRATEGY_RENAMES) | set(facts.STRATEGIES_REMOVED) | {"single_device"}
    unhandled = [s for s in real_1x["strategies"] if s not in handled
                 and not s.endswith("_find_unused_parameters_false")]
    assert unhandled == []
