"""The real viewer: `tensorboard --logdir` started on localhost finds our runs and scalar tags over its HTTP API."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lightning.pytorch.loggers import TensorBoardLogger

TENSORBOARD = shutil.which("tensorboard") or str(Path(sys.executable).parent / "tensorboard")
pytestmark = pytest.mark.skipif(not os.access(TENSORBOARD, os.X_OK), reason="the `tensorboard` command is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str, deadline: float):
    """GET ``url`` until it answers with JSON or ``deadline`` passes."""
    last_error = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except (OSError, ValueError) as err:
            last_error = err
            time.sleep(0.5)
    raise AssertionError(f"tensorboard did not answer {url} in time: {last_error}")


def serve_and_query(logdir: str, timeout_s: float = 60.0) -> tuple:
    """Start tensorboard on logdir, return (runs, scalar tags) from its HTTP API, always stop it."""
    port = _free_port()
    server = subprocess.Popen(
        [TENSORBOARD, "--logdir", logdir, "--host", "127.0.0.1", "--port", str(port), "--load_fast", "false"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + timeout_s
        base = f"http://127.0.0.1:{port}/data"
        tags: dict = {}
        while time.monotonic() < deadline:  # runs appear once the first reload of the logdir is done
            runs = _get_json(f"{base}/runs", deadline)
            tags = _get_json(f"{base}/plugin/scalars/tags", deadline)
            if runs and tags:
                return runs, tags
            time.sleep(0.5)
        raise AssertionError(f"tensorboard listed no runs under {logdir} within {timeout_s}s")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_server_lists_our_run_and_scalars(tmp_path):
    logger = TensorBoardLogger(tmp_path)
    logger.log_hyperparams({"lr": 0.1})
    for step in range(3):
        logger.log_metrics({"train_loss": 1.0 / (step + 1)}, step=step)
    logger.finalize("success")

    runs, tags = serve_and_query(str(tmp_path / "lightning_logs"))
    assert "version_0" in runs
    assert {"train_loss", "hp_metric"} <= set(tags["version_0"])
