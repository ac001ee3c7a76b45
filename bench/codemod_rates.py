"""lit-migrate against bare libcst parse+codegen, interleaved in rounds, on 1 core and on all cores.

The tree generator and the two per-file functions are those of ``bench/codemod_throughput.py``; this module only
alternates them and takes medians. Ours only: the real packages have no codemod.
"""
import os
import statistics
import tempfile
from pathlib import Path


def codemod_rates(files: int, rounds: int, jobs: int) -> dict:
    from bench.codemod_throughput import bare_libcst, generate, lit_migrate, rate

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        legacy = generate(Path(tmp) / "legacy", files, legacy_share=1.0)
        mixed = generate(Path(tmp) / "mixed", files, legacy_share=0.2, seed=1)
        lines = sum(p.read_text().count("\n") for p in legacy)
        cases = [("codemod.legacy_1core", legacy, 1)]
        if jobs > 1:
            cases.append((f"codemod.legacy_{jobs}cores", legacy, jobs))
        cases.append(("codemod.mixed_tree", mixed, jobs))
        for id_, paths, n in cases:
            bare_rates, ours_rates = [], []
            for r in range(rounds):
                order = [(bare_libcst, bare_rates), (lit_migrate, ours_rates)]
                for fn, out in order if r % 2 == 0 else order[::-1]:
                    out.append(rate(fn, paths, n))
            shares = [o / b for o, b in zip(ours_rates, bare_rates)]
            results[id_] = {"share": statistics.median(shares), "bare_lines_per_s": statistics.median(bare_rates),
                            "ours_lines_per_s": statistics.median(ours_rates), "jobs": n, "files": files,
                            "lines": lines if paths is legacy else None, "rounds": rounds}
    return results


def all_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
