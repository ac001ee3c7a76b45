"""Runs scenarios under ours and under the real package side by side, compares, and reduces divergences.

One long-lived runner.py process per interpreter serves every batch (and every reduction step), so the cost is a
few process starts plus ~0.2 s per scenario and side.
"""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.reference import L2_PYTHON, PL1_PYTHON, ROOT

from . import compare
from .scenarios import OFF, describe, features_on, without

RUNNER = Path(__file__).resolve().parent / "runner.py"
OURS_PYTHON = ROOT / ".venv" / "bin" / "python"
REFERENCE = {"2.x": L2_PYTHON, "1.x": PL1_PYTHON}
NOT_COMPARED = ("error_detail",)  # messages are worded differently on purpose; the exception class is compared


class Runner:
    """One runner.py process: send a list of scenarios, get their observations back."""

    def __init__(self, python: Path, reference: bool):
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIGHTNING_COMPAT")}
        env["OMP_NUM_THREADS"] = "1"
        if reference:  # nothing of ours on the path: the interpreter imports the real package
            env.pop("PYTHONPATH", None)
        self._stderr = tempfile.TemporaryFile(mode="w+")
        self.python = python
        self.proc = subprocess.Popen([str(python), str(RUNNER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, text=True, env=env, cwd=tempfile.gettempdir())

    def send(self, scenarios: list[dict]) -> None:
        self.proc.stdin.write(json.dumps(scenarios) + "\n")
        self.proc.stdin.flush()

    def receive(self) -> list[dict]:
        line = self.proc.stdout.readline()
        if not line:
            self._stderr.seek(0)
            raise RuntimeError(f"runner under {self.python} died:\n{self._stderr.read()[-3000:]}")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self._stderr.close()


@dataclass
class Result:
    scenario: dict
    ours: dict
    reference: dict
    diffs: list[str] = field(default_factory=list)

    @property
    def signature(self) -> tuple[str, ...]:
        """Which observations differ (the first path component of each difference)."""
        return tuple(sorted({_area(d) for d in self.diffs}))


def _area(difference: str) -> str:
    parts = difference.split(":")[0].split("[")[0].split(".")
    return ".".join(parts[:2]) if parts[0] == "uninterrupted" else parts[0]


def diff(scenario: dict, ours: dict, reference: dict) -> list[str]:
    """Every difference that counts. After an interruption, the values of the resumed run are held to our
    uninterrupted run (bit-exact resume, README) and its shape (hooks, files, keys, counters) to the reference's;
    docs/coverage.md says why 2.6.6's resumed values differ."""
    ours, reference = _comparable(ours, scenario["api"]), _comparable(reference, scenario["api"])
    tolerance = (compare.BF16_RTOL, compare.BF16_ATOL) if scenario["precision"] == "bf16-mixed" else ()
    if "uninterrupted" not in ours or "uninterrupted" not in reference:
        return compare.differences(ours, reference, "", *tolerance)
    straight_ours, straight_ref = ours.pop("uninterrupted"), reference.pop("uninterrupted")
    out = compare.differences(straight_ours, straight_ref, "uninterrupted", *tolerance)
    # the run up to the interruption is the same run on both sides: its checkpoint compares by value
    saved = [c.get("checkpoints", {}).pop(INTERRUPTED, None) for c in (ours, reference)]
    out += compare.differences(*saved, f"checkpoints.{INTERRUPTED}", *tolerance)
    if not _decided_by_values(scenario):
        out += compare.differences(_shape(ours), _shape(reference))
    if "weights" in ours and "weights" in straight_ours:
        # "resumed_weights: ours X != reference Y" reads here as: ours resumed X, ours uninterrupted Y
        out += compare.differences(ours["weights"], straight_ours["weights"], "resumed_weights")
    return out


INTERRUPTED = "interrupted.ckpt"  # runner.py's name for the checkpoint saved at the interruption


def _decided_by_values(s: dict) -> bool:
    """Whether logged values steer the run (when it stops, which files it keeps, the learning rate): after a
    resume these values are 2.6.6's replayed ones, so even the run's shape may differ from ours."""
    return s["early_stopping"] or s["scheduler"] == "plateau" or s["checkpoint"] in ("top2", "last", "filename")


# what only our checkpoints hold, on purpose: the RNG and loader-generator states that make resume bit-exact
# (README "Bit-exact resume")
OURS_ONLY_LOOP_STATE = ("rng", "rng_epoch_start", "generators", "generators_epoch_start", "rng_workers_start")
# 1.x code gets checkpoints in the 2.x loop layout (docs/legacy.md "Known differences"): 1.9.5's names of the same
# counters, and what it has that 2.x dropped (per-dataloader progress, empty per-loop state)
LEGACY_LOOP_NAMES = (("epoch_loop.batch_loop.optimizer_loop.", "epoch_loop.automatic_optimization."),
                     ("epoch_loop.batch_loop.manual_loop.", "epoch_loop.manual_optimization."),
                     ("val_loop.epoch_loop.batch_progress", "val_loop.batch_progress"))
# 2.x state the same classes keep for 1.x code (docs/legacy.md "Known differences")
LEGACY_EXTRA_CALLBACK_STATE = ("stopping_reason", "stopping_reason_message")


def _comparable(obs: dict, api: str) -> dict:
    obs = copy.deepcopy({k: v for k, v in obs.items() if k not in NOT_COMPARED})
    for ckpt in obs.get("checkpoints", {}).values():
        loops = ckpt.get("loops", {})
        state = loops.get("fit_loop", {}).get("state_dict")
        if isinstance(state, dict):
            for key in OURS_ONLY_LOOP_STATE:
                state.pop(key, None)
        if api == "1.x":
            ckpt["loops"] = {name: _loop_layout(name, loop) for name, loop in loops.items()}
            for callback_state in ckpt.get("callbacks", {}).values():
                for key in LEGACY_EXTRA_CALLBACK_STATE:
                    callback_state.pop(key, None)
    if "uninterrupted" in obs:
        obs["uninterrupted"] = _comparable(obs["uninterrupted"], api)
    return obs


def _loop_layout(name: str, loop: dict) -> dict:
    """One loop's progress counters under 2.x names; the layout-only entries left out, and the restart flags,
    which follow 2.x's rules (1.9.5 kept the validation count per dataloader and an optimizer position)."""
    out = {}
    for key, value in loop.items():
        if key.endswith("dataloader_progress") or (key.endswith("state_dict") and value == {}):
            continue
        for old, new in LEGACY_LOOP_NAMES:
            key = key.replace(old, new)
        if name != "fit_loop":
            key = key.replace("epoch_loop.batch_progress", "batch_progress")
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in ("is_last_batch", "optimizer_position")}
            if key.endswith("val_loop.batch_progress"):
                value.pop("current", None)
        out[key] = value
    return out


_DECIMAL = re.compile(r"-?\d+\.\d+")


def _shape(value):
    """The value with every float replaced by a placeholder (also inside texts like `loss=0.123.ckpt`)."""
    if isinstance(value, dict):
        return {_shape(k): _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, float):
        return "<float>"
    if isinstance(value, str):
        return _DECIMAL.sub("<float>", value)
    return value


class Harness:
    """Ours and the references, started on first use; use as a context manager."""

    def __init__(self):
        self._runners: dict[str, Runner] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for runner in self._runners.values():
            runner.close()

    def _runner(self, name: str) -> Runner:
        if name not in self._runners:
            python = OURS_PYTHON if name == "ours" else REFERENCE[name]
            self._runners[name] = Runner(python, reference=name != "ours")
        return self._runners[name]

    def run(self, scenarios: list[dict]) -> list[Result]:
        """Both sides of every scenario, the sides running at the same time."""
        by_api: dict[str, list[dict]] = {}
        for s in scenarios:
            by_api.setdefault(s["api"], []).append(s)
        ours = self._runner("ours")
        ours.send([s for api in by_api for s in by_api[api]])
        for api, group in by_api.items():
            self._runner(api).send(group)
        reference = {api: iter(self._runner(api).receive()) for api in by_api}
        ours_out = iter(ours.receive())
        results = []
        for api, group in by_api.items():
            for s in group:
                o, r = next(ours_out), next(reference[api])
                results.append(Result(s, o, r, diff(s, o, r)))
        return results

    def reduce(self, result: Result) -> Result:
        """Drop features one at a time while the same kinds of observations still differ (a kind the smaller
        scenario does not produce at all, such as CSV rows without a CSV logger, may go)."""
        want = set(result.signature)
        current = result
        changed = True
        while changed:
            changed = False
            for name in features_on(current.scenario):
                candidate = without(current.scenario, name)
                if candidate == current.scenario:
                    continue
                (tried,) = self.run([candidate])
                if tried.diffs and all(area in tried.signature or _absent(tried, area) for area in want):
                    current, changed = tried, True
                    break
        return current


def _absent(result: Result, area: str) -> bool:
    key = area.split(".")
    values = []
    for obs in (result.ours, result.reference):
        for part in key:
            obs = obs.get(part) if isinstance(obs, dict) else None
        values.append(obs)
    return all(v in (None, [], {}) for v in values)


def report(result: Result, max_lines: int = 25) -> str:
    compact = {k: v for k, v in result.scenario.items() if k in ("seed", "api") or v != OFF.get(k)}
    lines = [describe(result.scenario), f"  rerun: python -m tests.differential --scenario '{json.dumps(compact)}'"]
    for name, obs in (("ours", result.ours), ("reference", result.reference)):
        if obs.get("error") or obs.get("harness_error"):
            lines.append(f"  {name} raised: {obs.get('error_detail') or obs.get('harness_error')}")
    lines += [f"  {d}" for d in result.diffs[:max_lines]]
    if len(result.diffs) > max_lines:
        lines.append(f"  ... and {len(result.diffs) - max_lines} more differences")
    return "\n".join(lines)
