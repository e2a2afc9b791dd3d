from .advice import Advice, Measure, MeasureType
from .application import Application
from .config import SlaSetting, StaffProfile
from .history import SweepRecord, TimelineEntry
from .intake import ScanFinding

__all__ = [
    "Advice",
    "Application",
    "Measure",
    "MeasureType",
    "ScanFinding",
    "SlaSetting",
    "StaffProfile",
    "SweepRecord",
    "TimelineEntry",
]
