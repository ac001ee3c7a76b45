"""``AsyncCheckpointIO``: saves in a background thread so training continues while the file is written."""
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, List, Optional

import torch

from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.plugins.io.checkpoint_plugin import CheckpointIO
from lightning.pytorch.plugins.io.wrapper import _WrappingCheckpointIO


class AsyncCheckpointIO(_WrappingCheckpointIO):
    """Runs the wrapped plugin's ``save_checkpoint`` in one worker thread (saves stay in order).

    Tensors are copied before the call returns, so the training step may modify the weights right away. An error in
    a background save is raised at the next ``save_checkpoint`` or at ``teardown``; loads and removals first wait for
    pending saves, so they never see a file that is still being written.
    """

    def __init__(self, checkpoint_io: Optional[CheckpointIO] = None) -> None:
        super().__init__(checkpoint_io)
        self._executor: Optional[ThreadPoolExecutor] = None
        self._pending: List[Future] = []
        self._error: Optional[BaseException] = None
        self._lock = threading.Lock()

    def _ensure_setup(self) -> None:
        # created lazily: teardown() shuts it down, and a later fit/validate needs a fresh one
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="async-checkpoint")

    def save_checkpoint(self, *args: Any, **kwargs: Any) -> None:
        self._raise_pending_error()
        self._ensure_setup()
        if "checkpoint" in kwargs:
            kwargs["checkpoint"] = _snapshot(kwargs["checkpoint"])
        elif args:
            args = (_snapshot(args[0]), *args[1:])
        inner = self._inner()
        future = self._executor.submit(inner.save_checkpoint, *args, **kwargs)  # type: ignore[union-attr]
        future.add_done_callback(self._record_error)
        self._pending = [f for f in self._pending if not f.done()] + [future]

    def _record_error(self, future: Future) -> None:
        err = future.exception()
        if err is not None:
            with self._lock:
                self._error = self._error or err

    def _raise_pending_error(self) -> None:
        with self._lock:
            err, self._error = self._error, None
        if err is not None:
            raise RuntimeError(f"A background checkpoint save failed: {err}") from err

    def wait(self) -> None:
        """Block until every submitted save has finished; raise the first error among them."""
        for future in self._pending:
            future.exception()  # waits; errors are collected by _record_error
        self._pending = []
        self._raise_pending_error()

    def load_checkpoint(self, *args: Any, **kwargs: Any) -> dict:
        self.wait()
        return super().load_checkpoint(*args, **kwargs)

    def remove_checkpoint(self, *args: Any, **kwargs: Any) -> None:
        self.wait()
        super().remove_checkpoint(*args, **kwargs)

    def teardown(self) -> None:
        try:
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None
            super().teardown()


def _snapshot(checkpoint: Any) -> Any:
    return apply_to_collection(checkpoint, torch.Tensor, lambda t: t.detach().clone())
