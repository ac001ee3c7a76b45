"""The Trainer's ``ParallelStrategy``: the base of strategies that run one process per device (DDP, FSDP).

The engine's ``ParallelStrategy`` (``lightning.fabric.strategies.parallel``) owns the cluster environment, ranks,
devices, collectives and sampler arguments; this class adds sending each Trainer step through the wrapped model's
``forward`` so that the wrapper (DDP/FSDP) sees it, and skipping the gradient sync while accumulating.
"""
import contextlib
from typing import Any, Generator, Optional

import torch

from lightning.fabric.plugins.environments import ClusterEnvironment
from lightning.fabric.strategies.parallel import ParallelStrategy as _EngineParallel
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.strategies.strategy import Strategy


class ParallelStrategy(Strategy, _EngineParallel):
    """One process per device; ranks, world size and collectives are the engine's ``ParallelStrategy``."""

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Optional[ClusterEnvironment] = None, checkpoint_io: Any = None,
                 precision_plugin: Optional[Precision] = None) -> None:
        _EngineParallel.__init__(self, accelerator=accelerator, parallel_devices=parallel_devices,
                                 cluster_environment=cluster_environment, checkpoint_io=checkpoint_io,
                                 precision=precision_plugin)
        self._init_trainer_side()

    # ------------------------------------------------------------ steps through the wrapper
    def _forward_redirect(self, name: str, *args: Any, **kwargs: Any) -> Any:
        module = self.lightning_module
        wrapper = self.model
        if wrapper is None or wrapper is module:
            return getattr(module, name)(*args, **kwargs)
        return _redirect_through_forward(wrapper, module, name, args, kwargs, self._on_after_inner_forward,
                                         self._on_after_outer_forward)

    def _on_after_inner_forward(self, wrapper: Any, module: Any) -> None:
        pass

    def _on_after_outer_forward(self, wrapper: Any, module: Any) -> None:
        pass

    @contextlib.contextmanager
    def block_backward_sync(self) -> Generator:
        """Skip the gradient all-reduce inside this context (gradient accumulation)."""
        no_sync = getattr(self.model, "no_sync", None)
        if callable(no_sync):
            with no_sync():
                yield
        else:
            yield


def _redirect_through_forward(wrapper: torch.nn.Module, module: Any, name: str, args: tuple, kwargs: dict,
                              after_inner: Any, after_outer: Any) -> Any:
    """Call ``module.<name>(*args, **kwargs)`` *through* ``wrapper(...)``.

    Wrappers like DDP only do their work (gradient-sync bookkeeping, parameter all-gather) in their own ``forward``,
    which calls ``module.forward``. We point ``module.forward`` at the step for the duration of one call; the step
    itself sees the real ``forward`` again, so ``self(x)`` inside ``training_step`` works.
    """
    assert name != "forward"
    had_instance_forward = "forward" in module.__dict__
    original_forward = module.forward

    def restore() -> None:
        if had_instance_forward:
            module.forward = original_forward
        else:
            module.__dict__.pop("forward", None)

    def step_as_forward(*step_args: Any, **step_kwargs: Any) -> Any:
        restore()
        output = getattr(module, name)(*step_args, **step_kwargs)
        after_inner(wrapper, module)
        return output

    module.forward = step_as_forward
    try:
        output = wrapper(*args, **kwargs)
    finally:
        restore()
    after_outer(wrapper, module)
    return output
