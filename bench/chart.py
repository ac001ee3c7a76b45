"""``results.png``: ratios against the hand-written baselines, time per step as sizes grow, import cost.

Returns False (and draws nothing) when matplotlib is not installed.
"""
import textwrap
from pathlib import Path

from bench.report import COLUMNS

COLORS = {"raw": "#9e9e9e", "ours": "#1f77b4", "lightning": "#ff7f0e", "legacy": "#2ca02c"}


def _bars(ax, labels, series, targets=None, xlabel=""):
    """Grouped horizontal bars: ``series`` is [(name, values)] with None for a missing value."""
    height = 0.8 / max(1, len(series))
    for k, (name, values) in enumerate(series):
        ys = [i + (k - (len(series) - 1) / 2) * height for i in range(len(labels))]
        ax.barh(ys, [v or 0 for v in values], height=height, color=COLORS.get(name), label=COLUMNS.get(name, name))
    for i, target in enumerate(targets or []):
        if target is not None:
            ax.plot([target, target], [i - 0.45, i + 0.45], color="red", linewidth=1.5)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([textwrap.fill(label, 38) for label in labels], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel, fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=7, loc="lower right")


def draw(report: dict, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows = report["rows"]
    impls = [i for i in COLUMNS if any(i in r["values"] for r in rows)]

    def value(row, impl, key="value"):
        v = row["values"].get(impl, {})
        return v.get(key) if "error" not in v else None

    ratio_rows = [r for r in rows if r["unit"] == "ratio" and r["group"] != "scaling"]
    scaling_rows = [r for r in rows if r["group"] == "scaling"]
    startup_rows = [r for r in rows if r["unit"] == "seconds"]
    panels = [p for p in (ratio_rows, scaling_rows, startup_rows) if p]
    if not panels:
        return False
    heights = [max(1.5, 0.32 * len(p) * (1 + 0.3 * len(impls))) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, sum(heights) + 1.2), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    axes = iter(axes[:, 0])
    if ratio_rows:
        ax = next(axes)
        _bars(ax, [r["title"] for r in ratio_rows], [(i, [value(r, i) for r in ratio_rows]) for i in impls],
              [r["target"]["value"] if r["target"] else None for r in ratio_rows],
              "time (or memory) / hand-written baseline; red: target; 1.0 = no overhead")
        ax.axvline(1.0, color="black", linewidth=0.6)
        ax.set_title("Overhead against the hand-written baseline (lower is better)", fontsize=9)
    if scaling_rows:
        ax = next(axes)
        series = [("raw", [value(r, "ours", "raw_us_per_step") for r in scaling_rows])]
        series += [(i, [value(r, i, "ours_us_per_step") for r in scaling_rows]) for i in impls]
        _bars(ax, [r["title"] for r in scaling_rows], series,
              xlabel="microseconds per step (or per val batch), log scale")
        ax.set_xscale("log")  # one slow implementation would otherwise flatten every other bar
        ax.set_title("Time per step as the run grows (should stay flat)", fontsize=9)
    if startup_rows:
        ax = next(axes)
        series = [("raw", [value(r, "ours", "torch_s") for r in startup_rows])]
        series += [(i, [value(r, i, "s") for r in startup_rows]) for i in impls]
        _bars(ax, [r["title"].split(":")[0] for r in startup_rows], series, xlabel="seconds (grey: import torch)")
        ax.set_title("Start-up: import time in a fresh process", fontsize=9)
    meta = report["meta"]
    fig.suptitle(f"python -m bench, {meta['size']} sizes, {meta['started']}, {meta['machine']['cpus']} cpus, "
                 f"load average {meta['machine']['load_avg_start'][0]:.1f}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
