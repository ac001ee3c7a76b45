"""Seeded scenarios run under ours and under the real package (lightning 2.6.6 for 2.x code, pytorch-lightning
1.9.5 for 1.x code), compared side by side: hook order, the three metric dicts, CSV rows, TensorBoard scalars,
checkpoint files and contents, final weights.

The fixed seeds are split into shards so xdist can spread them; a few fresh seeds run too and are printed. A
divergence fails the shard with, per kind of divergence, the smallest scenario that still shows it. Rerun one:
`python -m tests.differential --seed S [--api 1.x] --reduce`.
"""
from __future__ import annotations

import json
import os
import random
import time

import pytest

from tests.reference import L2_PYTHON, PL1_PYTHON, require

from .harness import Harness, report
from .scenarios import generate

FIXED = {"2.x": range(0, 300), "1.x": range(0, 100)}
SHARD_SIZE = 50
FRESH = {"2.x": 4, "1.x": 2}
REDUCE_BUDGET_S = 30  # reduction stops after this; the unreduced scenario is shown for the rest
PYTHONS = {"2.x": L2_PYTHON, "1.x": PL1_PYTHON}


def _shards():
    for api, seeds in FIXED.items():
        for start in range(seeds.start, seeds.stop, SHARD_SIZE):
            yield pytest.param(api, list(range(start, min(start + SHARD_SIZE, seeds.stop))),
                               id=f"{api}-seeds-{start}-{min(start + SHARD_SIZE, seeds.stop) - 1}")
    # fresh seeds: a different draw each run (the same on every xdist worker of one run, which must collect the
    # same tests), above the fixed range so they add coverage
    fresh = random.Random(os.environ.get("PYTEST_XDIST_TESTRUNUID") or time.time_ns())
    for api, count in FRESH.items():
        seeds = sorted(fresh.randrange(10_000, 10_000_000) for _ in range(count))
        yield pytest.param(api, seeds, id=f"{api}-fresh-" + "-".join(map(str, seeds)))


@pytest.mark.parametrize(("api", "seeds"), list(_shards()))
def test_scenarios_match_the_real_package(api, seeds, record_property):
    require(PYTHONS[api])
    scenarios = [generate(seed, api) for seed in seeds]
    with Harness() as harness:
        results = harness.run(scenarios)
        divergent = [r for r in results if r.diffs]
        record_property("differential", (len(results), len(divergent)))
        print(f"{api} seeds {seeds[0]}..{seeds[-1]}: {len(results)} scenarios, {len(divergent)} divergences")
        if not divergent:
            return
        reduced, tried, shown, deadline = [], set(), set(), time.monotonic() + REDUCE_BUDGET_S
        for result in divergent:  # one reduction per kind of divergence; equal smallest scenarios shown once
            if result.signature in tried:
                continue
            tried.add(result.signature)
            smallest = harness.reduce(result) if time.monotonic() < deadline else result
            key = json.dumps(smallest.scenario, sort_keys=True)
            if key not in shown:
                shown.add(key)
                reduced.append(report(smallest))
    where = "; ".join(f"seed {r.scenario['seed']}: {', '.join(r.signature)}" for r in divergent)
    pytest.fail(
        f"{len(results)} scenarios, {len(divergent)} divergences, api {api} ({where})\n"
        f"rerun one with `python -m tests.differential --api {api} --seed S --reduce`\n"
        f"smallest scenario per kind of divergence:\n" + "\n".join(reduced), pytrace=False)
