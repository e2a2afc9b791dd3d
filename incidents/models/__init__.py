from .followup import Aangifte, AftercareAction, Attachment, PerpetratorAction
from .local import CaseStep, LetterTemplate, LocalStep
from .melding import Melding, MeldingCategory, MeldingUserObjectPermission
from .protocol import LocalProtocol, ProtocolRoute
from .timeline import InternalNote, JobRecord, Message, StepCheck, TimelineEntry

__all__ = [
    "Aangifte",
    "AftercareAction",
    "Attachment",
    "CaseStep",
    "InternalNote",
    "JobRecord",
    "LetterTemplate",
    "LocalProtocol",
    "LocalStep",
    "Melding",
    "MeldingCategory",
    "MeldingUserObjectPermission",
    "Message",
    "PerpetratorAction",
    "ProtocolRoute",
    "StepCheck",
    "TimelineEntry",
]
