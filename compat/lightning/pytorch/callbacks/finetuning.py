"""``BaseFinetuning`` (freeze / unfreeze parts of a model during training) and ``BackboneFinetuning``.

The parameter groups that unfreezing adds to an optimizer are recorded by parameter *name* in the callback state,
so a resumed run rebuilds the same groups before the optimizer state is restored.
"""
import logging
from typing import Any, Callable, Dict, Generator, Iterable, List, Optional, Union

from torch.nn import Module, ModuleDict
from torch.nn.modules.batchnorm import _BatchNorm
from torch.optim import Optimizer

from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.callbacks.callback import Callback

log = logging.getLogger("lightning.pytorch")
_MODULES = Union[Module, Iterable[Union[Module, Iterable]]]


def multiplicative(epoch: int) -> float:
    """The default ``lambda_func`` of :class:`BackboneFinetuning`: double the backbone LR each epoch."""
    return 2.0


class BaseFinetuning(Callback):
    """Subclass and implement ``freeze_before_training(pl_module)`` and ``finetune_function(pl_module, epoch,
    optimizer)``; use :meth:`freeze` and :meth:`unfreeze_and_add_param_group` in them."""

    def __init__(self) -> None:
        self._internal_optimizer_metadata: Dict[int, List[Dict[str, Any]]] = {}
        self._restarting = False

    def state_dict(self) -> Dict[str, Any]:
        return {"internal_optimizer_metadata": self._internal_optimizer_metadata}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        self._restarting = True
        # states written before 1.6 were the metadata itself
        self._internal_optimizer_metadata = state_dict.get("internal_optimizer_metadata", state_dict)

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        if not self._restarting:
            return
        if self._internal_optimizer_metadata:
            by_name = dict(pl_module.named_parameters())
            for index, optimizer in enumerate(trainer.optimizers):
                if index in self._internal_optimizer_metadata:
                    optimizer.param_groups = self._apply_mapping_to_param_groups(
                        self._internal_optimizer_metadata[index], by_name
                    )
        self._restarting = False

    @staticmethod
    def flatten_modules(modules: _MODULES) -> List[Module]:
        """The leaf modules (and modules holding parameters directly) of ``modules``."""
        if isinstance(modules, ModuleDict):
            modules = modules.values()
        if isinstance(modules, Iterable):
            found: List[Module] = []
            for m in modules:
                found.extend(BaseFinetuning.flatten_modules(m))
            candidates: Iterable[Module] = found
        else:
            candidates = modules.modules()
        return [m for m in candidates if not list(m.children()) or m._parameters]

    @staticmethod
    def filter_params(modules: _MODULES, train_bn: bool = True, requires_grad: bool = True) -> Generator:
        """The parameters of ``modules`` whose ``requires_grad`` equals ``requires_grad`` (batch norm skipped unless
        ``train_bn``)."""
        for module in BaseFinetuning.flatten_modules(modules):
            if isinstance(module, _BatchNorm) and not train_bn:
                continue
            for param in module.parameters(recurse=False):
                if param.requires_grad == requires_grad:
                    yield param

    @staticmethod
    def make_trainable(modules: _MODULES) -> None:
        for module in BaseFinetuning.flatten_modules(modules):
            if isinstance(module, _BatchNorm):
                module.track_running_stats = True
            for param in module.parameters(recurse=False):
                param.requires_grad = True

    @staticmethod
    def freeze_module(module: Module) -> None:
        if isinstance(module, _BatchNorm):
            module.track_running_stats = False
        for param in module.parameters(recurse=False):
            param.requires_grad = False

    @staticmethod
    def freeze(modules: _MODULES, train_bn: bool = True) -> None:
        """Freeze ``modules`` (batch norm layers stay trainable when ``train_bn``)."""
        for module in BaseFinetuning.flatten_modules(modules):
            if isinstance(module, _BatchNorm) and train_bn:
                BaseFinetuning.make_trainable(module)
            else:
                BaseFinetuning.freeze_module(module)

    @staticmethod
    def filter_on_optimizer(optimizer: Optimizer, params: Iterable) -> list:
        """``params`` without those the optimizer already holds (warns when some were dropped)."""
        held = {id(p) for group in optimizer.param_groups for p in group["params"]}
        params = list(params)
        kept = [p for p in params if id(p) not in held]
        if len(kept) != len(params):
            rank_zero_warn(
                "The provided params to be frozen already exist within another group of this optimizer. Those "
                "parameters will be skipped.\nHINT: Did you init your optimizer in `configure_optimizer` as such:\n "
                f"{type(optimizer)}(filter(lambda p: p.requires_grad, self.parameters()), ...) "
            )
        return kept

    @staticmethod
    def unfreeze_and_add_param_group(
        modules: _MODULES,
        optimizer: Optimizer,
        lr: Optional[float] = None,
        initial_denom_lr: float = 10.0,
        train_bn: bool = True,
    ) -> None:
        """Unfreeze ``modules`` and give their parameters a new group in ``optimizer`` with ``lr`` (default: the
        first group's lr divided by ``initial_denom_lr``)."""
        BaseFinetuning.make_trainable(modules)
        group_lr = optimizer.param_groups[0]["lr"] / initial_denom_lr if lr is None else float(lr)
        params = BaseFinetuning.filter_on_optimizer(
            optimizer, BaseFinetuning.filter_params(modules, train_bn=train_bn, requires_grad=True)
        )
        if params:
            optimizer.add_param_group({"params": params, "lr": group_lr})

    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        self.freeze_before_training(pl_module)
        if type(trainer.strategy).__name__ == "DeepSpeedStrategy":
            raise NotImplementedError(
                "The Finetuning callback does not support running with the DeepSpeed strategy. Choose a different "
                "strategy or disable the callback."
            )

    @staticmethod
    def _apply_mapping_to_param_groups(param_groups: List[Dict[str, Any]], mapping: dict) -> List[Dict[str, Any]]:
        return [{**{k: v for k, v in g.items() if k != "params"}, "params": [mapping[p] for p in g["params"]]}
                for g in param_groups]

    def _store(self, pl_module: Any, opt_idx: int, num_param_groups: int, current_param_groups: List[Dict[str, Any]]) -> None:
        names = {p: n for n, p in pl_module.named_parameters()}
        if opt_idx not in self._internal_optimizer_metadata:
            self._internal_optimizer_metadata[opt_idx] = self._apply_mapping_to_param_groups(current_param_groups, names)
        elif num_param_groups != len(current_param_groups):
            self._internal_optimizer_metadata[opt_idx].extend(
                self._apply_mapping_to_param_groups(current_param_groups[num_param_groups:], names)
            )

    def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        for index, optimizer in enumerate(trainer.optimizers):
            groups_before = len(optimizer.param_groups)
            self.finetune_function(pl_module, trainer.current_epoch, optimizer)
            self._store(pl_module, index, groups_before, optimizer.param_groups)

    def finetune_function(self, pl_module: Any, epoch: int, optimizer: Optimizer) -> None:
        """Unfreeze what should train from ``epoch`` on (called at each training epoch start)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `finetune_function(pl_module, epoch, optimizer)`.")

    def freeze_before_training(self, pl_module: Any) -> None:
        """Freeze what should not train at first (called in ``setup``)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `freeze_before_training(pl_module)`.")


class BackboneFinetuning(BaseFinetuning):
    """Freeze ``pl_module.backbone`` until epoch ``unfreeze_backbone_at_epoch``, then train it with a learning rate
    that starts at ``backbone_initial_lr`` (or ``backbone_initial_ratio_lr`` times the current lr) and is multiplied by
    ``lambda_func(epoch + 1)`` each epoch, capped at the main lr when ``should_align``."""

    def __init__(
        self,
        unfreeze_backbone_at_epoch: int = 10,
        lambda_func: Callable = multiplicative,
        backbone_initial_ratio_lr: float = 1e-1,
        backbone_initial_lr: Optional[float] = None,
        should_align: bool = True,
        initial_denom_lr: float = 10.0,
        train_bn: bool = True,
        verbose: bool = False,
        rounding: int = 12,
    ) -> None:
        super().__init__()
        self.unfreeze_backbone_at_epoch = unfreeze_backbone_at_epoch
        self.lambda_func = lambda_func
        self.backbone_initial_ratio_lr = backbone_initial_ratio_lr
        self.backbone_initial_lr = backbone_initial_lr
        self.should_align = should_align
        self.initial_denom_lr = initial_denom_lr
        self.train_bn = train_bn
        self.verbose = verbose
        self.rounding = rounding
        self.previous_backbone_lr: Optional[float] = None

    def state_dict(self) -> Dict[str, Any]:
        return {**super().state_dict(), "previous_backbone_lr": self.previous_backbone_lr}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        self.previous_backbone_lr = state_dict["previous_backbone_lr"]
        super().load_state_dict(state_dict)

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        if not isinstance(getattr(pl_module, "backbone", None), Module):
            raise MisconfigurationException(
                "The LightningModule should have a nn.Module `backbone` attribute for `BackboneFinetuning` to freeze."
            )
        super().on_fit_start(trainer, pl_module)

    def freeze_before_training(self, pl_module: Any) -> None:
        self.freeze(pl_module.backbone)

    def finetune_function(self, pl_module: Any, epoch: int, optimizer: Optimizer) -> None:
        current_lr = optimizer.param_groups[0]["lr"]
        if epoch == self.unfreeze_backbone_at_epoch:
            backbone_lr = (
                self.backbone_initial_lr
                if self.backbone_initial_lr is not None
                else current_lr * self.backbone_initial_ratio_lr
            )
            self.unfreeze_and_add_param_group(
                pl_module.backbone, optimizer, backbone_lr, train_bn=self.train_bn, initial_denom_lr=self.initial_denom_lr
            )
        elif epoch > self.unfreeze_backbone_at_epoch:
            backbone_lr = self.lambda_func(epoch + 1) * self.previous_backbone_lr
            if self.should_align and backbone_lr > current_lr:
                backbone_lr = current_lr
            optimizer.param_groups[-1]["lr"] = backbone_lr
        else:
            return
        self.previous_backbone_lr = backbone_lr
        if self.verbose:
            log.info(f"Current lr: {round(current_lr, self.rounding)}, Backbone lr: {round(backbone_lr, self.rounding)}")
