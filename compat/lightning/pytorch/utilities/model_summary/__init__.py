"""Model summaries: ``summarize(module, max_depth)`` and the ``ModelSummary`` table the summary callbacks print."""
from lightning.pytorch.utilities.model_summary.model_summary import (  # noqa: F401
    UNKNOWN_SIZE,
    LayerSummary,
    ModelSummary,
    get_formatted_model_size,
    get_human_readable_count,
    parse_batch_shape,
    summarize,
)
