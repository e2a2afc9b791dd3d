"""Choices of the OTWB tour, each with a Dutch label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TourKind(models.TextChoices):
    MAIN = "main", _("Hoofdronde")
    FOLLOW_UP = "follow_up", _("Vervolgronde")


class TrajectStatus(models.TextChoices):
    NOT_APPROACHED = "not_approached", _("Nog niet benaderd")
    INVITED = "invited", _("Uitgenodigd")
    CALLED = "called", _("Gebeld")
    VOORGESPREK_PLANNED = "voorgesprek_planned", _("Voorgesprek gepland")
    VOORGESPREK_HELD = "voorgesprek_held", _("Voorgesprek gehouden")
    SESSION_PLANNED = "session_planned", _("Sessie gepland")
    SESSION_HELD = "session_held", _("Sessie gehouden")
    FOLLOW_UP = "follow_up", _("Vervolgafspraken")
    COMPLETED = "completed", _("Afgerond")
    DECLINED = "declined", _("Afgezien")


class InvitationChannel(models.TextChoices):
    LETTER = "letter", _("Brief")
    EMAIL = "email", _("E-mail")


class Theme(models.TextChoices):
    """Themes of the needs inventory made in a voorgesprek."""

    ONLINE = "online", _("Online intimidatie")
    HOME = "home", _("Veiligheid thuis")
    REPORTING = "reporting", _("Melden en aangifte")
    INTEGRITY = "integrity", _("Integriteit")
    GRIFFIE = "griffie", _("Rol van de griffie")
    SOCIAL_SAFETY = "social_safety", _("Onderling gedrag en sociale veiligheid")
    MEDIA = "media", _("Media en publieke optredens")


class SessionKind(models.TextChoices):
    COUNCIL = "council", _("Raadsbrede of Statenbrede sessie")
    FOLLOW_UP = "follow_up", _("Vervolgtraining")
    DRIEHOEK = "driehoek", _("Regionale driehoeksessie")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    CONFIRMED = "confirmed", _("Bevestigd")
    HELD = "held", _("Gehouden")
    CANCELLED = "cancelled", _("Geannuleerd")


class TrainerKind(models.TextChoices):
    VERTROUWENSPERSOON = "vertrouwenspersoon", _("Vertrouwenspersoon")
    EXPERT = "expert", _("Expert")


class TrainerOrigin(models.TextChoices):
    NGB = "ngb", _("Nederlands Genootschap van Burgemeesters")
    WETHOUDERS = "wethouders", _("Wethoudersvereniging")
    NVVR = "nvvr", _("NVvR")
    STATENLID = "statenlid", _("Statenlid.nu")
    OTHER = "other", _("Anders")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Geplaatst")
    WAITING = "waiting", _("Wachtlijst")
    CANCELLED = "cancelled", _("Afgemeld")


class SweepKind(models.TextChoices):
    """What a periodic sweep did once to one object."""

    REMINDER_7D = "reminder_7d", _("Herinnering 7 dagen vooraf")
    REMINDER_1D = "reminder_1d", _("Herinnering 1 dag vooraf")
    EVALUATION_REQUEST = "evaluation_request", _("Verzoek om evaluatie")
    NO_SESSION_NUDGE = "no_session_nudge", _("Nog geen sessie na voorgesprek")
    AGREEMENT_OVERDUE = "agreement_overdue", _("Vervolgafspraak verlopen")


class Rating(models.IntegerChoices):
    POOR = 1, _("1 – slecht")
    FAIR = 2, _("2 – matig")
    OK = 3, _("3 – voldoende")
    GOOD = 4, _("4 – goed")
    EXCELLENT = 5, _("5 – uitstekend")
