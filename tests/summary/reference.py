"""The reference output recorded from the real lightning 2.6.6 (one loader for every display test folder)."""
from tests.loggers.reference import EXTRA, FIXTURES, extra, trainer_runs  # noqa: F401
