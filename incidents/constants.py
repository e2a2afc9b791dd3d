"""Choices of the melding domain, with Dutch labels (the words of the collective norm)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Verstuurd")
    IN_TRIAGE = "in_triage", _("In behandeling")
    IN_FOLLOW_UP = "in_follow_up", _("In opvolging")
    CLOSED = "closed", _("Afgesloten")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


OPEN_STATUSES = (Status.SUBMITTED, Status.IN_TRIAGE, Status.IN_FOLLOW_UP)


class Severity(models.TextChoices):
    LOW = "low", _("Laag")
    MEDIUM = "medium", _("Middel")
    HIGH = "high", _("Hoog")
    ACUTE = "acute", _("Acuut")


SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.ACUTE: 3}


class Category(models.TextChoices):
    VERBAL = "verbal", _("Verbale agressie")
    THREAT = "threat", _("Bedreiging")
    INTIMIDATION = "intimidation", _("Intimidatie")
    PHYSICAL = "physical", _("Fysiek geweld")
    DISCRIMINATION = "discrimination", _("Discriminatie")
    SEXUAL = "sexual", _("Seksuele intimidatie")
    ONLINE = "online", _("Online haat of bedreiging")
    DOXING = "doxing", _("Doxing (persoonsgegevens verspreid)")
    HOME_VISIT = "home_visit", _("Ongewenst huisbezoek")
    LEGAL = "legal", _("Juridische intimidatie of misbruik van procedures")
    CRIMINAL = "criminal", _("Criminele of ondermijnende druk")
    DAMAGE = "damage", _("Vernieling of schade aan eigendom")


# The proposal a triager starts from: the most serious category decides.
CATEGORY_SEVERITY = {
    Category.VERBAL: Severity.LOW,
    Category.DISCRIMINATION: Severity.MEDIUM,
    Category.LEGAL: Severity.MEDIUM,
    Category.INTIMIDATION: Severity.MEDIUM,
    Category.ONLINE: Severity.MEDIUM,
    Category.DAMAGE: Severity.MEDIUM,
    Category.SEXUAL: Severity.HIGH,
    Category.DOXING: Severity.HIGH,
    Category.HOME_VISIT: Severity.HIGH,
    Category.THREAT: Severity.HIGH,
    Category.CRIMINAL: Severity.HIGH,
    Category.PHYSICAL: Severity.ACUTE,
}

# Per the ELA agreements aangifte is always advised for these.
AANGIFTE_ALWAYS = frozenset({Category.PHYSICAL, Category.THREAT})


class Place(models.TextChoices):
    WORK = "work", _("Op het werk")
    HOME = "home", _("Thuis")
    PUBLIC = "public", _("In de openbare ruimte")
    ONLINE = "online", _("Online")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Persoonlijk")
    PHONE = "phone", _("Telefoon")
    MAIL = "mail", _("E-mail of brief")
    SOCIAL = "social", _("Sociale media")
    AT_HOME = "at_home", _("Aan huis")
    MEETING = "meeting", _("In een vergadering")


class Perpetrator(models.TextChoices):
    UNKNOWN = "unknown", _("Onbekend")
    KNOWN = "known", _("Bekend")


class About(models.TextChoices):
    """Who a melding is about: the office holder, or someone close to them who was targeted
    because of the office (issue 20 §4). It never changes the route: a family member's
    melding goes where the office holder's own would."""

    SELF = "self", _("De melder zelf")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder")
    OTHER_RELATIVE = "other_relative", _("Ander familielid of huisgenoot")


class HelpWanted(models.TextChoices):
    TALK = "talk", _("Een gesprek")
    AANGIFTE = "aangifte", _("Advies over aangifte")
    VERTROUWENSPERSOON = "vertrouwenspersoon", _("Een vertrouwenspersoon van het OTWB")
    SECURITY = "security", _("Advies over veiligheid")
    LEGAL = "legal", _("Juridische bijstand tegen intimiderende procedures")


class Route(models.TextChoices):
    """Who receives a melding; decided by the reporter's position at filing."""

    GRIFFIER = "griffier", _("Griffier")
    EXECUTIVE = "executive", _("Secretaris en voorzitter")
    SECRETARIS = "secretaris", _("Secretaris")
    CHAIR = "chair", _("Commissaris van de Koning en OTWB")
    CONFIDENTIAL = "confidential", _("Vertrouwenspersoon OTWB")


class Fallback(models.TextChoices):
    """Who stood in when nobody held a route's receiving role (``routing.CHAINS``). The
    organisation's roles use the values of ``weerbaar.constants.Role``, so the access scope
    compares them with a membership's role."""

    GRIFFIER = "griffier", _("Griffier")
    SECRETARIS = "secretaris", _("Secretaris")
    VOORZITTER = "voorzitter", _("Voorzitter")
    OTWB = "otwb", _("Vertrouwenspersonen OTWB")


class TimelineKind(models.TextChoices):
    STATUS = "status", _("Status")
    ASSIGNED = "assigned", _("Toegewezen")
    SEVERITY = "severity", _("Ernst")
    MESSAGE = "message", _("Bericht")
    STEP = "step", _("Stappenplan")
    AFTERCARE = "aftercare", _("Nazorg")
    PERPETRATOR = "perpetrator", _("Opvolging richting pleger")
    AANGIFTE = "aangifte", _("Aangifte")
    ATTACHMENT = "attachment", _("Bijlage")
    SHARED = "shared", _("Gedeeld")
    REMINDER = "reminder", _("Herinnering")
    ESCALATION = "escalation", _("Escalatie")
    NOTE = "note", _("Interne notitie")
    ROUTING = "routing", _("Ontvangers")


class JobKind(models.TextChoices):
    ESCALATION = "escalation", _("Escalatie ontvangstbevestiging")
    AFTERCARE = "aftercare", _("Nazorgcontrole")
    AANGIFTE = "aangifte", _("Aangiftestatus")
    AANGIFTE_POLICE = "aangifte_police", _("Aangifte niet bevestigd door de politie")
    IDLE = "idle", _("Stilliggende melding")


class EscalationLevel(models.IntegerChoices):
    REMINDER = 1, _("Herinnering aan behandelaar")
    VOORZITTER = 2, _("Escalatie naar de voorzitter")
    OTWB = 3, _("Escalatie naar het OTWB")


class Step(models.TextChoices):
    """The stappenplan, in the order it is worked."""

    ACKNOWLEDGE = "acknowledge", _("Ontvangst bevestigd en contact met de melder")
    SAFETY = "safety", _("Directe veiligheid geregeld")
    AFTERCARE_TALK = "aftercare_talk", _("Nazorggesprek (zo mogelijk dezelfde dag)")
    AANGIFTE_DECISION = "aangifte_decision", _("Besluit over aangifte")
    PERPETRATOR = "perpetrator", _("Opvolging richting pleger")
    INFORM_VOORZITTER = "inform_voorzitter", _("Voorzitter geïnformeerd")
    REGISTER = "register", _("Geregistreerd")
    EVALUATE = "evaluate", _("Geëvalueerd en afgesloten")


class AftercareKind(models.TextChoices):
    TALK = "talk", _("Gesprek")
    REFERRAL = "referral", _("Doorverwijzing")
    VERTROUWENSPERSOON = "vertrouwenspersoon", _("Vertrouwenspersoon OTWB")
    VEILIG_WONEN = "veilig_wonen", _("Aanvraag Veilig Wonen")
    LEGAL = "legal", _("Juridische bijstand")


# Help a reporter can ask for that the nazorg records as given, by the kind it is recorded
# under: the case shows what was asked and not yet given, the monitor counts both.
HELP_GIVEN_AS = {HelpWanted.LEGAL: AftercareKind.LEGAL}


class PerpetratorActionKind(models.TextChoices):
    CONVERSATION = "conversation", _("Gesprek")
    WARNING_LETTER = "warning_letter", _("Waarschuwingsbrief")
    ORDER_MEASURE = "order_measure", _("Ordemaatregel of verbod")
    CIVIL_DAMAGES = "civil_damages", _("Civiele schadevergoeding")
    CRIMINAL = "criminal", _("Strafrechtelijke weg")


class AangifteStatus(models.TextChoices):
    PREPARED = "prepared", _("Voorbereid")
    FILED = "filed", _("Gedaan")
    INVESTIGATION = "investigation", _("In onderzoek")
    OM_DECISION = "om_decision", _("Beslissing OM")
    CLOSED = "closed", _("Afgesloten")


# Working days the police have to confirm a filed aangifte before the triager is reminded
# (settings.INCIDENTS_AANGIFTE_CONFIRM_DAYS overrides it).
AANGIFTE_CONFIRM_WORKING_DAYS = 3


class AangifteFiler(models.TextChoices):
    REPORTER = "reporter", _("De melder zelf")
    EMPLOYER = "employer", _("De werkgever namens de melder")


class LetterKind(models.TextChoices):
    """The letters a triager can generate from a case (``incidents.letters``)."""

    ACKNOWLEDGEMENT = "acknowledgement", _("Ontvangstbevestiging aan de melder")
    WARNING = "warning", _("Waarschuwingsbrief aan de pleger")
    POLICE_REQUEST = "police_request", _("Verzoek aan de politie om registratie (ELA/VPT)")
