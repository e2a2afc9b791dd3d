"""The gender question as a form: the four answers, or none."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Gender

__all__ = ["GenderForm"]


class GenderForm(forms.Form):
    gender = forms.ChoiceField(
        label=_("Wat is uw gender?"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een antwoord, of kies ‘Niet nu’.")},
    )
