from .apply import apply, index
from .case import detail, pdf_applicant, pdf_employer
from .costs import costs
from .queue import queue
from .steps import measure_update, step

__all__ = [
    "apply",
    "costs",
    "detail",
    "index",
    "measure_update",
    "pdf_applicant",
    "pdf_employer",
    "queue",
    "step",
]
