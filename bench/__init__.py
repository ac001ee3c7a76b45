"""Benchmarks of lightning-compat against hand-written PyTorch (and, optionally, the real Lightning packages).

``python -m bench`` runs them all (``bench/run.py``); the timed scenarios run in ``bench/worker.py`` processes.
This package imports nothing heavy: the worker imports it under other interpreters too.
"""
