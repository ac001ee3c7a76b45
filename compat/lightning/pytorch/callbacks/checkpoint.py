"""``Checkpoint``: the base class of callbacks that save checkpoints (the Trainer finds them through it)."""
from lightning.pytorch.callbacks.callback import Callback


class Checkpoint(Callback):
    """Subclass this for a callback that writes checkpoints; ``trainer.checkpoint_callbacks`` lists such callbacks."""
