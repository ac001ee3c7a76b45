"""``signal_connector``: 2.6.6's SIGTERM / SLURM-requeue handler setup (private there)."""
__all__: list = []
