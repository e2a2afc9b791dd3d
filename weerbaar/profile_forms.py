"""The profile page's form: structured Dutch addresses with a checked postcode, contacts,
and a logo that is re-encoded before it is stored (``weerbaar.images``)."""

import re

import magic
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .constants import PoliceUnit, Position
from .images import image_pixels, reencode_image
from .seats import MAX_SEATS, allowed_seats, band_message, editable_positions

__all__ = ["LOGO_MAX_BYTES", "LOGO_MAX_PIXELS", "ProfileForm", "seat_field_name"]

LOGO_MAX_BYTES = 1024 * 1024
# A logo on an A4 header needs no more than a few hundred pixels a side.
LOGO_MAX_PIXELS = 4_000_000
LOGO_TYPES = {"image/png", "image/jpeg"}
# 1234 AB; the letter pairs SA, SD and SS are never issued.
POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?(?!SA|SD|SS)([A-Z]{2})$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{3,19}$")  # 14 033 is a gemeente number

# (legend, hint, field names) — the page shows the form in these groups.
FIELDSETS = (
    (_("Naam op documenten"), "", ("document_name",)),
    (
        _("Bezoekadres"),
        _(
            "Het bezoekadres is het domicilie bij een aangifte (ELA): de politie vermeldt dit "
            "adres, nooit het huisadres van de melder."
        ),
        ("visit_street", "visit_postcode", "visit_place"),
    ),
    (_("Postadres"), "", ("postal_street", "postal_postcode", "postal_place")),
    (_("Griffie of secretariaat"), "", ("phone", "email")),
    (
        _("Politie"),
        _(
            "De politie-eenheid, de wijkagent of het basisteam, en de contactpersoon voor de "
            "ELA-afspraken. Ze komen bij elke aangifte op de zaakpagina te staan."
        ),
        (
            "police_unit",
            "police_district",
            "police_contact_name",
            "police_contact_phone",
            "police_contact_email",
            "ela_contact_name",
            "ela_contact_phone",
            "ela_contact_email",
        ),
    ),
    (
        _("Contactpersoon voor het OTWB"),
        "",
        ("otwb_contact_name", "otwb_contact_phone", "otwb_contact_email"),
    ),
    (
        _("Logo"),
        _("PNG of JPEG, hoogstens 1 MB. Het logo komt bovenaan uw documenten."),
        ("logo", "remove_logo"),
    ),
)
SEATS_LEGEND = _("Zetels en functies")
SEATS_HINT = _(
    "Het aantal zetels of functies in uw organisatie. De monitor deelt het aantal meldingen "
    "erdoor; waar het leeg is, telt hij de ambtsdragers die in het portaal staan. Laat een "
    "veld leeg als u het niet weet."
)
TEXT_FIELDS = tuple(
    n for _l, _h, names in FIELDSETS for n in names if n not in ("logo", "remove_logo")
)


def seat_field_name(position):
    return f"seats_{position}"


def _text(label, *, max_length=200, autocomplete="off"):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


def _postcode(label):
    return forms.CharField(
        label=label,
        max_length=7,
        required=False,
        help_text=_("Bijvoorbeeld 3521 AZ."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "size": 7}),
    )


def _phone(label):
    return forms.CharField(
        label=label,
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "type": "tel"}),
    )


def _email(label):
    return forms.EmailField(
        label=label,
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@gemeente.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ProfileForm(forms.Form):
    document_name = _text(_("Naam van de organisatie op documenten"))
    visit_street = _text(_("Straat en huisnummer"))
    visit_postcode = _postcode(_("Postcode"))
    visit_place = _text(_("Plaats"), max_length=100)
    postal_street = _text(_("Straat en huisnummer of postbus"))
    postal_postcode = _postcode(_("Postcode"))
    postal_place = _text(_("Plaats"), max_length=100)
    phone = _phone(_("Telefoonnummer"))
    email = _email(_("E-mailadres"))
    police_unit = forms.ChoiceField(
        label=_("Politie-eenheid"),
        choices=[("", _("Kies de eenheid")), *PoliceUnit.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een politie-eenheid uit de lijst.")},
    )
    police_district = _text(_("Basisteam of district"))
    police_contact_name = _text(_("Wijkagent: naam"))
    police_contact_phone = _phone(_("Wijkagent: telefoonnummer"))
    police_contact_email = _email(_("Wijkagent: e-mailadres"))
    ela_contact_name = _text(_("ELA-contactpersoon: naam"))
    ela_contact_phone = _phone(_("ELA-contactpersoon: telefoonnummer"))
    ela_contact_email = _email(_("ELA-contactpersoon: e-mailadres"))
    otwb_contact_name = _text(_("Naam"))
    otwb_contact_phone = _phone(_("Telefoonnummer"))
    otwb_contact_email = _email(_("E-mailadres"))
    logo = forms.FileField(
        label=_("Nieuw logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Huidig logo verwijderen"), required=False)

    def __init__(self, *args, profile, seats=None, **kwargs):
        """``seats``: the organisation's {position: SeatCount}; a field for each position
        the organisation may enter (``weerbaar.seats.editable_positions``), no other."""
        initial = {name: getattr(profile, name) for name in TEXT_FIELDS}
        self.seat_positions = editable_positions(profile.organisation)
        for position in self.seat_positions:
            known = (seats or {}).get(position)
            initial[seat_field_name(position)] = known.seats if known else None
        super().__init__(*args, initial=initial, **kwargs)
        for position in self.seat_positions:
            self.fields[seat_field_name(position)] = self._seat_field(position)
        self.has_logo = bool(profile.logo)
        if not self.has_logo:
            del self.fields["remove_logo"]

    @staticmethod
    def _seat_field(position):
        allowed = allowed_seats(position)
        return forms.IntegerField(
            label=_("Aantal: %(position)s") % {"position": Position(position).label},
            required=False,
            min_value=min(allowed) if allowed else 1,
            max_value=max(allowed) if allowed else MAX_SEATS,
            help_text=band_message(position) if allowed else "",
            error_messages={
                "invalid": _("Vul een heel getal in, zoals 37."),
                "min_value": _("Vul een aantal van minstens %(limit_value)s in."),
                "max_value": _("Vul een aantal van hoogstens %(limit_value)s in."),
            },
            widget=forms.NumberInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        )

    def fieldsets(self):
        sets = [
            (legend, hint, [self[n] for n in names if n in self.fields])
            for legend, hint, names in FIELDSETS
        ]
        if self.seat_positions:
            fields = [self[seat_field_name(p)] for p in self.seat_positions]
            # Before the logo: the seats are about the organisation, the logo its looks.
            sets.insert(len(sets) - 1, (SEATS_LEGEND, SEATS_HINT, fields))
        return sets

    def _clean_postcode(self, name):
        value = " ".join(self.cleaned_data[name].upper().split())
        if not value:
            return ""
        match = POSTCODE.match(value)
        if not match:
            raise ValidationError(
                _("Vul een Nederlandse postcode in: vier cijfers en twee letters, zoals 3521 AZ.")
            )
        return f"{match[1]} {match[2]}"

    def clean_visit_postcode(self):
        return self._clean_postcode("visit_postcode")

    def clean_postal_postcode(self):
        return self._clean_postcode("postal_postcode")

    def _clean_phone(self, name):
        value = self.cleaned_data[name].strip()
        if value and not PHONE.match(value):
            raise ValidationError(
                _(
                    "Vul een telefoonnummer in met alleen cijfers, spaties of een +, zoals "
                    "030 286 00 00."
                )
            )
        return value

    def clean_phone(self):
        return self._clean_phone("phone")

    def clean_police_contact_phone(self):
        return self._clean_phone("police_contact_phone")

    def clean_ela_contact_phone(self):
        return self._clean_phone("ela_contact_phone")

    def clean_otwb_contact_phone(self):
        return self._clean_phone("otwb_contact_phone")

    def clean_logo(self):
        """(bytes, content type) of the re-encoded logo, or None when none was sent."""
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("Het logo is groter dan 1 MB."))
        data = upload.read()
        mime = magic.from_buffer(data[:4096], mime=True)
        if mime not in LOGO_TYPES:
            raise ValidationError(_("Het logo moet een PNG- of JPEG-afbeelding zijn."))
        image_pixels(data, max_pixels=LOGO_MAX_PIXELS)
        data, _ext = reencode_image(data, mime=mime)
        return data, mime

    def clean(self):
        cleaned = super().clean()
        for position in self.seat_positions:
            name = seat_field_name(position)
            allowed = allowed_seats(position)
            value = cleaned.get(name)
            if value is not None and allowed and value not in allowed:
                self.add_error(name, band_message(position))
        for prefix, label in (("visit", _("bezoekadres")), ("postal", _("postadres"))):
            parts = [f"{prefix}_street", f"{prefix}_postcode", f"{prefix}_place"]
            filled = [p for p in parts if cleaned.get(p)]
            if filled and len(filled) < 3:
                for p in parts:
                    if p not in filled and p not in self.errors:
                        self.add_error(
                            p,
                            _(
                                "Vul het hele %(label)s in: straat en huisnummer, postcode en "
                                "plaats."
                            )
                            % {"label": label},
                        )
        return cleaned

    def values(self):
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}

    def seat_values(self):
        """{position: seats or None} for the positions this organisation enters."""
        return {p: self.cleaned_data.get(seat_field_name(p)) for p in self.seat_positions}
