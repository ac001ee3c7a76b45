"""``lightning.pytorch.trainer.connectors``: 2.6.6's package of Trainer helpers. This project has no connector
objects (see DESIGN.md: helpers take narrow inputs instead of the Trainer); the modules keep the public names that
2.6.6 exposes at these paths."""
