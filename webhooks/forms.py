from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import EventType

__all__ = ["SubscriptionForm"]


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("Adres (https)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Het adres van uw systeem dat de berichten ontvangt, bijvoorbeeld "
            "https://zaken.gemeente.nl/webhooks/weerbaar."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Gebeurtenissen"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Een bericht noemt alleen de gebeurtenis en het nummer, nooit de inhoud."),
    )
