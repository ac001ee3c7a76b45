"""The model summary of a DeepSpeed ZeRO-3 model, whose parameters are partitioned across devices: a partitioned
parameter is an empty tensor carrying its full size in ``ds_numel`` and its local shard size in
``partition_numel()``. Counts use the full size; an extra "Params per Device" column shows the shard."""
from collections import OrderedDict


from torch.nn import Parameter

from lightning.pytorch.utilities.model_summary.model_summary import (
    NOT_APPLICABLE,
    LayerSummary,
    ModelSummary,
    get_human_readable_count,
)

__all__ = ["DeepSpeedLayerSummary", "DeepSpeedSummary", "NOT_APPLICABLE", "deepspeed_param_size"]


def deepspeed_param_size(p: Parameter) -> int:
    """The full (unpartitioned) number of elements of a ZeRO-3 parameter."""
    if not hasattr(p, "ds_numel"):
        raise ValueError("Not a DeepSpeed-partitioned parameter (it has no `ds_numel`).")
    return p.ds_numel


def _full_size(p: Parameter) -> int:
    return deepspeed_param_size(p) if hasattr(p, "ds_numel") else p.numel()


def _shard_size(p: Parameter) -> int:
    return p.partition_numel() if hasattr(p, "ds_numel") else p.numel()


class DeepSpeedLayerSummary(LayerSummary):
    @property
    def num_parameters(self) -> int:
        return sum(_full_size(p) for p in self._module.parameters())

    @property
    def average_shard_parameters(self) -> int:
        """Parameters of this layer held by one device."""
        return sum(_shard_size(p) for p in self._module.parameters())


class DeepSpeedSummary(ModelSummary):
    def summarize(self) -> "OrderedDict[str, DeepSpeedLayerSummary]":
        summary = super().summarize()
        for layer in summary.values():
            layer.__class__ = DeepSpeedLayerSummary  # same state, partition-aware counts
        return summary

    @property
    def total_parameters(self) -> int:
        return sum(_full_size(p) for p in self._model.parameters())

    @property
    def trainable_parameters(self) -> int:
        return sum(_full_size(p) for p in self._model.parameters() if p.requires_grad)

    @property
    def parameters_per_layer(self) -> list:
        return [layer.average_shard_parameters for layer in self._layer_summary.values()]

    def _get_summary_data(self) -> list:
        columns = super()._get_summary_data()
        per_device = [get_human_readable_count(n) for n in self.parameters_per_layer]
        rows = len(columns[0][1])
        per_device += [NOT_APPLICABLE] * (rows - len(per_device))  # the leftover-parameters row, if any
        at = next(i for i, (header, _) in enumerate(columns) if header == "Params") + 1
        columns.insert(at, ("Params per Device", per_device))
        return columns

