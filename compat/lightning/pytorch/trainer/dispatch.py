"""The one hook dispatcher: fires hooks on callbacks, the LightningModule and the datamodule.

Which hooks each callback overrides is resolved once per run (``resolve``); per step only those are called. Every
call keeps ``pl_module._current_fx_name`` right (so ``self.log`` knows its hook) and can be traced for tests
(``trace``) or timed by a profiler.
"""
from typing import Any, Optional

from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.pytorch.callbacks.callback import CALLBACK_HOOKS, Callback
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.utilities.model_helpers import is_overridden

_BATCH_TRANSFER_HOOKS = ("on_before_batch_transfer", "transfer_batch_to_device", "on_after_batch_transfer")
# Module-only hooks the training step consults; with CALLBACK_HOOKS they make up ``HookDispatcher.active``.
_MODULE_STEP_HOOKS = ("optimizer_step", "optimizer_zero_grad", "backward", "configure_gradient_clipping",
                      "lr_scheduler_step")


def _is_base_hook(callback: Any, name: str) -> bool:
    """Whether the callback's hook is ``Callback``'s own no-op, so skipping the call cannot be observed. Anything
    else is called, as 2.6.6 calls every hook: an override, and also a recording wrapper around the base hook or a
    ``Mock`` standing in for a callback (which :func:`is_overridden` does not count as overrides)."""
    return getattr(getattr(callback, name, None), "__func__", None) is getattr(Callback, name, None)


def _monitoring_types() -> tuple:
    from lightning.pytorch.callbacks.checkpoint import Checkpoint
    from lightning.pytorch.callbacks.early_stopping import EarlyStopping

    return (Checkpoint, EarlyStopping)


class HookDispatcher:
    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer  # passed as the first argument of callback hooks
        self.module: Any = None
        self.datamodule: Any = None
        self.trace: Optional[list] = None  # a list to record "Callback.hook" / "hook" names into, for tests
        self.profiler: Any = None  # set to a profiler to time every hook; None costs nothing
        self._callbacks: dict = {}  # hook -> [(is_monitoring, callback, bound method)]
        self._transfer_owner: dict = {}
        self.shims: Any = None  # the legacy layer's adapters for 1.x hook signatures, set per run; None costs nothing
        # names of the hooks someone overrides this run: the per-step code tests `name in hooks.active` instead of
        # making a call that would find nothing to do
        self.active: frozenset = frozenset()

    def resolve(self, module: Any, datamodule: Any, callbacks: list) -> None:
        """Find, once per run, which hooks each callback actually overrides (with a profiler: every hook of every
        callback, so that the profile lists each one as 2.6.6's does)."""
        self.module = module
        self.datamodule = datamodule
        monitoring = _monitoring_types()
        self._callbacks = {}
        for name in CALLBACK_HOOKS:
            bound = [
                (isinstance(cb, monitoring), cb,
                 getattr(cb, name) if self.shims is None else self.shims.callback_hook(cb, name))
                for cb in callbacks
                if self.profiler is not None or not _is_base_hook(cb, name)
            ]
            if bound:
                self._callbacks[name] = bound
        self._module_overrides = {}
        self._transfer_owner = {}
        for name in _BATCH_TRANSFER_HOOKS:
            # the datamodule's own override wins, as in 2.6.6 (a wrapper set on its instance does not)
            dm_overrides = datamodule is not None and is_overridden(name, datamodule, parent=LightningDataModule)
            self._transfer_owner[name] = datamodule if dm_overrides else module
        self._plain_transfer = not any(
            _defines(owner, name, _base_of(owner))
            for name, owner in self._transfer_owner.items()
        )
        self.active = frozenset(self._callbacks).union(
            name for name in (*CALLBACK_HOOKS, *_MODULE_STEP_HOOKS) if self.module_overrides(name)
        )

    def has_callback_hook(self, name: str) -> bool:
        return name in self._callbacks

    def module_overrides(self, name: str) -> bool:
        """Whether the LightningModule overrides hook ``name`` (cached per run; the trace sees every hook)."""
        known = self._module_overrides.get(name)
        if known is None:
            known = self._module_overrides[name] = _defines(self.module, name, _module_base())
        return known

    # ------------------------------------------------------------ firing
    def fire(self, name: str, *args: Any) -> None:
        """Callbacks first, then the module: the order of almost every hook. Only for hooks whose base
        implementation does nothing, so a module that does not override one is not called at all."""
        if name in self._callbacks:
            self.call_callbacks(name, *args)
        if self.module_overrides(name):
            self.call_module(name, *args)

    def call_callbacks(self, name: str, *args: Any, monitoring: Optional[bool] = None, **kwargs: Any) -> None:
        """Call ``name`` on every callback that overrides it; ``monitoring`` selects checkpoint/early-stopping
        callbacks (True), the others (False) or all (None)."""
        bound = self._callbacks.get(name)
        if not bound:
            return
        module = self.module
        previous = module._current_fx_name if module is not None else None
        if module is not None:
            _set_fx(module, name)
        try:
            for is_monitoring, callback, fn in bound:
                if monitoring is not None and is_monitoring != monitoring:
                    continue
                if self.trace is not None:
                    self.trace.append(f"Callback.{name}")
                if self.profiler is not None:
                    with self.profiler.profile(f"[Callback]{callback.state_key}.{name}"):
                        fn(self.trainer, module, *args, **kwargs)
                else:
                    fn(self.trainer, module, *args, **kwargs)
        finally:
            if module is not None:
                _set_fx(module, previous)

    def call_module(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a LightningModule hook, with ``_current_fx_name`` set for ``self.log``."""
        module = self.module
        fn = getattr(module, name)
        if self.shims is not None:
            fn = self.shims.module_hooks.get(name, fn)
        return self._call_as(name, fn, "LightningModule", module, args, kwargs)

    def call_datamodule(self, name: str, *args: Any, **kwargs: Any) -> Any:
        datamodule = self.datamodule
        if datamodule is None:
            return None
        fn = getattr(datamodule, name, None)
        if not callable(fn):
            return None
        if self.trace is not None:
            self.trace.append(f"LightningDataModule.{name}")
        if self.profiler is not None:
            with self.profiler.profile(f"[LightningDataModule]{type(datamodule).__name__}.{name}"):
                return fn(*args, **kwargs)
        return fn(*args, **kwargs)

    def call_strategy(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a strategy method that runs a user step (``training_step`` ...), with ``_current_fx_name`` set."""
        strategy = self.trainer.strategy
        step = getattr(strategy, name)
        if self.shims is not None:
            step, args = self.shims.wrap_step(name, step, args)
        return self._call_as(name, step, "Strategy", strategy, args, kwargs)

    def _call_as(self, name: str, fn: Any, kind: str, owner: Any, args: tuple, kwargs: dict) -> Any:
        """Run ``fn`` as hook ``name``: traced, profiled when a profiler is set, ``_current_fx_name`` restored."""
        module = self.module
        previous = module._current_fx_name
        _set_fx(module, name)
        if self.trace is not None:
            self.trace.append(name)
        try:
            if self.profiler is not None:
                # the action name is formatted only when a profiler will record it: this runs every step
                with self.profiler.profile(f"[{kind}]{type(owner).__name__}.{name}"):
                    return fn(*args, **kwargs)
            return fn(*args, **kwargs)
        finally:
            _set_fx(module, previous)

    def transfer_batch(self, batch: Any, device: Any, dataloader_idx: int) -> Any:
        """Move a batch: through the three transfer hooks if any is overridden, else straight to the device."""
        if self._plain_transfer:
            return move_data_to_device(batch, device)
        for name in _BATCH_TRANSFER_HOOKS:
            owner = self._transfer_owner[name]
            args = (batch, device, dataloader_idx) if name == "transfer_batch_to_device" else (batch, dataloader_idx)
            if owner is self.module:
                batch = self.call_module(name, *args)
            else:
                batch = self.call_datamodule(name, *args)
        return batch


def _defines(obj: Any, name: str, base: type) -> bool:
    """Whether the hook ``name`` of the module (or datamodule) has to be called: its class overrides it, or something
    set it on the instance (a recording or timing wrapper, even around the base hook, sees every call as in 2.6.6)."""
    attr = vars(obj).get(name)
    if attr is not None:
        return callable(attr)
    return is_overridden(name, obj, parent=base)


def _set_fx(module: Any, name: Optional[str]) -> None:
    # a plain attribute: bypass nn.Module.__setattr__, which costs microseconds per call on the hot path
    object.__setattr__(module, "_current_fx_name", name)


def _base_of(owner: Any) -> type:
    return LightningDataModule if isinstance(owner, LightningDataModule) else _module_base()


def _module_base() -> type:
    from lightning.pytorch.core.module import LightningModule

    return LightningModule

