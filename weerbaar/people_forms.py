"""The people page's forms: ending one membership, and the list after an election."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

__all__ = ["ElectionForm", "EndForm"]

# Far enough for any term (a council sits four years); further is a typing error.
LATEST_YEARS = 6


def _date_field(**kwargs):
    return forms.DateField(
        label=_("Einddatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={
            "required": _("Vul de einddatum in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-03-2027."),
        },
        **kwargs,
    )


def _clean_end(day, valid_from=None):
    today = timezone.localdate()
    if day < today:
        raise forms.ValidationError(_("Kies vandaag of een latere datum."))
    if day > today + timedelta(days=366 * LATEST_YEARS):
        raise forms.ValidationError(_("Deze datum ligt te ver in de toekomst."))
    if valid_from is not None and day < timezone.localdate(valid_from):
        raise forms.ValidationError(_("De rol ging later in dan deze datum."))
    return day


class _EndFields(forms.Form):
    reason = forms.CharField(
        label=_("Reden (niet verplicht)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: niet herkozen, verhuisd. Noem geen inhoud van meldingen."),
    )
    former = forms.BooleanField(
        label=_("Blijft daarna melden als oud-ambtsdrager bij deze organisatie"),
        required=False,
        initial=True,
        help_text=_(
            "Haal het vinkje weg als de persoon naar een andere organisatie gaat of dit niet "
            "wil. Eigen meldingen en berichten blijven altijd te lezen."
        ),
    )
    acknowledged = forms.BooleanField(
        label=_("Ik begrijp dat de organisatie dan niemand heeft die meldingen ontvangt"),
        required=False,
    )

    def __init__(self, *args, needs_ack=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_ack = needs_ack

    def clean(self):
        data = super().clean()
        if self.needs_ack and self.data.get("bevestigen") and not data.get("acknowledged"):
            self.add_error(
                "acknowledged",
                _("Bevestig dat u weet dat dan niemand de meldingen ontvangt."),
            )
        return data


class EndForm(_EndFields):
    """End one membership: a date (today is now), a reason, and for an office holder
    whether they go on as a former one."""

    until = _date_field(
        help_text=_("Vanaf deze dag heeft de persoon de rol niet meer. Vandaag: direct.")
    )
    field_order = ["until", "reason", "former", "acknowledged"]

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["until"].initial = timezone.localdate()
        if membership.role != "office_holder":
            del self.fields["former"]

    def clean_until(self):
        day = _clean_end(self.cleaned_data["until"], self.membership.valid_from)
        planned = self.membership.valid_until
        if planned is not None and day >= timezone.localdate(planned):
            raise forms.ValidationError(
                _("Het einde is al gepland op %(date)s. U kunt het alleen vervroegen.")
                % {"date": date_format(timezone.localtime(planned), "j F Y")}
            )
        return day


class ElectionForm(_EndFields):
    """After an election: who stays (re-elected, or staying on), one date for the others."""

    until = _date_field(
        help_text=_("Meestal de dag waarop de nieuwe raad of het nieuwe bestuur begint.")
    )
    staying = forms.TypedMultipleChoiceField(
        label=_("Herkozen of blijft"), coerce=int, required=False
    )
    field_order = ["staying", "until", "reason", "former", "acknowledged"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {m.pk: m for m in candidates}
        self.fields["staying"].choices = [(pk, str(m)) for pk, m in self.candidates.items()]

    def clean_until(self):
        return _clean_end(self.cleaned_data["until"])

    def clean(self):
        data = super().clean()
        staying = set(data.get("staying") or [])
        data["leaving"] = [m for pk, m in self.candidates.items() if pk not in staying]
        if "staying" in data and not data["leaving"]:
            raise forms.ValidationError(
                _(
                    "Iedereen blijft: er is niemand om te beëindigen. Haal de vinkjes weg "
                    "bij wie stopt."
                )
            )
        return data
