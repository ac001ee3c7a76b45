"""The ``Profiler`` interface: time named actions, then write one report per stage.

A report goes to ``{dirpath}/{stage}-{filename}[-{rank}].txt`` when ``filename`` is set (``dirpath`` defaults
to the Trainer's ``log_dir``), otherwise to the ``lightning.pytorch.profilers`` logger on local rank zero.
"""
import contextlib
import logging
import os
import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Callable, Generator, Optional, TextIO, Union

log = logging.getLogger(__name__)


class Profiler(ABC):
    """Times named actions (``with profiler.profile("name"):``) and summarises them in ``describe()``."""

    def __init__(self, dirpath: Optional[Union[str, Path]] = None, filename: Optional[str] = None) -> None:
        self.dirpath = dirpath
        self.filename = filename
        self._output_file: Optional[TextIO] = None
        self._write_stream: Optional[Callable] = None
        self._local_rank: Optional[int] = None
        self._stage: Optional[str] = None

    @abstractmethod
    def start(self, action_name: str) -> None:
        """Start timing ``action_name``."""

    @abstractmethod
    def stop(self, action_name: str) -> None:
        """Stop timing ``action_name``."""

    def summary(self) -> str:
        return ""

    @contextlib.contextmanager
    def profile(self, action_name: str) -> Generator:
        try:
            self.start(action_name)
            yield action_name
        finally:
            self.stop(action_name)

    def _rank_zero_info(self, *args: Any, **kwargs: Any) -> None:
        if self._local_rank in (None, 0):
            log.info(*args, **kwargs)

    def _prepare_filename(self, action_name: Optional[str] = None, extension: str = ".txt") -> str:
        parts = [self._stage, self.filename, None if self._local_rank is None else str(self._local_rank), action_name]
        base = "-".join(str(p) for p in parts if p)
        # action names such as "[Callback]X.on_train_start" must not create directories or odd characters
        base = re.sub(r"_+", "_", re.sub(r"[\\/:*?\"<>|\n\r\t]", "_", base)).strip()
        return (base or "profile") + extension

    def _prepare_streams(self) -> None:
        if self._write_stream is not None:
            return
        if self.filename and self.dirpath:
            os.makedirs(self.dirpath, exist_ok=True)
            self._output_file = open(os.path.join(self.dirpath, self._prepare_filename()), "a")  # noqa: SIM115
            self._write_stream = self._output_file.write
        else:
            self._write_stream = self._rank_zero_info

    def describe(self) -> None:
        """Write the report (to the file, or to the log), then release the stream."""
        self._prepare_streams()
        summary = self.summary()
        if summary and self._write_stream is not None:
            self._write_stream(summary)
        if self._output_file is not None:
            self._output_file.flush()
        self.teardown(stage=self._stage)

    def _stats_to_str(self, stats: dict) -> str:
        stage = f"{self._stage.upper()} " if self._stage is not None else ""
        lines = [stage + "Profiler Report"]
        rank = f" rank: {self._local_rank}" if self._local_rank is not None else ""
        for action, value in stats.items():
            lines += [f"Profile stats for: {action}{rank}", value]
        return os.linesep.join(lines)

    def setup(self, stage: str, local_rank: Optional[int] = None, log_dir: Optional[str] = None) -> None:
        """Called by the Trainer before a stage runs."""
        self._stage = getattr(stage, "value", stage)
        self._local_rank = local_rank
        self.dirpath = self.dirpath or log_dir

    def teardown(self, stage: Optional[str]) -> None:
        """Close the report file (an open file cannot be pickled)."""
        self._write_stream = None
        if self._output_file is not None:
            self._output_file.close()
            self._output_file = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.teardown(stage=self._stage)

    @property
    def local_rank(self) -> int:
        return 0 if self._local_rank is None else self._local_rank
