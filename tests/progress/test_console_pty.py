"""A screenshot-free look at the console: a tiny fit in a pseudo-terminal shows the bar and the summary without
errors, and `enable_progress_bar=False` draws no bar."""
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("tiny_fit.py")
BAR_MARKS = ("it/s", "Epoch", "Sanity Checking", "Validation DataLoader", "Validation ")


def run_in_pty(*args: str, timeout_s: float = 300.0) -> tuple:
    """Run tiny_fit.py with a terminal as stdin/stdout/stderr; return (exit code, everything it wrote)."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a 120x40 terminal, as a user has
    env = {**os.environ, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, str(SCRIPT), *args], stdin=child, stdout=child, stderr=child,
                               env=env, close_fds=True)
    os.close(child)
    chunks = []
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                try:
                    data = os.read(main, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        else:
            pytest.fail(f"tiny_fit.py {' '.join(args)} did not finish in {timeout_s}s")
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    return code, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def sections() -> dict:
    """Output of each console set-up of tiny_fit.py, from one pseudo-terminal run."""
    code, out = run_in_pty("no-bar", "tqdm", "default")
    assert code == 0, out
    assert "Traceback" not in out, out
    parts = out.split("@@ ")[1:]
    return {part.split(maxsplit=1)[0]: part for part in parts}


def test_default_console_shows_bar_summary_and_results(sections):
    out = sections["default"]
    assert "Epoch 1/1" in out and "train_loss" in out  # the (rich, since it is installed) bar with the metric
    assert "Total params" in out and "layer" in out  # the model summary
    assert "Validate metric" in out and "val_loss" in out  # the results table of trainer.validate


def test_tqdm_bar_in_a_terminal(sections):
    out = sections["tqdm"]
    assert "Epoch 1: 100%" in out and "8/8" in out and "train_loss=" in out


def test_no_bar_draws_nothing(sections):
    out = sections["no-bar"]
    assert not any(mark in out for mark in BAR_MARKS), out
    assert "Validate metric" in out  # the results table is not a progress bar; it still prints
