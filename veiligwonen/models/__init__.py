from .advice import Advice, Measure, MeasureType
from .application import Application
from .config import SlaSetting, StaffProfile
from .documents import Document, Message, ThreadRead
from .handoff import Handoff
from .history import SweepRecord, TimelineEntry
from .intake import ScanFinding

__all__ = [
    "Advice",
    "Application",
    "Document",
    "Handoff",
    "Measure",
    "MeasureType",
    "Message",
    "ScanFinding",
    "SlaSetting",
    "StaffProfile",
    "SweepRecord",
    "ThreadRead",
    "TimelineEntry",
]
