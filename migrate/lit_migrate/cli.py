"""`lit-migrate PATH...`: the command line (flags and exit codes are documented in migrate/README.md).

Exit codes: 0 done (with --check/--diff: nothing would change); 1 --check/--diff: something would change;
2 usage error; 3 some files could not be processed (they are left untouched; the rest was processed).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import Sequence

from .engine import Options, all_rules, families
from .files import Target, iter_targets, migrate_text, process_file, unified_diff
from .report import FileResult, RunReport
from .workers import cpu_count, run_isolated

EXIT_OK, EXIT_WOULD_CHANGE, EXIT_USAGE, EXIT_ERRORS = 0, 1, 2, 3
_PROGRESS_MIN_FILES = 50
DEFAULT_TIMEOUT = 60.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lit-migrate",
        description="Rewrite pytorch_lightning 1.x code into Lightning 2.x code (in place by default).",
        epilog="Exit codes: 0 ok; 1 --check/--diff found changes; 2 usage error; 3 some files could not be "
               "processed (left untouched).")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, folders (recursive; honours .gitignore; skips virtualenvs and build dirs), "
                             ".ipynb notebooks, or - for stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="write nothing, print a unified diff")
    mode.add_argument("--check", action="store_true", help="write nothing, exit 1 if anything would change")
    parser.add_argument("--report", metavar="FILE", help="write a JSON report (each change and review note, "
                                                         "per file, with line and rule)")
    parser.add_argument("--select", metavar="RULES", help="comma-separated rule families or rule names to run")
    parser.add_argument("--ignore", metavar="RULES", help="comma-separated rule families or rule names to skip")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="parallel worker processes (default: all cores)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time limit per file; a file that takes longer is reported and left untouched "
                             f"(default {DEFAULT_TIMEOUT:g}; 0 means no limit)")
    parser.add_argument("--keep-namespace", action="store_true",
                        help="keep `pytorch_lightning` imports (its 2.x API) instead of `lightning.pytorch`")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    parser.add_argument("--list-rules", action="store_true", help="list rule families and rules, then exit")
    return parser


def _rule_set(parser: argparse.ArgumentParser, text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    known = {r.name for r in all_rules()} | {r.family for r in all_rules()}
    unknown = sorted(names - known)
    if unknown:
        parser.error(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(sorted(known))} "
                     "(see --list-rules)")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_rules:
        for family in families():
            print(family)
            for rule in all_rules():
                if rule.family == family:
                    print(f"  {rule.name:16} {rule.summary}")
        return EXIT_OK
    if not args.paths:
        parser.error("give at least one PATH (a file, a folder, or - for stdin)")
    if args.jobs < 0:
        parser.error("-j/--jobs must be >= 1 (0 means all cores)")
    if not args.timeout >= 0:
        parser.error("--timeout must be a number of seconds >= 0 (0 means no limit)")
    options = Options(keep_namespace=args.keep_namespace, select=_rule_set(parser, args.select),
                      ignore=_rule_set(parser, args.ignore) or frozenset())
    dry = args.diff or args.check
    report = RunReport()
    targets = list(iter_targets(args.paths))
    if any(t.path == "-" for t in targets) and len(targets) > 1:
        parser.error("- (stdin) cannot be combined with other paths")
    if targets and targets[0].path == "-":
        report.files.append(_stdin(options, args))
    else:
        report.files.extend(_run(targets, options, write=not dry, want_diff=args.diff,
                                 jobs=args.jobs or cpu_count(), timeout=args.timeout or None,
                                 progress=not (args.no_progress or args.quiet) and sys.stderr.isatty()))
    if args.diff:
        for result in report.files:
            if result.diff:
                sys.stdout.write(result.diff)
    if args.report:
        try:
            with open(args.report, "w", encoding="utf-8") as handle:
                handle.write(report.to_json())
        except OSError as err:
            print(f"lit-migrate: cannot write the report {args.report}: {err.strerror}", file=sys.stderr)
            return EXIT_USAGE
    if not args.quiet:
        sys.stderr.write(report.to_text())
    else:
        for result in report.errors:
            print(f"{result.path}: error: {result.error}", file=sys.stderr)
    if report.errors:
        return EXIT_ERRORS
    if dry and report.changed:
        return EXIT_WOULD_CHANGE
    return EXIT_OK


def _stdin(options: Options, args: argparse.Namespace) -> FileResult:
    data = sys.stdin.buffer.read()
    from .files import decode

    text, problem = decode(data)
    if text is None:
        sys.stdout.buffer.write(data)
        return FileResult(path="<stdin>", error=problem).finish()
    result = migrate_text(text, "<stdin>", options)
    if args.diff:
        result.diff = unified_diff(result) if result.changed else ""
    elif not args.check:
        sys.stdout.write(result.output)
    return result


def _run(targets: list[Target], options: Options, write: bool, want_diff: bool, jobs: int,
         timeout: float | None, progress: bool) -> list[FileResult]:
    """Process the targets in isolated workers (see `workers`); results in the order of `targets`."""
    results: list[FileResult | None] = [None] * len(targets)
    work: list[int] = []
    for i, target in enumerate(targets):
        if target.error or target.skipped:
            results[i] = FileResult(path=target.path, error=target.error, skipped=target.skipped).finish()
        else:
            work.append(i)
    bar = _Progress(len(work)) if progress and len(work) >= _PROGRESS_MIN_FILES else None
    job = partial(process_file, options=options, write=write, want_diff=want_diff)
    try:
        for k, result in run_isolated([targets[i].path for i in work], job, jobs, timeout):
            results[work[k]] = result
            if bar:
                bar.step()
    finally:
        if bar:
            bar.close()
    return [r for r in results if r is not None]


class _Progress:
    """A one-line progress bar on stderr (only for large trees on a terminal)."""

    def __init__(self, total: int) -> None:
        self.total, self.count = total, 0

    def step(self) -> None:
        self.count += 1
        if self.count % 20 == 0 or self.count == self.total:
            width = 30
            filled = width * self.count // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} files")
            sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


if __name__ == "__main__":
    raise SystemExit(main())
