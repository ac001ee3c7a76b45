"""The benchmark runner runs end to end on tiny sizes and writes its table, JSON, Markdown and chart in the
documented format. No timing assertions: the figures of a smoke run mean nothing."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import plan as plans
from bench.codemod_rates import all_cores
from bench.timing import interleaved

REPO = Path(__file__).resolve().parents[2]


def _bench(*args, cwd):
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=900, env={**__import__("os").environ, "PYTHONPATH": str(REPO)})


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    proc = _bench("--smoke", "--profile", "--out-dir", str(out), cwd=out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc, out


def test_every_figure_of_the_plan_is_measured_for_ours(smoke_run):
    _, out = smoke_run
    report = json.loads((out / "results.json").read_text())
    expected = [row["id"] for row in plans.all_rows(plans.SMOKE, set(plans.GROUPS), all_cores())]
    assert [row["id"] for row in report["rows"]] == expected
    for row in report["rows"]:
        ours = row["values"]["ours"]
        assert "error" not in ours, (row["id"], ours)
        assert isinstance(ours["value"], float), row["id"]
        assert row["status"] in ({"ok", "MISS"} if row["target"] else {""}), row
        if row["unit"] == "ratio" and row["group"] != "memory":
            assert ours["ratio"] > 0 and len(ours["ratios"]) == ours["rounds"]
    assert report["implementations"]["ours"]["file"].startswith(str(REPO / "compat")), "ours must be this checkout"
    assert report["meta"]["size"] == "smoke" and report["meta"]["threads"] == 1


def test_table_markdown_and_chart_are_written(smoke_run):
    proc, out = smoke_run
    report = json.loads((out / "results.json").read_text())
    header = proc.stdout.splitlines()[0].split()
    assert header[:2] == ["scenario", "target"] and "ours" in header
    for group in plans.GROUPS:
        assert f"[{group}]" in proc.stdout
    md = (out / "results.md").read_text().splitlines()
    table = [line for line in md if line.startswith("|")]
    with_target = [row for row in report["rows"] if row["target"]]
    assert len(table) == 4 + len(with_target) + len(report["rows"])  # headline table, then every figure
    assert table[0].startswith("| scenario | target | ours |")
    assert table[2].startswith(f"| {with_target[0]['title']} |")
    assert (out / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_redraws_from_an_earlier_results_json(smoke_run, tmp_path):
    proc, out = smoke_run
    rendered = _bench("--render", str(out / "results.json"), "--out-dir", str(tmp_path), cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    assert rendered.stdout == proc.stdout
    assert (tmp_path / "results.md").read_text() == (out / "results.md").read_text()
    assert (tmp_path / "results.png").exists()
    missing = _bench("--render", str(tmp_path / "nope.json"), cwd=tmp_path)
    assert missing.returncode == 1 and "cannot read a results.json" in missing.stderr


def test_profile_reports_are_written(smoke_run):
    _, out = smoke_run
    report = json.loads((out / "results.json").read_text())
    for name in plans.PROFILE_SPECS:
        entry = report["profiles"][f"profile.{name}"]
        assert entry["steps"] == plans.SMOKE.mlp_batches * plans.SMOKE.mlp_epochs
        assert 0 < entry["package_tottime_share"] < 1 and entry["package_dir"].startswith(str(REPO / "compat"))
        for key in ("top_tottime", "package_top_tottime", "package_top_cumtime"):
            # cProfile can report a little more own time than cumulative time for a function that recurses or that
            # was running when profiling started: allow that much
            assert entry[key] and all(0 <= row["tottime_share"] <= row["cumtime_share"] + 0.01
                                      and row["cumtime_share"] <= 1 for row in entry[key])
        assert "function calls" in (out / "profiles" / f"{name}.txt").read_text()


def test_an_extra_interpreter_adds_a_column(tmp_path):
    # our own interpreter stands in for a side venv: the column machinery is what is checked
    proc = _bench("--smoke", "--only", "checkpoint", "--vs-lightning", sys.executable, "--no-chart",
                  "--out-dir", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((tmp_path / "results.json").read_text())
    assert {row["group"] for row in report["rows"]} == {"checkpoint"}
    for row in report["rows"]:
        assert set(row["values"]) == {"ours", "lightning"} and row["values"]["lightning"]["value"] > 0
    assert "lightning" in proc.stdout.splitlines()[0]
    assert not (tmp_path / "results.png").exists()


@pytest.mark.parametrize("args, message", [
    (["--only", "overhead,nope"], "unknown group(s) nope"),
    (["--vs-legacy", "/no/such/python"], "not an executable interpreter"),
    (["--rounds", "0"], "--rounds must be >= 1"),
    (["--full", "--smoke"], "not allowed with argument"),
])
def test_bad_arguments_say_what_to_do(args, message, tmp_path):
    proc = _bench(*args, cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr


def test_interleaving_alternates_the_order_and_takes_the_median_of_round_ratios(monkeypatch):
    calls, clock = [], iter(range(1000))
    monkeypatch.setattr("bench.timing.time.perf_counter", lambda: next(clock))
    monkeypatch.setattr("bench.timing.time.process_time", lambda: 0.0)
    raw = lambda: calls.append("raw")  # noqa: E731
    ours = lambda: (calls.append("ours"), [next(clock) for _ in range(2)])  # noqa: E731  ours takes 3 ticks
    result = interleaved(raw, ours, rounds=3)
    assert calls == ["raw", "ours", "raw", "ours", "ours", "raw", "raw", "ours"]
    assert result["ratio"] == 3 and result["raw_s"] == 1 and result["ours_s"] == 3 and result["rounds"] == 3
    assert result["wall_ratios"] == [3, 3, 3] and result["clock"] == "wall"
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        interleaved(raw, ours, rounds=0)
    with pytest.raises(ValueError, match="clock must be one of"):
        interleaved(raw, ours, rounds=1, clock="sundial")


def test_self_timed_samples_pick_the_chosen_clock():
    samples = iter([(1.0, 2.0), (2.0, 3.0)])  # raw (wall, cpu), then ours
    result = interleaved(lambda: None, lambda: None, rounds=1, warmup=0, clock="cpu", sample=lambda fn: next(samples))
    assert result["ratio"] == result["cpu_ratio"] == 1.5 and result["wall_ratio"] == 2.0


def test_a_failing_scenario_is_recorded_and_the_others_still_run(tmp_path, monkeypatch):
    from bench import worker

    monkeypatch.setenv("BENCH_PACKAGE", "lightning.pytorch")
    plan = [{"id": "bad", "kind": "fit", "params": {"net": "nope", "batches": 2, "epochs": 1}},
            {"id": "good", "kind": "fit", "params": {"batches": 2, "epochs": 1}}]
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    monkeypatch.setattr(sys, "argv", ["worker", "--package", "lightning.pytorch", "--plan",
                                      str(tmp_path / "plan.json"), "--out", str(tmp_path / "out.json")])
    worker.main()
    results = json.loads((tmp_path / "out.json").read_text())["results"]
    assert results["bad"] == {"error": "ValueError: unknown net 'nope': expected 'mlp', 'cnn' or 'wide'"}
    assert results["good"]["ratio"] > 0 and results["good"]["steps"] == 2


def test_instruction_dumps_are_read_by_trigger_name(tmp_path):
    from bench.instructions import _totals

    for i, (name, total) in enumerate((("raw-25", 10), ("ours-25", 12)), start=1):
        (tmp_path / f"callgrind.out.{i}").write_text(
            f"version: 1\ndesc: Trigger: Client Request: {name}\nevents: Ir\ntotals: {total}\n")
    (tmp_path / "callgrind.out").write_text("desc: Trigger: Program termination\ntotals: 99\n")  # the exit dump
    assert _totals(str(tmp_path / "callgrind.out")) == {"raw-25": 10, "ours-25": 12}
