from .followup import Aangifte, AftercareAction, Attachment, PerpetratorAction
from .melding import Melding, MeldingCategory, MeldingUserObjectPermission
from .timeline import InternalNote, JobRecord, Message, StepCheck, TimelineEntry

__all__ = [
    "Aangifte",
    "AftercareAction",
    "Attachment",
    "InternalNote",
    "JobRecord",
    "Melding",
    "MeldingCategory",
    "MeldingUserObjectPermission",
    "Message",
    "PerpetratorAction",
    "StepCheck",
    "TimelineEntry",
]
