"""Small checks the loops share."""
import torch


def check_finite_loss(loss: torch.Tensor) -> None:
    """Raise if ``loss`` is NaN or infinite (``Trainer(detect_anomaly=True)`` finds where it came from)."""
    if loss is not None and not torch.isfinite(loss).all():
        raise ValueError(f"The loss returned in `training_step` is {loss}.")
