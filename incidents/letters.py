"""Letters a triager generates from a case: the acknowledgement to the reporter, the
warning letter to a known perpetrator and the request to the police to register under
ELA/VPT, as PDF and as an editable .docx.

The text is the organisation's template (or the national default): plain text with a fixed,
named set of placeholders. ``fill`` replaces them with a regular expression, once, and leaves
everything else as it was typed — the text never reaches the template engine, so
``{{ 7*7 }}`` or ``{% load %}`` stay literal. The filled text is escaped for its format by
whoever writes it: Django's autoescape in the fixed PDF template, the XML writer of
python-docx in the .docx. Only the placeholders a kind allows are filled (``ALLOWED``):
nothing else of the melding is read, and the warning letter never names the reporter."""

import re
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.models import Organisation
from weerbaar.profiles import document_header, editor_titles, missing_for_aangifte

from .constants import LetterKind
from .letter_texts import DEFAULTS
from .models import LetterTemplate

__all__ = [
    "ALLOWED",
    "PLACEHOLDERS",
    "Letter",
    "LetterRefused",
    "build",
    "fill",
    "letter_organisation",
    "template_for",
    "unknown_placeholders",
]

PLACEHOLDERS = {
    "organisatie": gettext_lazy("de naam van de organisatie zoals op haar documenten"),
    "organisatie_adres": gettext_lazy("het bezoekadres van de organisatie (domicilie)"),
    "datum": gettext_lazy("de datum van vandaag"),
    "kenmerk": gettext_lazy("het kenmerk van de melding"),
    "melder_naam": gettext_lazy("de naam van de melder"),
    "functie_melder": gettext_lazy("de functie van de melder (raadslid, wethouder, …)"),
    "dader_naam": gettext_lazy("de naam van de pleger (in te vullen bij het maken)"),
    "datum_voorval": gettext_lazy("de datum van het voorval"),
    "ondertekenaar": gettext_lazy("de naam van wie de brief maakt"),
}

_COMMON = {"organisatie", "organisatie_adres", "datum", "datum_voorval", "ondertekenaar"}
ALLOWED = {
    LetterKind.ACKNOWLEDGEMENT: _COMMON | {"kenmerk", "melder_naam"},
    # To the perpetrator: the perpetrator's name, never the reporter's (nor the kenmerk).
    LetterKind.WARNING: _COMMON | {"dader_naam"},
    LetterKind.POLICE_REQUEST: _COMMON | {"kenmerk", "melder_naam", "functie_melder", "dader_naam"},
}

TOKEN = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
# Characters XML 1.0 cannot hold (the .docx would not open); tab and newline stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class LetterRefused(Exception):
    """The letter cannot be made as asked; the message (Dutch) says why and who can help."""


def unknown_placeholders(kind, *texts):
    """Placeholder names in ``texts`` that this kind does not fill, for the edit form."""
    return sorted({m for t in texts for m in TOKEN.findall(t)} - ALLOWED[LetterKind(kind)])


def fill(text, values):
    """``text`` with each allowed ``{{ naam }}`` replaced by its value, in one pass (a value
    that looks like a placeholder stays as it is); anything else is left literally."""

    def replace(match):
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _CONTROL.sub("", TOKEN.sub(replace, text))


def template_for(organisation, kind):
    """The organisation's own template, else the national row, else the built-in default
    (unsaved). One query."""
    rows = {
        row.organisation_id: row
        for row in LetterTemplate.objects.filter(kind=kind, organisation__in=[organisation])
        | LetterTemplate.objects.filter(kind=kind, organisation__isnull=True)
    }
    if organisation.pk in rows:
        return rows[organisation.pk]
    if None in rows:
        return rows[None]
    subject, body = DEFAULTS[LetterKind(kind)]
    return LetterTemplate(organisation=None, kind=kind, subject=subject, body=body)


def _header(organisation):
    """The organisation's letterhead from its profile (``weerbaar.profiles.document_header``):
    ``name``, ``address_lines``, ``phone``, ``email``, ``logo`` (a data URI or ""). Refuses
    when the domicile is incomplete: a letter never prints a placeholder for the address, and
    says who can fill it in."""
    if missing_for_aangifte(organisation):
        raise LetterRefused(
            _(
                "Het bezoekadres van %(org)s ontbreekt, dus deze brief kan nog niet worden "
                "gemaakt. %(editors)s van de organisatie (of de functioneel beheerder) kan het "
                "adres invullen in het profiel van de organisatie."
            )
            % {
                "org": organisation,
                "editors": _(" of ").join(editor_titles(organisation=organisation)),
            }
        )
    header = document_header(organisation)
    return {
        "name": header.name,
        "address_lines": list(header.address_lines),
        "phone": header.phone,
        "email": header.email,
        "logo": header.logo or "",
    }


def letter_organisation(melding):
    """Whose letter it is: the organisation the case was routed to; on the confidential
    route (no route organisation: the organisation must not learn of it) the OTWB."""
    if melding.route_organisation_id:
        return melding.route_organisation
    return Organisation.objects.get(code="OTWB")


def _date(value):
    with translation.override("nl"):
        return formats.date_format(timezone.localtime(value), "j F Y")


@dataclass
class Letter:
    kind: str
    header: dict
    recipient: list
    place_date: str
    subject: str
    paragraphs: list  # each a list of lines

    @property
    def filename_stem(self):
        return {
            LetterKind.ACKNOWLEDGEMENT: "ontvangstbevestiging",
            LetterKind.WARNING: "waarschuwingsbrief",
            LetterKind.POLICE_REQUEST: "verzoek-registratie-politie",
        }[LetterKind(self.kind)]


def _values(kind, melding, header, *, actor, perpetrator_name):
    """Only what ``kind`` allows is read from the melding."""
    known = {
        "organisatie": lambda: header["name"],
        "organisatie_adres": lambda: ", ".join(header["address_lines"]),
        "datum": lambda: _date(timezone.now()),
        "kenmerk": lambda: melding.reference,
        "melder_naam": lambda: melding.reporter.get_full_name() if melding.reporter else "",
        "functie_melder": lambda: str(melding.reporter_label).lower(),
        "dader_naam": lambda: perpetrator_name or _("onbekend"),
        "datum_voorval": lambda: (
            _date(melding.occurred_at) if melding.occurred_at else _("een onbekende datum")
        ),
        "ondertekenaar": lambda: actor.get_full_name(),
    }
    return {name: known[name]() for name in ALLOWED[kind]}


def _recipient(kind, values, perpetrator_address):
    if kind == LetterKind.ACKNOWLEDGEMENT:
        return [values["melder_naam"]]
    if kind == LetterKind.WARNING:
        lines = [line.strip() for line in (perpetrator_address or "").splitlines()]
        return [values["dader_naam"], *[fill(line, {}) for line in lines if line]]
    return [_("Politie"), _("t.a.v. de ELA-contactpersoon")]


def build(kind, melding, *, actor, perpetrator_name="", perpetrator_address=""):
    """The letter of ``kind`` for ``melding``, filled in; ``LetterRefused`` when the
    organisation lacks what it needs, or the warning letter lacks the perpetrator's name."""
    kind = LetterKind(kind)
    organisation = letter_organisation(melding)
    header = _header(organisation)
    if kind == LetterKind.WARNING and not perpetrator_name.strip():
        raise LetterRefused(_("Vul de naam van de pleger in voor de waarschuwingsbrief."))
    values = _values(kind, melding, header, actor=actor, perpetrator_name=perpetrator_name.strip())
    template = template_for(organisation, kind)
    body = fill(template.body.replace("\r\n", "\n"), values)
    paragraphs = [block.split("\n") for block in re.split(r"\n\s*\n", body.strip())]
    # The place of the letter: the address's last line without its postcode.
    city = re.sub(r"^\d{4}\s?[A-Za-z]{2}\s+", "", header["address_lines"][-1])
    return Letter(
        kind=kind,
        header=header,
        recipient=_recipient(kind, values, perpetrator_address),
        place_date=f"{city}, {values['datum']}" if city else values["datum"],
        subject=fill(template.subject, values),
        paragraphs=paragraphs,
    )
