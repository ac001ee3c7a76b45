"""Each file is migrated in a worker process, so that one file cannot take the run down.

A worker handles one file at a time. When it dies (a crash in native code, killed by the OS) only the file it
was on is reported, a fresh worker takes its place and the run goes on; a file that takes longer than the time
limit has its worker killed and is reported the same way. Results come back in the order of the input.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator

from .report import FileResult

Job = Callable[[str], FileResult]


def _context() -> Any:
    # fork starts a worker in milliseconds with everything imported; elsewhere spawn is the safe choice
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, job: Job, parent: int) -> None:
    """Worker loop: receive a path, send back its result; `None` ends the loop, and so does the parent's death
    (a forked worker holds copies of the parent's pipe ends, so it would not see end-of-file)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        result = job(path)
        try:
            conn.send(result)
        except OSError:  # the parent is gone
            return


class _Worker:
    def __init__(self, ctx: Any, job: Job) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, job, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None  # the input position of the file it is on
        self.started = 0.0

    def give(self, index: int, path: str) -> None:
        self.index, self.started = index, time.monotonic()
        self.conn.send(path)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}"
    return f"exited with code {exitcode}"


def run_isolated(paths: list[str], job: Job, jobs: int, timeout: float | None) -> Iterator[tuple[int, FileResult]]:
    """Yield (position in `paths`, result) as files finish, using up to `jobs` worker processes.

    `timeout` (seconds, None for no limit) bounds the time spent on one file.
    """
    ctx = _context()
    pending = list(reversed(range(len(paths))))
    workers: list[_Worker] = []
    try:
        workers = [_Worker(ctx, job) for _ in range(max(1, min(jobs, len(paths))))]
        for worker in workers:
            if pending:
                i = pending.pop()
                worker.give(i, paths[i])
        while any(w.index is not None for w in workers):
            busy = [w for w in workers if w.index is not None]
            wait_for: float | None = None
            if timeout is not None:
                wait_for = max(0.0, min(w.started + timeout for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for))
            for slot, worker in enumerate(workers):
                index = worker.index
                if index is None:
                    continue
                result: FileResult | None = None
                replace = False
                if worker.conn in ready or worker.process.sentinel in ready:
                    try:
                        if worker.conn.poll():
                            result = worker.conn.recv()
                    except (EOFError, OSError):
                        pass
                    if result is None and not worker.process.is_alive():
                        worker.process.join()
                        result = FileResult(path=paths[index], error=(
                            f"lit-migrate crashed on this file (its worker {_death(worker.process.exitcode)}), "
                            "left untouched")).finish()
                        replace = True
                if result is None and timeout is not None and time.monotonic() - worker.started > timeout:
                    result = FileResult(path=paths[index], error=(
                        f"skipped: took longer than the {timeout:g} s limit per file (--timeout), left untouched"
                    )).finish()
                    worker.stop(kill=True)
                    replace = True
                if result is None:
                    continue
                worker.index = None
                yield index, result
                if replace:
                    if worker.process.is_alive() or not worker.conn.closed:
                        worker.stop(kill=True)
                    worker = workers[slot] = _Worker(ctx, job)
                if pending:
                    i = pending.pop()
                    worker.give(i, paths[i])
    finally:
        for worker in workers:
            worker.stop(kill=worker.index is not None)


def cpu_count() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
