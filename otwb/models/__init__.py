from .registrations import Registration
from .sessions import Evaluation, Session
from .sweeps import SweepRecord
from .tours import FollowUpAgreement, Tour, Traject, TrajectEvent, Voorgesprek
from .trainers import Assignment, AvailabilityException, Trainer, WeeklyAvailability

__all__ = [
    "Assignment",
    "AvailabilityException",
    "Evaluation",
    "FollowUpAgreement",
    "Registration",
    "Session",
    "SweepRecord",
    "Tour",
    "Trainer",
    "Traject",
    "TrajectEvent",
    "Voorgesprek",
    "WeeklyAvailability",
]
