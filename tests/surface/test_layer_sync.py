"""``TorchSyncBatchNorm``: BatchNorm -> SyncBatchNorm and back, sharing parameters and statistics."""
import torch

from lightning.pytorch.plugins import LayerSync, TorchSyncBatchNorm


def test_apply_and_revert_share_parameters_and_statistics():
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Sequential(
        torch.nn.BatchNorm1d(4, affine=False)))
    plugin = TorchSyncBatchNorm()
    assert isinstance(plugin, LayerSync)
    synced = plugin.apply(model)
    assert isinstance(synced[1], torch.nn.SyncBatchNorm) and isinstance(synced[2][0], torch.nn.SyncBatchNorm)
    reverted = plugin.revert(synced)
    assert not isinstance(reverted[1], torch.nn.SyncBatchNorm)
    assert reverted[1].weight is synced[1].weight and reverted[1].running_mean is synced[1].running_mean
    assert reverted[2][0].weight is None
    reverted[1].eval()
    assert reverted[1](torch.ones(1, 2, 3)).shape == (1, 2, 3)  # the reverted layer accepts any input rank
