"""``lightning.fabric.utilities.consolidate_checkpoint``: 2.6.6's command that merges a sharded checkpoint folder into one file (private names there; the Trainer's module of the same name holds it); this path exists for imports."""
__all__: list = []
