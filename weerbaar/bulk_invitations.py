"""A whole council at once (issue 20 §2): a list of people is checked row by row before
anything is made, and only a list without errors is sent, in one transaction, as one
invitation per person (each its own membership request and email in the outbox; see
``weerbaar.invitations``).

Checking costs the same few queries for 45 rows as for 2,000: the people already in the
organisation and the open invitations are read once for every address on the list."""

import re
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .bulk_parsing import ListError, Row, parse_file, parse_text, to_text
from .constants import (
    POSITION_ROLES,
    POSITIONS_BY_KIND,
    ROLES_ABSENT_BY_KIND,
    OrganisationKind,
    Role,
    position_title,
    role_title,
)
from .invitations import create_invitations
from .membership_rules import SENSITIVE_ROLES, may_request
from .models import Invitation, Membership

__all__ = [
    "ListError",
    "Row",
    "create_all",
    "parse_file",
    "parse_text",
    "position_names",
    "to_text",
    "validate",
]

LOCAL_ROLES = (Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER)
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y")


def _key(text):
    return " ".join(text.lower().replace("–", "-").split())


def vocabulary(kind):
    """What the position column may say in an organisation of ``kind`` → (role, position):
    the offices (also as "kandidaat-…" and "oud-…"), "ambtenaar", and the local roles by
    their name there ("griffier", "gemeentesecretaris", "voorzitter")."""
    kind = OrganisationKind(kind)
    words = {}
    for position in POSITIONS_BY_KIND[kind]:
        for name in {position.value, str(position.label)}:
            words[_key(name)] = (Role.OFFICE_HOLDER, position.value)
        for role in (Role.CANDIDATE, Role.FORMER_OFFICE_HOLDER):
            title = _key(str(position_title(role, position)))
            words[title] = (role, position.value)
            words[title.replace("-", " ", 1)] = (role, position.value)
    if kind != OrganisationKind.NATIONAL:
        for name in ("ambtenaar", str(Role.CIVIL_SERVANT.label), "medewerker"):
            words[_key(name)] = (Role.CIVIL_SERVANT, "")
        absent = ROLES_ABSENT_BY_KIND.get(kind, frozenset())
        for role in LOCAL_ROLES:
            if role in absent:
                continue
            for name in (role.value, str(role.label), str(role_title(role, kind))):
                words.setdefault(_key(name), (role, ""))
    return words


def position_names(kind):
    """The names to show as examples on the page, one per meaning."""
    seen, names = set(), []
    for name, meaning in vocabulary(kind).items():
        if meaning not in seen and not name.endswith(")") and "_" not in name:
            seen.add(meaning)
            names.append(name)
    return names


def _parse_date(text):
    for fmt in DATE_FORMATS:
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if date(2000, 1, 1) <= value <= date(2100, 1, 1):
            return value
    return None


def _label(row, kind):
    if row.role in POSITION_ROLES:
        return str(position_title(row.role, row.position))
    return str(role_title(row.role, kind))


def _check_row(row, words, kind):
    if row.extra:
        row.errors.append(
            _("Deze regel heeft meer dan vier kolommen: naam, e-mailadres, functie, startdatum.")
        )
    if not row.name:
        row.errors.append(_("Vul een naam in."))
    elif len(row.name) > 200:
        row.errors.append(_("De naam is langer dan 200 tekens."))
    row.email = row.email.strip().strip("<>").lower()
    if not row.email:
        row.errors.append(_("Vul een e-mailadres in."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("“%(email)s” is geen geldig e-mailadres.") % {"email": row.email})
    meaning = words.get(_key(row.position_text))
    if not row.position_text:
        row.errors.append(_("Vul een functie in, bijvoorbeeld raadslid of ambtenaar."))
    elif meaning is None:
        row.errors.append(
            _("Onbekende functie “%(text)s” voor een %(kind)s.")
            % {"text": row.position_text, "kind": OrganisationKind(kind).label.lower()}
        )
    else:
        row.role, row.position = meaning
    if row.start_text:
        row.valid_from = _parse_date(row.start_text)
        if row.valid_from is None:
            row.errors.append(
                _("“%(text)s” is geen datum. Schrijf de startdatum als dd-mm-jjjj.")
                % {"text": row.start_text}
            )


def _existing(organisation, emails):
    """(email, role, position) of roles held or not yet started, and of open invitations,
    in ``organisation`` for these addresses: two queries, whatever the number."""
    now = timezone.now()
    held = set(
        Membership.objects.filter(organisation=organisation, user__email__in=emails)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .values_list("user__email", "role", "position")
    )
    invited = {
        (email, role, position): sent
        for email, role, position, sent in Invitation.objects.open(now)
        .filter(organisation=organisation, email__in=emails)
        .values_list("email", "role", "position", "created_at")
    }
    return held, invited


def validate(rows, *, inviter, organisation):
    """Fill each row's role, position, start date and Dutch errors; returns the rows."""
    kind = organisation.kind
    words = vocabulary(kind)
    first_row = {}
    for row in rows:
        _check_row(row, words, kind)
        if row.email:
            if row.email in first_row:
                row.errors.append(
                    _("Dit e-mailadres staat ook op regel %(n)s.") % {"n": first_row[row.email]}
                )
            else:
                first_row[row.email] = row.number
        if row.email and row.email == inviter.email.lower():
            row.errors.append(_("U kunt uzelf geen rol geven. Vraag een collega."))
        if row.role and not may_request(inviter, organisation=organisation, role=row.role):
            row.errors.append(
                _("U mag voor %(organisation)s geen %(role)s uitnodigen.")
                % {"organisation": str(organisation), "role": _label(row, kind).lower()}
            )
    held, invited = _existing(organisation, list(first_row))
    for row in rows:
        if not row.role:
            continue
        key = (row.email, row.role, row.position)
        if key in held:
            row.errors.append(
                _("Deze persoon is al %(role)s bij %(organisation)s.")
                % {"role": _label(row, kind).lower(), "organisation": str(organisation)}
            )
        elif key in invited:
            row.errors.append(
                _(
                    "Deze persoon is op %(date)s al uitgenodigd als %(role)s. Verstuur die "
                    "uitnodiging zo nodig opnieuw."
                )
                % {
                    "date": timezone.localtime(invited[key]).strftime("%d-%m-%Y"),
                    "role": _label(row, kind).lower(),
                }
            )
    return rows


def label(row, organisation):
    return _label(row, organisation.kind) if row.role else ""


def needs_second_person(row):
    return row.role in SENSITIVE_ROLES


def _start(day):
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def create_all(rows, *, inviter, organisation, request=None):
    """Invite everyone on a checked list, all or nothing. Returns the invitations."""
    if not rows or any(row.errors for row in rows):
        raise ValueError("only a checked list without errors is sent")
    return create_invitations(
        inviter=inviter,
        organisation=organisation,
        people=[
            {
                "email": row.email,
                "full_name": row.name,
                "role": row.role,
                "position": row.position,
                "valid_from": _start(row.valid_from),
            }
            for row in rows
        ],
        request=request,
    )


def digest(text):
    """A fingerprint of the list as checked, so that a list changed after its preview is
    checked again before it is sent."""
    import hashlib

    normal = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(normal.encode()).hexdigest()[:32]
