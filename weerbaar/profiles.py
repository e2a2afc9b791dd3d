"""The organisation's profile as the rest of the portal reads and writes it: the header of
its documents (PDFs and letters), what the domicile of an aangifte still lacks, who may keep
it, and the one write path for changes (locked, audited with the names of the fields that
changed, never their values)."""

import base64
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .constants import ROLES_ABSENT_BY_KIND, AuditAction, OrganisationKind, Role, role_title
from .models import OrganisationProfile

__all__ = [
    "EDITOR_ROLES",
    "DocumentHeader",
    "PoliceContacts",
    "can_edit_profile",
    "document_header",
    "document_name_from_reference",
    "editor_titles",
    "has_domicile",
    "missing_for_aangifte",
    "police_contacts",
    "profile_for",
    "update_profile",
]

# The roles of an organisation that keep its profile (the functioneel beheerder keeps every
# organisation's).
EDITOR_ROLES = (Role.GRIFFIER, Role.SECRETARIS)

# The parts of the domicile an aangifte needs, with how the screen names each when missing.
_DOMICILE_PARTS = (
    ("visit_street", lambda: _("straat en huisnummer van het bezoekadres")),
    ("visit_postcode", lambda: _("postcode van het bezoekadres")),
    ("visit_place", lambda: _("plaats van het bezoekadres")),
)


@dataclass(frozen=True)
class DocumentHeader:
    """What a document of the organisation shows about it. ``address_lines`` is the visiting
    address (the domicile), ``()`` while incomplete; ``logo`` a ``data:`` URI or ``None``."""

    name: str
    address_lines: tuple
    postal_address_lines: tuple
    phone: str
    email: str
    logo: str | None


def profile_for(organisation):
    """The organisation's profile, or an unsaved empty one: reading never writes."""
    try:
        return organisation.profile
    except OrganisationProfile.DoesNotExist:
        return OrganisationProfile(organisation=organisation)


def document_name_from_reference(*, kind, name):
    """How the reference data names an organisation on a document: "Gemeente Utrecht",
    "Provincie Fryslân", "Waterschap Aa en Maas" — but "Hoogheemraadschap van Delfland" and
    "Wetterskip Fryslân" already carry their type word (SOURCES.md)."""
    if kind == OrganisationKind.NATIONAL:
        return name
    if kind == OrganisationKind.WATERSCHAP and name.split()[0].lower() in {
        "hoogheemraadschap",
        "wetterskip",
        "waterschap",
    }:
        return name
    return f"{OrganisationKind(kind).label} {name}"


def document_header(organisation):
    """The header of a document of ``organisation`` (PDFs, letters). Takes the organisation
    by position or by keyword: helpers of other apps call it either way."""
    profile = profile_for(organisation)
    logo = None
    if profile.logo:
        encoded = base64.b64encode(bytes(profile.logo)).decode("ascii")
        logo = f"data:{profile.logo_type};base64,{encoded}"
    return DocumentHeader(
        name=profile.document_name
        or document_name_from_reference(kind=organisation.kind, name=organisation.name),
        address_lines=profile.visiting_address_lines,
        postal_address_lines=profile.postal_address_lines,
        phone=profile.phone,
        email=profile.email,
        logo=logo,
    )


def has_domicile(organisation):
    """Whether the domicile is complete (``missing_for_aangifte`` empty), without building
    its labels: the national readiness page asks it of every organisation."""
    profile = profile_for(organisation)
    return all(getattr(profile, field) for field, _label in _DOMICILE_PARTS)


def missing_for_aangifte(organisation):
    """The parts of the domicile that are not filled in (labels); empty when complete."""
    profile = profile_for(organisation)
    return [str(label()) for field, label in _DOMICILE_PARTS if not getattr(profile, field)]


@dataclass(frozen=True)
class PoliceContacts:
    """The organisation's police unit (its label, "" when not chosen), its local police
    contact and its ELA contact, each as one line ("" when none is filled in)."""

    unit: str
    police: str
    ela: str


def _contact_line(*parts):
    return " — ".join(p for p in parts if p)


def police_contacts(organisation):
    """Whom an aangifte of ``organisation`` goes to, from its profile (incidents copies it
    onto the aangifte record)."""
    profile = profile_for(organisation)
    return PoliceContacts(
        unit=profile.get_police_unit_display() if profile.police_unit else "",
        police=_contact_line(
            profile.police_district,
            profile.police_contact_name,
            profile.police_contact_phone,
            profile.police_contact_email,
        ),
        ela=_contact_line(
            profile.ela_contact_name, profile.ela_contact_phone, profile.ela_contact_email
        ),
    )


def editor_titles(*, organisation):
    """The role titles of the people of ``organisation`` who keep its profile, e.g.
    ["Griffier", "Gemeentesecretaris"]; a waterschap has no griffier."""
    absent = ROLES_ABSENT_BY_KIND.get(organisation.kind, frozenset())
    return [str(role_title(r, organisation.kind)) for r in EDITOR_ROLES if r not in absent]


def can_edit_profile(user, *, organisation):
    return user.has_role(Role.FUNCTIONEEL_BEHEERDER) or user.has_role(
        *EDITOR_ROLES, organisation=organisation
    )


@transaction.atomic
def update_profile(*, organisation, actor, values, logo=None, remove_logo=False, request=None):
    """Write ``values`` ({field: value}) and the logo (``(bytes, content type)`` already
    re-encoded, see ``weerbaar.images``) to the profile. A changed field is the
    organisation's own from then on (out of ``from_reference``). Returns the names of the
    changed fields; nothing changed writes nothing."""
    profile, created = OrganisationProfile.objects.get_or_create(organisation=organisation)
    profile = OrganisationProfile.objects.select_for_update().get(pk=profile.pk)
    changed = [name for name, value in values.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, values[name])
    if logo is not None:
        profile.logo, profile.logo_type = logo
        changed.append("logo")
    elif remove_logo and profile.logo:
        profile.logo, profile.logo_type = None, ""
        changed.append("logo")
    if not changed and not created:
        return []
    profile.from_reference = [f for f in profile.from_reference if f not in changed]
    profile.updated_by = actor
    profile.save()
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        obj=profile,
        request=request,
        organisation=organisation,
        fields=sorted(changed),
    )
    return changed
