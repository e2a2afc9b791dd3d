from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Gemeente")
    PROVINCIE = "provincie", _("Provincie")
    WATERSCHAP = "waterschap", _("Waterschap")
    NATIONAL = "national", _("Landelijke organisatie")


class Role(models.TextChoices):
    OFFICE_HOLDER = "office_holder", _("Ambtsdrager")
    CIVIL_SERVANT = "civil_servant", _("Ambtenaar")
    # Stands for an office in an election period the griffier sets (the membership's end).
    CANDIDATE = "candidate", _("Kandidaat")
    # Held an office; reports what still happens to them because of it (issue 20 §3).
    FORMER_OFFICE_HOLDER = "former_office_holder", _("Oud-ambtsdrager")
    GRIFFIER = "griffier", _("Griffier")
    SECRETARIS = "secretaris", _("Secretaris")
    VOORZITTER = "voorzitter", _("Voorzitter")
    VERTROUWENSPERSOON = "vertrouwenspersoon", _("Vertrouwenspersoon OTWB")
    OTWB_COORDINATOR = "otwb_coordinator", _("Coördinator OTWB")
    VW_INTAKE = "vw_intake", _("Intake Veilig Wonen (BZK)")
    SECURITY_ADVISER = "security_adviser", _("Beveiligingsadviseur (CCV)")
    BVA = "bva", _("Beveiligingsautoriteit (BZK)")
    ANALYST = "analyst", _("Analist (BZK)")
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder", _("Functioneel beheerder")


class Position(models.TextChoices):
    """The office an office holder holds; it decides where a melding goes."""

    BURGEMEESTER = "burgemeester", _("Burgemeester")
    WETHOUDER = "wethouder", _("Wethouder")
    RAADSLID = "raadslid", _("Raadslid")
    STATENLID = "statenlid", _("Statenlid")
    GEDEPUTEERDE = "gedeputeerde", _("Gedeputeerde")
    CDK = "cdk", _("Commissaris van de Koning")
    DIJKGRAAF = "dijkgraaf", _("Dijkgraaf / lid dagelijks bestuur")
    AB_LID = "ab_lid", _("Lid algemeen bestuur")


class SeatSource(models.TextChoices):
    """Where a number of seats (``weerbaar.SeatCount``) comes from."""

    REFERENCE = "reference", _("Referentiegegevens")
    ORGANISATION = "organisation", _("Opgegeven door de organisatie")


class PoliceUnit(models.TextChoices):
    """The ten regional units of the Dutch national police and the Landelijke Eenheid: who
    an organisation's aangifte goes to, and who a Veilig Wonen hand-off can reach."""

    NOORD_NEDERLAND = "noord_nederland", _("Politie-eenheid Noord-Nederland")
    OOST_NEDERLAND = "oost_nederland", _("Politie-eenheid Oost-Nederland")
    MIDDEN_NEDERLAND = "midden_nederland", _("Politie-eenheid Midden-Nederland")
    NOORD_HOLLAND = "noord_holland", _("Politie-eenheid Noord-Holland")
    AMSTERDAM = "amsterdam", _("Politie-eenheid Amsterdam")
    DEN_HAAG = "den_haag", _("Politie-eenheid Den Haag")
    ROTTERDAM = "rotterdam", _("Politie-eenheid Rotterdam")
    ZEELAND_WEST_BRABANT = "zeeland_west_brabant", _("Politie-eenheid Zeeland-West-Brabant")
    OOST_BRABANT = "oost_brabant", _("Politie-eenheid Oost-Brabant")
    LIMBURG = "limburg", _("Politie-eenheid Limburg")
    LANDELIJKE_EENHEID = "landelijke_eenheid", _("Landelijke Eenheid")


class Gender(models.TextChoices):
    """A reporter's self-declared gender, for the monitor's aggregates only. Not answering
    is stored as an empty value, never as one of these."""

    VROUW = "vrouw", _("Vrouw")
    MAN = "man", _("Man")
    ANDERS = "anders", _("Anders")
    NOT_SAID = "niet_gezegd", _("Zeg ik liever niet")


# Roles that file meldingen about what happens to themselves and see only their own.
REPORTER_ROLES = frozenset(
    {Role.OFFICE_HOLDER, Role.CIVIL_SERVANT, Role.CANDIDATE, Role.FORMER_OFFICE_HOLDER}
)

# Roles whose membership names a position: the office held, stood for, or once held.
POSITION_ROLES = frozenset({Role.OFFICE_HOLDER, Role.CANDIDATE, Role.FORMER_OFFICE_HOLDER})

# Roles that must use a second factor: everyone who sees other people's cases.
ROLES_WITHOUT_MFA_REQUIREMENT = REPORTER_ROLES

# Roles that belong to a national body rather than to a gemeente, provincie or waterschap.
NATIONAL_ROLES = frozenset(
    {
        Role.VERTROUWENSPERSOON,
        Role.OTWB_COORDINATOR,
        Role.VW_INTAKE,
        Role.SECURITY_ADVISER,
        Role.BVA,
        Role.ANALYST,
        Role.FUNCTIONEEL_BEHEERDER,
    }
)

# Who may hand out which role, and who must approve it: weerbaar.membership_rules.RULES.

# Positions that belong to each kind of organisation.
POSITIONS_BY_KIND = {
    OrganisationKind.GEMEENTE: [Position.BURGEMEESTER, Position.WETHOUDER, Position.RAADSLID],
    OrganisationKind.PROVINCIE: [Position.CDK, Position.GEDEPUTEERDE, Position.STATENLID],
    OrganisationKind.WATERSCHAP: [Position.DIJKGRAAF, Position.AB_LID],
    OrganisationKind.NATIONAL: [],
}


# What a receiving role is called in each kind of organisation (DESIGN §4): the same three
# roles hold different offices — a provincie has a Statengriffier and the Commissaris van de
# Koning as chair, a waterschap a secretaris-directeur and the dijkgraaf as chair, and no
# griffier at all (``ROLES_ABSENT_BY_KIND``). Shown wherever a role of an organisation is named.
ROLE_TITLES = {
    OrganisationKind.GEMEENTE: {
        Role.GRIFFIER: _("Griffier"),
        Role.SECRETARIS: _("Gemeentesecretaris"),
        Role.VOORZITTER: _("Burgemeester (voorzitter)"),
    },
    OrganisationKind.PROVINCIE: {
        Role.GRIFFIER: _("Statengriffier"),
        Role.SECRETARIS: _("Provinciesecretaris"),
        Role.VOORZITTER: _("Commissaris van de Koning (voorzitter)"),
    },
    OrganisationKind.WATERSCHAP: {
        Role.SECRETARIS: _("Secretaris-directeur"),
        Role.VOORZITTER: _("Dijkgraaf (voorzitter)"),
    },
}

ROLES_ABSENT_BY_KIND = {OrganisationKind.WATERSCHAP: frozenset({Role.GRIFFIER})}


def role_title(role, kind):
    """The name of ``role`` in an organisation of ``kind`` (the generic label elsewhere)."""
    return ROLE_TITLES.get(kind, {}).get(role) or Role(role).label


# A candidate's and a former office holder's position, as it is said: "kandidaat-raadslid",
# "oud-burgemeester".
POSITION_PREFIX = {
    Role.CANDIDATE: _("Kandidaat-%(position)s"),
    Role.FORMER_OFFICE_HOLDER: _("Oud-%(position)s"),
}


def position_title(role, position):
    """``position`` as held in ``role``: the office itself for an office holder."""
    label = Position(position).label
    prefix = POSITION_PREFIX.get(role)
    return prefix % {"position": label[:1].lower() + label[1:]} if prefix else label


class NationalBody(models.TextChoices):
    BZK = "BZK", _("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
    CCV = "CCV", _("Centrum voor Criminaliteitspreventie en Veiligheid")
    OTWB = "OTWB", _("Ondersteuningsteam Weerbaar Bestuur")


class AuditAction(models.TextChoices):
    LOGIN = "auth.login", _("Ingelogd")
    LOGOUT = "auth.logout", _("Uitgelogd")
    LOGIN_FAILED = "auth.login_failed", _("Mislukte inlogpoging")
    MFA_ADDED = "mfa.added", _("Tweede factor toegevoegd")
    MFA_REMOVED = "mfa.removed", _("Tweede factor verwijderd")
    MFA_REQUIRED = "mfa.required", _("Tweede factor vereist")
    MFA_FAILED = "mfa.failed", _("Foute code tweede factor")
    MFA_LOCKED = "mfa.locked", _("Tweede factor geblokkeerd")
    MFA_UNLOCKED = "mfa.unlocked", _("Blokkade tweede factor opgeheven")
    ACCESS_DENIED = "access.denied", _("Toegang geweigerd")
    VIEW = "record.view", _("Bekeken")
    CREATE = "record.create", _("Aangemaakt")
    UPDATE = "record.update", _("Gewijzigd")
    TRANSITION = "record.transition", _("Status gewijzigd")
    EXPORT = "record.export", _("Geëxporteerd")
    DOWNLOAD = "record.download", _("Gedownload")
    GRANT = "grant.add", _("Toegang gedeeld")
    REVOKE = "grant.revoke", _("Gedeelde toegang ingetrokken")
    INVITE = "invitation.create", _("Uitnodiging verstuurd")
    INVITE_ACCEPTED = "invitation.accept", _("Uitnodiging aanvaard")
    INVITE_RESENT = "invitation.resend", _("Uitnodiging opnieuw verstuurd")
    INVITE_REVOKED = "invitation.revoke", _("Uitnodiging ingetrokken")
    MEMBERSHIP_ENDED = "membership.end", _("Lidmaatschap beëindigd")
    MEMBERSHIP_END_PLANNED = "membership.end_planned", _("Einde lidmaatschap gepland")
    MEMBERSHIP_END_CANCELLED = "membership.end_cancelled", _("Gepland einde ingetrokken")
    MEMBERSHIP_REQUESTED = "membership.request", _("Rol aangevraagd")
    MEMBERSHIP_APPROVED = "membership.approve", _("Rolaanvraag goedgekeurd")
    MEMBERSHIP_REFUSED = "membership.refuse", _("Rolaanvraag geweigerd")
    MEMBERSHIP_GRANTED = "membership.grant", _("Rol gaat in")
    MEMBERSHIP_SEEDED = "membership.seed", _("Rol aangemaakt door het systeem")
    KEYS_ROTATED = "crypto.rotate", _("Sleutels vernieuwd")
    PURGE = "record.purge", _("Geanonimiseerd of verwijderd")
    SEARCH = "record.search", _("Gezocht")


class RequestDecision(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    APPROVED = "approved", _("Goedgekeurd")
    REFUSED = "refused", _("Geweigerd")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op verzending")
    # Claimed by a delivery run and being sent; due again when the claim's lease runs out.
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")
