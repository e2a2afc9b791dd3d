"""Forms of the organisation's own protocol pages (steps, letter templates) and of making
a letter from a case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import LetterKind
from .letters import unknown_placeholders
from .models import LocalStep

MAX_LETTER = 20_000


class LocalStepForm(forms.ModelForm):
    class Meta:
        model = LocalStep
        fields = ["title", "title_en", "owner_role", "due_days", "order", "active"]
        help_texts = {
            "title_en": _("Voor wie het portaal in het Engels gebruikt; mag leeg blijven."),
            "due_days": _("Werkdagen na het indienen van de melding (feestdagen tellen niet)."),
            "order": _("Eigen stappen staan na de landelijke, in deze volgorde."),
            "active": _("Uitgezette stappen komen niet meer op nieuwe meldingen."),
        }

    def clean_due_days(self):
        days = self.cleaned_data["due_days"]
        if days > 60:
            raise forms.ValidationError(_("Kies een termijn van hoogstens 60 werkdagen."))
        return days


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Tekst van de brief"),
        max_length=MAX_LETTER,
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text=_("Een lege regel begint een nieuwe alinea."),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self):
        data = super().clean()
        unknown = unknown_placeholders(self.kind, data.get("subject", ""), data.get("body", ""))
        if unknown:
            raise forms.ValidationError(
                _("Deze invulvelden kunnen in deze brief niet worden gebruikt: %(names)s."),
                params={"names": ", ".join(f"{{{{ {n} }}}}" for n in unknown)},
            )
        return data


class LetterRequestForm(forms.Form):
    prefix = "brief"
    kind = forms.ChoiceField(label=_("Brief"), choices=LetterKind.choices)
    perpetrator_name = forms.CharField(
        label=_("Naam van de pleger"),
        required=False,
        max_length=200,
        help_text=_("Nodig voor de waarschuwingsbrief; wordt niet opgeslagen."),
    )
    perpetrator_address = forms.CharField(
        label=_("Adres van de pleger"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen voor de waarschuwingsbrief; wordt niet opgeslagen."),
    )
    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("docx", "Word (.docx)")])
