"""``lightning.fabric.utilities.logger``: 2.6.6's private helpers that flatten and sanitize hyperparameters for loggers (see the Trainer's loggers.utilities); this path exists for imports."""
__all__: list = []
