"""The one write path of the incidents app (DESIGN §3)."""

from .common import NotAllowed, is_reporter, is_triager
from .filing import add_attachment, can_file_on_behalf, save_draft, submit, withdraw
from .triage import assign, check_step, close, note, post_message, set_severity, transition

__all__ = [
    "NotAllowed",
    "add_attachment",
    "assign",
    "can_file_on_behalf",
    "check_step",
    "close",
    "is_reporter",
    "is_triager",
    "note",
    "post_message",
    "save_draft",
    "set_severity",
    "submit",
    "transition",
    "withdraw",
]
