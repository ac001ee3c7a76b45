"""Rerun scenarios and print both sides:

    python -m tests.differential --seed 17 [--api 1.x] [--reduce] [--show]
    python -m tests.differential --scenario '{"seed": 17, ...}'     (a scenario printed by the test)
"""
from __future__ import annotations

import argparse
import json
import sys

from .harness import Harness, report
from .scenarios import OFF, generate, normalize


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.differential")
    parser.add_argument("--seed", type=int, action="append", default=[], help="scenario seed (repeatable)")
    parser.add_argument("--api", choices=("2.x", "1.x"), default="2.x")
    parser.add_argument("--scenario", action="append", default=[], help="a scenario as JSON")
    parser.add_argument("--reduce", action="store_true", help="reduce each divergence to its smallest scenario")
    parser.add_argument("--show", action="store_true", help="print both sides' observations in full")
    args = parser.parse_args(argv)
    scenarios = [generate(seed, args.api) for seed in args.seed]
    scenarios += [normalize({"api": args.api, **OFF, **json.loads(text)}) for text in args.scenario]
    if not scenarios:
        parser.error("give --seed or --scenario")
    with Harness() as harness:
        results = harness.run(scenarios)
        for result in results:
            if args.show:
                print(json.dumps({"ours": result.ours, "reference": result.reference}, indent=1))
            print(report(result, max_lines=200) if result.diffs else f"same: {report(result)}")
            if result.diffs and args.reduce:
                print("smallest scenario with the same divergence:\n" + report(harness.reduce(result)))
    divergent = sum(bool(r.diffs) for r in results)
    print(f"{len(results)} scenarios, {divergent} divergences")
    return 1 if divergent else 0


if __name__ == "__main__":
    sys.exit(main())
