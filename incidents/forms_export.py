"""The export form of the triage dashboard: the file format and whether the reporters' own
words go with it."""

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["FORMATS", "ExportForm"]

FORMATS = [("csv", _("CSV (puntkomma-gescheiden, UTF-8)")), ("xlsx", _("Excel (XLSX)"))]


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Bestandsformaat"),
        choices=FORMATS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een bestandsformaat: CSV of Excel.")},
    )
    with_text = forms.BooleanField(
        label=_("Vrije tekst meenemen"),
        required=False,
        help_text=_(
            "Dan staan ook de omschrijving van wat er gebeurde, wat de melder over de pleger "
            "schreef en de getuigen in het bestand: vaak met namen en andere "
            "persoonsgegevens. Dat u dit kiest, wordt vastgelegd, en de melder ziet bij de "
            "eigen melding dat u die hebt bekeken."
        ),
    )
