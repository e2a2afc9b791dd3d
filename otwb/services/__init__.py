"""The write path of the tour. Views and tasks change state only through these."""

from .feeds import regenerate_feed_token, revoke_feed_token, trainer_for_token
from .registrations import cancel_registration, register_driehoek
from .sessions import create_session, reschedule_session, submit_evaluation, transition_session
from .trainers import assign_trainer, save_trainer, unassign_trainer
from .trajecten import (
    add_agreement,
    complete_agreement,
    create_trajecten,
    log_contact,
    plan_voorgesprek,
    record_voorgesprek,
    transition_traject,
)

__all__ = [
    "add_agreement",
    "assign_trainer",
    "cancel_registration",
    "complete_agreement",
    "create_session",
    "create_trajecten",
    "log_contact",
    "plan_voorgesprek",
    "record_voorgesprek",
    "regenerate_feed_token",
    "register_driehoek",
    "reschedule_session",
    "revoke_feed_token",
    "save_trainer",
    "submit_evaluation",
    "trainer_for_token",
    "transition_session",
    "transition_traject",
    "unassign_trainer",
]
