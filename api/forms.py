from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Role
from weerbaar.models import Organisation

from .constants import CLIENT_ROLES, Scope

__all__ = ["ClientRequestForm"]


class ClientRequestForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de koppeling"),
        max_length=100,
        help_text=_("Bijvoorbeeld het registratiesysteem dat de meldingen ophaalt."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(
        label=_("Ziet wat deze rol ziet"),
        choices=[(r.value, r.label) for r in CLIENT_ROLES],
        initial=Role.SECRETARIS,
    )
    scopes = forms.MultipleChoiceField(
        label=_("Rechten"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.MELDINGEN_LEZEN],
        help_text=_(
            "Geef vrije tekst en persoonsgegevens alleen als het systeem die echt nodig heeft."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
