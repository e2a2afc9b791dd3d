from .apply import apply, index
from .case import detail, pdf_applicant, pdf_employer, referral_pdf
from .costs import costs
from .queue import queue
from .steps import measure_update, step
from .thread import download_document, post_message, upload_document

__all__ = [
    "apply",
    "costs",
    "detail",
    "download_document",
    "index",
    "measure_update",
    "pdf_applicant",
    "pdf_employer",
    "post_message",
    "queue",
    "referral_pdf",
    "step",
    "upload_document",
]
