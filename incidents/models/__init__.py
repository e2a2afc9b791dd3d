from .followup import Aangifte, AftercareAction, Attachment, PerpetratorAction
from .melding import Melding, MeldingCategory, MeldingUserObjectPermission
from .protocol import LocalProtocol, ProtocolRoute
from .timeline import InternalNote, JobRecord, Message, StepCheck, TimelineEntry

__all__ = [
    "Aangifte",
    "AftercareAction",
    "Attachment",
    "InternalNote",
    "JobRecord",
    "LocalProtocol",
    "Melding",
    "MeldingCategory",
    "MeldingUserObjectPermission",
    "Message",
    "PerpetratorAction",
    "ProtocolRoute",
    "StepCheck",
    "TimelineEntry",
]
