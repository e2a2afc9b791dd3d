"""The one write path of Veilig Wonen: every change goes through these functions."""

from .advice import (
    add_measure,
    issue_advice,
    remove_measure,
    resume_draft,
    return_advice,
    save_summary,
    start_advice,
    submit_for_review,
)
from .applications import AlreadyClaimed, NotEligible, claim, submit_application, withdraw
from .handoff import cancel_handoff, record_handoff_receipt
from .intake import hand_off, hold_intake, mark_not_eligible, plan_intake, plan_scan, record_scan
from .measures import employer_totals, national_totals, update_measure
from .rescore import rescore_open
from .sweeps import purge_closed, remind_handoff_receipt, remind_open_measures, sweep_sla
from .thread import (
    add_document,
    mark_thread_read,
    post_message,
    thread_with_read_state,
    with_new_messages,
)

__all__ = [
    "AlreadyClaimed",
    "NotEligible",
    "add_document",
    "add_measure",
    "cancel_handoff",
    "claim",
    "employer_totals",
    "hand_off",
    "hold_intake",
    "issue_advice",
    "mark_not_eligible",
    "mark_thread_read",
    "national_totals",
    "plan_intake",
    "plan_scan",
    "post_message",
    "purge_closed",
    "record_handoff_receipt",
    "record_scan",
    "remind_handoff_receipt",
    "remind_open_measures",
    "remove_measure",
    "rescore_open",
    "resume_draft",
    "return_advice",
    "save_summary",
    "start_advice",
    "submit_application",
    "submit_for_review",
    "sweep_sla",
    "thread_with_read_state",
    "update_measure",
    "with_new_messages",
    "withdraw",
]
