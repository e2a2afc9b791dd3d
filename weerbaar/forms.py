from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    NATIONAL_ROLES,
    POSITION_ROLES,
    POSITIONS_BY_KIND,
    ROLES_ABSENT_BY_KIND,
    OrganisationKind,
    Role,
)
from .invitations import can_invite
from .membership_rules import SENSITIVE_ROLES
from .models import Organisation


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    full_name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    position = forms.ChoiceField(
        label=_("Functie (alleen voor ambtsdragers)"),
        choices=[("", "—")]
        + [(p.value, p.label) for p in POSITIONS_BY_KIND[OrganisationKind.GEMEENTE]]
        + [(p.value, p.label) for p in POSITIONS_BY_KIND[OrganisationKind.PROVINCIE]]
        + [(p.value, p.label) for p in POSITIONS_BY_KIND[OrganisationKind.WATERSCHAP]],
        required=False,
    )
    valid_until = forms.DateField(
        label=_("Tot en met (verplicht voor kandidaten)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")},
        help_text=_(
            "Een kandidaat kan melden tot en met deze dag, bijvoorbeeld tot de installatie "
            "van de nieuwe raad. Daarna ziet de kandidaat alleen de eigen meldingen nog."
        ),
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        if inviter.has_role(Role.FUNCTIONEEL_BEHEERDER):
            self.fields["organisation"].queryset = Organisation.objects.all()
        else:
            org_ids = inviter.organisations_with_role(Role.GRIFFIER, Role.SECRETARIS)
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids)
            self.fields["role"].choices = [
                (r.value, r.label) for r in Role if r not in NATIONAL_ROLES
            ]

    def clean(self):
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        position = data.get("position")
        email = data.get("email")
        if email and email.lower() == self.inviter.email.lower():
            self.add_error("email", _("U kunt uzelf geen rol geven. Vraag een collega."))
        if organisation and role:
            if not can_invite(self.inviter, organisation, role):
                raise forms.ValidationError(
                    _("U mag voor deze organisatie geen mensen met deze rol uitnodigen.")
                )
            if role in NATIONAL_ROLES and organisation.kind != OrganisationKind.NATIONAL:
                self.add_error("role", _("Deze rol hoort bij een landelijke organisatie."))
            if role in ROLES_ABSENT_BY_KIND.get(organisation.kind, ()):
                self.add_error("role", _("Deze organisatie kent deze rol niet."))
            if role in POSITION_ROLES:
                allowed = POSITIONS_BY_KIND[OrganisationKind(organisation.kind)]
                if position not in allowed:
                    self.add_error("position", _("Kies een functie die bij deze organisatie past."))
            elif position:
                self.add_error(
                    "position",
                    _("Alleen (oud-)ambtsdragers en kandidaten hebben een functie."),
                )
        clean_valid_until(self, data)
        return data


# The longest election period a griffier can set for a candidate.
CANDIDATE_MAX_DAYS = 366


def clean_valid_until(form, data):
    """A membership's last day ("tot en met"), required for a candidate, whose membership
    ends with the election period: today or later and within a year. Kept in ``data`` as
    the end of that day."""
    until = data.get("valid_until")
    if "valid_until" in form.errors:
        return
    if data.get("role") == Role.CANDIDATE and until is None:
        form.add_error("valid_until", _("Vul in tot wanneer de kandidaat kan melden (dd-mm-jjjj)."))
        return
    if until is None:
        return
    today = timezone.localdate()
    if until < today:
        form.add_error("valid_until", _("Deze datum ligt in het verleden."))
    elif until > today + timedelta(days=CANDIDATE_MAX_DAYS):
        form.add_error("valid_until", _("Kies een datum binnen een jaar. Verlengen kan later."))
    else:
        data["valid_until"] = end_of_day(until)


def end_of_day(day):
    """The moment ``day`` (a date, "tot en met") is over, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class DecisionForm(forms.Form):
    """Approve or refuse a membership request; a refusal needs a reason."""

    decision = forms.ChoiceField(choices=[("approve", _("Goedkeuren")), ("refuse", _("Weigeren"))])
    reason = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Verplicht bij weigeren. Noem geen inhoud van meldingen."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Geef aan waarom u de aanvraag weigert."))
        return data


def sensitive_role_note():
    return _(
        "Rollen die meldingen van anderen zien (%(roles)s) gaan pas in als een tweede persoon "
        "ze heeft goedgekeurd."
    ) % {"roles": ", ".join(str(Role(r).label) for r in Role if r in SENSITIVE_ROLES)}


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Uw naam"), max_length=200)
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Minstens 12 tekens. Een zin van een paar woorden is sterk en goed te onthouden."
        ),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nogmaals"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De wachtwoorden zijn niet gelijk."))
        if p1:
            from .models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
