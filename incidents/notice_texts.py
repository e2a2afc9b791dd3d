"""What a notification about a melding says, and where on the case page it leads.

A notification says what happened, never what the case holds: no description, category,
place or person involved, only the role of whoever acted ("De griffier heeft uw melding in
behandeling genomen"). Email and push pass through other people's servers, and an inbox is
read over a shoulder. Its link leads to the section of the case page concerned (the ``id``
of a section of templates/incidents/case.html or reporter_case.html).

The texts are lazy: ``weerbaar.notifications`` words them in each recipient's language, not
in the language of whoever acted."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.constants import role_title

from .constants import JobKind, Status
from .routing import TRIAGE_ROLES

__all__ = [
    "MESSAGES",
    "MESSAGE_KIND",
    "Notice",
    "assigned",
    "case_link",
    "escalated",
    "message_to_handlers",
    "message_to_reporter",
    "new_melding",
    "now_acute",
    "reminder",
    "shared",
    "status_changed",
    "withdrawn",
]

# Sections of the case page. The reporter's page (and that of someone it is shared with) has
# only the timeline and the messages.
OVERVIEW = "overzicht"
ASSESSMENT = "beoordeling"
AFTERCARE = "nazorg"
AANGIFTE = "aangifte"
MESSAGES = "berichten"
TIMELINE = "tijdlijn"


# The kind of the notification a message on a melding sends. Its link leads to the messages
# (``MESSAGES``); the start page's "new message" flag and opening the case match it by that
# link (``filters.new_message_flag``, ``views.case.detail``).
MESSAGE_KIND = "incidents.message"


def case_link(melding_or_pk, section=""):
    """The case page, at ``section`` when given."""
    pk = getattr(melding_or_pk, "pk", melding_or_pk)
    link = reverse("incidents:case", args=[pk])
    return f"{link}#{section}" if section else link


@dataclass(frozen=True)
class Notice:
    subject: object
    body: object
    section: str

    def link(self, melding):
        return case_link(melding, self.section)


def _later(build):
    """``build()``, called when the text is made a string (in the recipient's language)."""
    return lazy(build, str)()


def _by_role(role, anonymous, named):
    """``anonymous`` when the actor holds no triage role, else ``named`` (lazy, with
    ``%(role)s``) with the role filled in; both worded in the recipient's language."""
    if role is None:
        return anonymous
    return _later(lambda: str(named) % {"role": role})


def actor_role(actor, melding):
    """The role in which ``actor`` handles ``melding`` ("griffier", "vertrouwenspersoon
    OTWB"), lowercase as it stands in a sentence; None when they hold no triage role."""
    roles = [m for m in actor.active_memberships if m.role in TRIAGE_ROLES]
    if not roles:
        return None
    own = [m for m in roles if m.organisation_id == melding.route_organisation_id]
    membership = (own or roles)[0]
    title = role_title(membership.role, membership.organisation.kind)

    def in_a_sentence():
        text = str(title)
        return text[:1].lower() + text[1:]

    return _later(in_a_sentence)


# --- to the reporter ---------------------------------------------------------------------

_STATUS_SUBJECTS = {
    Status.IN_TRIAGE: gettext_lazy("Uw melding is in behandeling genomen"),
    Status.IN_FOLLOW_UP: gettext_lazy("Uw melding wordt opgevolgd"),
    Status.CLOSED: gettext_lazy("Uw melding is afgesloten"),
}


# (without a role, with one) per status reached; "reopened" when it left CLOSED.
_STATUS_BODIES = {
    "reopened": (
        gettext_lazy("Uw melding is heropend."),
        gettext_lazy("De %(role)s heeft uw melding heropend."),
    ),
    Status.IN_TRIAGE: (
        gettext_lazy("Uw melding is in behandeling genomen."),
        gettext_lazy("De %(role)s heeft uw melding in behandeling genomen."),
    ),
    Status.IN_FOLLOW_UP: (
        gettext_lazy("Uw melding is in opvolging genomen."),
        gettext_lazy("De %(role)s heeft uw melding in opvolging genomen."),
    ),
    Status.CLOSED: (
        gettext_lazy("Uw melding is afgesloten."),
        gettext_lazy("De %(role)s heeft uw melding afgesloten."),
    ),
}


def _status_body(old, new, role):
    texts = _STATUS_BODIES.get("reopened" if old == Status.CLOSED else new)
    if texts is None:
        return _("De status van uw melding is gewijzigd.")
    return str(_by_role(role, *texts))


def status_changed(melding, old, new, *, actor):
    """A triager moved the reporter's melding (acknowledged, followed up, closed, reopened)."""
    role = actor_role(actor, melding)
    if old == Status.CLOSED:
        subject = gettext_lazy("Uw melding is heropend")
    else:
        subject = _STATUS_SUBJECTS.get(new, gettext_lazy("Uw melding is bijgewerkt"))
    body = _later(
        lambda: " ".join(
            (_status_body(old, new, role), _("Log in om de tijdlijn van uw melding te bekijken."))
        )
    )
    return Notice(subject, body, TIMELINE)


def message_to_reporter(melding, *, actor):
    body = _by_role(
        actor_role(actor, melding),
        gettext_lazy("Er is een nieuw bericht bij uw melding. Log in om het te lezen."),
        gettext_lazy(
            "De %(role)s heeft u een bericht gestuurd bij uw melding. Log in om het te lezen."
        ),
    )
    return Notice(gettext_lazy("Nieuw bericht bij uw melding"), body, MESSAGES)


# --- to the people who handle it ---------------------------------------------------------


def message_to_handlers():
    return Notice(
        gettext_lazy("Nieuw bericht van de melder"),
        gettext_lazy(
            "De melder heeft een bericht gestuurd bij een melding die u behandelt. Log in om "
            "het te lezen."
        ),
        MESSAGES,
    )


def new_melding(*, resent=False):
    if resent:
        return Notice(
            gettext_lazy("Melding opnieuw ingediend"),
            gettext_lazy(
                "Een ingetrokken melding is opnieuw ingediend en staat klaar voor u. Log in "
                "om de ontvangst te bevestigen."
            ),
            OVERVIEW,
        )
    return Notice(
        gettext_lazy("Nieuwe melding"),
        gettext_lazy(
            "Er is een nieuwe melding voor u. Log in om die te bekijken en de ontvangst te "
            "bevestigen."
        ),
        OVERVIEW,
    )


def withdrawn():
    return Notice(
        gettext_lazy("Melding ingetrokken"),
        gettext_lazy(
            "De melder heeft een melding die u behandelt ingetrokken. Log in om de tijdlijn te "
            "bekijken."
        ),
        TIMELINE,
    )


def now_acute(melding, *, actor):
    body = _by_role(
        actor_role(actor, melding),
        gettext_lazy("Een melding is als acuut aangemerkt. Log in om die te bekijken."),
        gettext_lazy(
            "De %(role)s heeft een melding als acuut aangemerkt. Log in om die te bekijken."
        ),
    )
    return Notice(gettext_lazy("Melding is acuut"), body, ASSESSMENT)


def assigned(melding, *, actor):
    body = _by_role(
        actor_role(actor, melding),
        gettext_lazy("Er is een melding aan u toegewezen. Log in om die te bekijken."),
        gettext_lazy("De %(role)s heeft een melding aan u toegewezen. Log in om die te bekijken."),
    )
    return Notice(gettext_lazy("Melding aan u toegewezen"), body, ASSESSMENT)


def shared(melding, *, actor):
    """To the person a triager shared the melding with; they see the reporter's view of it."""
    body = _by_role(
        actor_role(actor, melding),
        gettext_lazy("Er is een melding met u gedeeld. Log in om die te bekijken."),
        gettext_lazy("De %(role)s heeft een melding met u gedeeld. Log in om die te bekijken."),
    )
    return Notice(gettext_lazy("Een melding is met u gedeeld"), body, TIMELINE)


def escalated(level):
    """The acknowledgement deadline passed: a reminder to the handlers (level 1), then the
    melding goes to the voorzitter (2) and the OTWB (3)."""
    if level <= 1:
        body = gettext_lazy(
            "De termijn voor de ontvangstbevestiging van een melding die u behandelt is "
            "verstreken. Log in om de ontvangst te bevestigen."
        )
    else:
        body = gettext_lazy(
            "Een melding is naar u doorgezet omdat de ontvangst niet binnen de termijn is "
            "bevestigd. Log in om die te bekijken."
        )
    return Notice(gettext_lazy("Melding wacht op ontvangstbevestiging"), body, OVERVIEW)


_REMINDERS = {
    JobKind.AFTERCARE: (
        gettext_lazy("Herinnering: nazorg"),
        gettext_lazy(
            "Het is tijd om de nazorg na te gaan bij een melding die u behandelt. Log in om die "
            "vast te leggen."
        ),
        AFTERCARE,
    ),
    JobKind.AANGIFTE: (
        gettext_lazy("Herinnering: stand van de aangifte"),
        gettext_lazy(
            "De stand van de aangifte bij een melding die u behandelt is al twee weken niet "
            "bijgewerkt. Log in om die na te gaan."
        ),
        AANGIFTE,
    ),
    JobKind.AANGIFTE_POLICE: (
        gettext_lazy("Herinnering: politie heeft de aangifte niet bevestigd"),
        gettext_lazy(
            "De politie heeft een aangifte bij een melding die u behandelt nog niet bevestigd. "
            "Neem contact op met de politie of de ELA-contactpersoon en leg de bevestiging vast."
        ),
        AANGIFTE,
    ),
    JobKind.IDLE: (
        gettext_lazy("Herinnering: melding ligt stil"),
        gettext_lazy(
            "Er is al twee weken niets gebeurd bij een melding die u behandelt. Log in om die "
            "te bekijken."
        ),
        TIMELINE,
    ),
}


def reminder(kind):
    subject, body, section = _REMINDERS.get(
        kind,
        (
            gettext_lazy("Herinnering"),
            gettext_lazy(
                "Er is een herinnering bij een melding die u behandelt. Log in om die te bekijken."
            ),
            OVERVIEW,
        ),
    )
    return Notice(subject, body, section)
