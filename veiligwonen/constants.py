"""Choices of the Veilig Wonen scheme (Regeling beveiligingsmaatregelen 2024)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import PoliceUnit, Position


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend")
    INTAKE_PLANNED = "intake_planned", _("Intakegesprek gepland")
    INTAKE_HELD = "intake_held", _("Intakegesprek gehouden")
    SCAN_PLANNED = "scan_planned", _("Woningscan gepland")
    SCAN_DONE = "scan_done", _("Woningscan uitgevoerd")
    ADVICE_DRAFT = "advice_draft", _("Advies in concept")
    UNDER_REVIEW = "under_review", _("Ter beoordeling bij de BVA")
    RETURNED = "returned", _("Teruggestuurd door de BVA")
    ADVICE_ISSUED = "advice_issued", _("Advies uitgebracht")
    MEASURES_IN_PROGRESS = "measures_in_progress", _("Maatregelen in uitvoering")
    COMPLETED = "completed", _("Afgerond")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    NOT_ELIGIBLE = "not_eligible", _("Niet in aanmerking")
    # Referred, but the receiving unit has not confirmed receipt: BZK still holds the case.
    HANDOFF_PENDING = "handoff_pending", _("Overgedragen, ontvangst niet bevestigd")
    HANDED_OFF = "handed_off", _("Overgedragen aan het Stelsel Bewaken en Beveiligen")


# Waiting for the intake conversation: the part of the process the SLA and the queue cover.
WAITING_FOR_INTAKE = frozenset({Status.SUBMITTED, Status.INTAKE_PLANNED})
CLOSED = frozenset({Status.COMPLETED, Status.WITHDRAWN, Status.NOT_ELIGIBLE, Status.HANDED_OFF})
OPEN = frozenset(Status) - CLOSED
# From here on the advice exists and the BVA reviewer of record may look at the case.
REVIEW_STAGE = frozenset(
    {
        Status.UNDER_REVIEW,
        Status.RETURNED,
        Status.ADVICE_ISSUED,
        Status.MEASURES_IN_PROGRESS,
        Status.COMPLETED,
    }
)
ISSUED = frozenset({Status.ADVICE_ISSUED, Status.MEASURES_IN_PROGRESS, Status.COMPLETED})


class UrgencyClass(models.TextChoices):
    SPOED = "spoed", _("Spoed")
    HOOG = "hoog", _("Hoog")
    NORMAAL = "normaal", _("Normaal")


# Highest first: the order in which classes are served.
URGENCY_ORDER = (UrgencyClass.SPOED, UrgencyClass.HOOG, UrgencyClass.NORMAAL)
DEFAULT_SLA_WORKING_DAYS = {UrgencyClass.SPOED: 2, UrgencyClass.HOOG: 5, UrgencyClass.NORMAAL: 15}
DEFAULT_CASES_PER_WEEK = 3


class Domain(models.TextChoices):
    WONEN = "wonen", _("Wonen")
    WERK = "werk", _("Werk")
    VERPLAATSEN = "verplaatsen", _("Verplaatsen")
    DIGITAAL = "digitaal", _("Digitale informatie")


class MeasureCategory(models.TextChoices):
    PHYSICAL = "physical", _("Fysiek")
    ELECTRONIC = "electronic", _("Elektronisch")
    ORGANISATIONAL = "organisational", _("Organisatorisch")
    ONLINE = "online", _("Online")


class ResponsibleParty(models.TextChoices):
    EMPLOYER = "employer", _("Werkgever")
    HOME_OWNER = "home_owner", _("Woningeigenaar")
    JENV_NCTV = "jenv_nctv", _("JenV / NCTV")


class MeasurePriority(models.IntegerChoices):
    FIRST = 1, _("Eerst")
    HIGH = 2, _("Hoog")
    NORMAL = 3, _("Normaal")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    DONE = "done", _("Uitgevoerd")
    DECLINED = "declined", _("Afgezien")


class SweepKind(models.TextChoices):
    SLA = "sla", _("Termijn intake")
    MEASURES = "measures", _("Openstaande maatregelen")
    HANDOFF = "handoff", _("Ontvangst overdracht")


class SweepLevel(models.TextChoices):
    WARNING = "warning", _("Waarschuwing")
    ESCALATION = "escalation", _("Escalatie naar teamleider")
    DAYS_30 = "30", _("Herinnering na 30 dagen")
    DAYS_60 = "60", _("Herinnering na 60 dagen")
    RECEIPT = "receipt", _("Herinnering: ontvangst overdracht niet bevestigd")


class TimelineKind(models.TextChoices):
    STATUS = "status", _("Statuswijziging")
    CLAIM = "claim", _("Opgepakt")
    RECLASSIFIED = "reclassified", _("Urgentie gewijzigd")
    MEASURE = "measure", _("Maatregel bijgewerkt")
    REMINDER = "reminder", _("Herinnering of escalatie")
    PURGED = "purged", _("Gegevens verwijderd (bewaartermijn)")
    DOCUMENT = "document", _("Document toegevoegd")
    MESSAGE = "message", _("Bericht")


# The positions the scheme covers; a waterschap's dijkgraaf and DB members share one position.
ELIGIBLE_POSITIONS = frozenset(
    {
        Position.BURGEMEESTER,
        Position.WETHOUDER,
        Position.GEDEPUTEERDE,
        Position.CDK,
        Position.DIJKGRAAF,
    }
)

# National yearly contribution of BZK to the measures (euro).
NATIONAL_BUDGET_EUR = 2_500_000

# How long an adviser is taken by an appointment: the double-booking check treats two
# appointments as overlapping when these slots overlap.
INTAKE_SLOT_MINUTES = 60
SCAN_SLOT_MINUTES = 120


# Who a hand-off to the Stelsel Bewaken en Beveiligen can reach: a police unit, or the
# NCTV's Dienst Bewaken en Beveiligen (DBB) for the persons in the national domain.
NCTV_DBB = "nctv_dbb"
RECEIVING_UNITS = [*PoliceUnit.choices, (NCTV_DBB, _("NCTV / Dienst Bewaken en Beveiligen"))]
# Working days BZK waits for the receiving unit to confirm receipt before the intake
# officer is reminded (settings.VEILIGWONEN_HANDOFF_RECEIPT_DAYS overrides it).
HANDOFF_RECEIPT_WORKING_DAYS = 2


class HandoffCancelReason(models.TextChoices):
    """Why a hand-off that waits for its receipt is taken back: the case returns to BZK in
    the state it was handed off from (``services.cancel_handoff``)."""

    REFUSED = "refused", _("De ontvangende eenheid neemt de zaak niet over")
    ERROR = "error", _("De overdracht is ten onrechte vastgelegd")


class DocumentKind(models.TextChoices):
    SCAN_REPORT = "scan_report", _("Rapport van de woningscan")
    QUOTE = "quote", _("Offerte")
    INVOICE = "invoice", _("Factuur")
    OTHER = "other", _("Ander document")
