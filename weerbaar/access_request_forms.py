"""The forms of asking for an account (public) and of deciding on it (griffier)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .access_requests import REQUESTABLE_ROLES
from .constants import POSITION_ROLES, POSITIONS_BY_KIND, OrganisationKind, Role
from .forms import clean_valid_until
from .models import Organisation

__all__ = ["AccessDecisionForm", "AccessRequestForm"]

KINDS = (
    (OrganisationKind.GEMEENTE, _("Gemeenten")),
    (OrganisationKind.PROVINCIE, _("Provincies")),
    (OrganisationKind.WATERSCHAP, _("Waterschappen")),
)

ROLE_CHOICES = [
    (Role.OFFICE_HOLDER.value, _("Ik ben ambtsdrager (bijvoorbeeld raadslid of wethouder)")),
    (Role.CANDIDATE.value, _("Ik ben kandidaat bij de verkiezingen")),
    (Role.FORMER_OFFICE_HOLDER.value, _("Ik was ambtsdrager")),
    (Role.CIVIL_SERVANT.value, _("Ik werk bij de organisatie (ambtenaar)")),
]
assert {value for value, _label in ROLE_CHOICES} == set(REQUESTABLE_ROLES)


def organisation_choices():
    """Every gemeente, provincie and waterschap, grouped by kind, by name: one query."""
    groups = {kind: [] for kind, _label in KINDS}
    rows = Organisation.objects.filter(kind__in=groups).order_by("name")
    for pk, name, kind in rows.values_list("pk", "name", "kind"):
        # As the portal names them everywhere: "Gemeente Utrecht", "Provincie Utrecht".
        groups[kind].append((pk, f"{OrganisationKind(kind).label} {name}"))
    return [("", _("Kies uw organisatie"))] + [(label, groups[kind]) for kind, label in KINDS]


def position_choices():
    return [("", "—")] + [
        (label, [(p.value, p.label) for p in POSITIONS_BY_KIND[kind]]) for kind, label in KINDS
    ]


class LongSelect(forms.Select):
    template_name = "weerbaar/widgets/long_select.html"


class AccessRequestForm(forms.Form):
    name = forms.CharField(
        label=_("Uw naam"),
        max_length=200,
        error_messages={"required": _("Vul uw naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Hier komt de uitnodiging naartoe als uw aanvraag wordt goedgekeurd."),
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisatie"),
        coerce=int,
        widget=LongSelect,
        error_messages={
            "required": _("Kies de organisatie waarvoor u toegang vraagt."),
            "invalid_choice": _("Kies een organisatie uit de lijst."),
        },
        help_text=_("De gemeente, provincie of het waterschap van uw (kandidaat)functie."),
    )
    role = forms.ChoiceField(
        label=_("Wat is uw rol?"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies uw rol.")},
    )
    position = forms.ChoiceField(
        label=_("Functie"),
        required=False,
        error_messages={"invalid_choice": _("Kies een functie uit de lijst.")},
        help_text=_(
            "Voor ambtsdragers, kandidaten en oud-ambtsdragers: de functie die u heeft, "
            "waarvoor u kandidaat bent of die u had."
        ),
    )
    message = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld op welke lijst u staat. Beschrijf hier geen voorval."),
        error_messages={"max_length": _("Gebruik hoogstens 1000 tekens.")},
    )
    # A field people never see: a program that fills in every field fills this one too.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices()
        self.fields["position"].choices = position_choices()

    @property
    def is_automated(self):
        return bool(self.cleaned_data.get("website"))

    def clean_organisation(self):
        pk = self.cleaned_data["organisation"]
        organisation = Organisation.objects.filter(pk=pk).exclude(kind="national").first()
        if organisation is None:
            raise forms.ValidationError(_("Kies een organisatie uit de lijst."))
        return organisation

    def clean(self):
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        position = data.get("position")
        if role in POSITION_ROLES:
            if not position:
                self.add_error("position", _("Kies uw functie."))
            elif organisation and position not in POSITIONS_BY_KIND[organisation.kind]:
                self.add_error(
                    "position",
                    _("Deze functie hoort niet bij %(organisation)s. Kies een andere functie.")
                    % {"organisation": organisation},
                )
        elif role and position:
            data["position"] = ""
        return data


class AccessDecisionForm(forms.Form):
    """Approve (a candidate: until when) or refuse with a reason."""

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("approve", _("Goedkeuren en uitnodigen")), ("refuse", _("Weigeren"))],
        # Sent by the button pressed; an error about it is shown without a link to a field.
        widget=forms.HiddenInput,
        error_messages={"required": _("Kies goedkeuren of weigeren.")},
    )
    valid_until = forms.DateField(
        label=_("Tot en met (alleen voor kandidaten)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("De laatste dag waarop de kandidaat kan melden."),
        error_messages={"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")},
    )
    reason = forms.CharField(
        label=_("Reden (bij weigeren)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Blijft in het portaal; de aanvrager krijgt alleen bericht dat het niet is gelukt."
        ),
    )

    def __init__(self, *args, access_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.access_request = access_request
        if access_request.role != Role.CANDIDATE:
            del self.fields["valid_until"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Geef aan waarom u de aanvraag weigert."))
        if decision == "approve" and "valid_until" in self.fields:
            # The same rules as for inviting a candidate by hand.
            checked = {"valid_until": data.get("valid_until"), "role": Role.CANDIDATE}
            clean_valid_until(self, checked)
            data["valid_until"] = checked["valid_until"]
        return data
