"""Forms of the Veilig Wonen steps. They validate input only; every change goes through
``veiligwonen.services``."""

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Role
from weerbaar.models import Membership, User
from weerbaar.templatetags.amounts import format_euro
from weerbaar.uploads import clean_upload

from .access import eligible_memberships
from .constants import (
    ELIGIBLE_POSITIONS,
    RECEIVING_UNITS,
    Domain,
    HandoffCancelReason,
    MeasureStatus,
    UrgencyClass,
)
from .models import MeasureType


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class DateInput(forms.DateInput):
    input_type = "date"


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} — {obj.label}, {obj.organisation.name}"


def applicant_choices(user):
    """Memberships the user may apply for: their own eligible ones, and as secretaris those
    of the eligible office holders of their organisation."""
    own = [m.pk for m in eligible_memberships(user)]
    orgs = user.organisations_with_role(Role.SECRETARIS)
    return (
        (
            Membership.objects.active()
            .filter(role=Role.OFFICE_HOLDER, position__in=ELIGIBLE_POSITIONS)
            .filter(pk__in=own)
            | Membership.objects.active().filter(
                role=Role.OFFICE_HOLDER, position__in=ELIGIBLE_POSITIONS, organisation_id__in=orgs
            )
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name")
    )


class ApplicationForm(forms.Form):
    membership = MembershipChoiceField(
        label=_("Voor wie is de aanvraag?"), queryset=Membership.objects.none(), empty_label=None
    )
    home_address = forms.CharField(
        label=_("Woonadres"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("Alleen zichtbaar voor u, de intakemedewerker, de adviseur en de BVA."),
    )
    household = forms.CharField(
        label=_("Samenstelling van het huishouden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Bijvoorbeeld partner en kinderen (leeftijden). Niet zichtbaar voor de werkgever."
        ),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    recent_threats = forms.BooleanField(label=_("Ik ben recent bedreigd"), required=False)
    public_exposure = forms.BooleanField(
        label=_("Ik sta publiek in de aandacht (bijvoorbeeld door het sluiten van een drugspand)"),
        required=False,
    )
    incidents_at_home = forms.BooleanField(
        label=_("Er zijn eerder incidenten bij mijn woning geweest"), required=False
    )
    planned_move = forms.BooleanField(label=_("Ik ga binnenkort verhuizen"), required=False)
    urgency_notes = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    linked_meldingen = forms.ModelMultipleChoiceField(
        label=_("Uw eigen meldingen die met deze aanvraag te maken hebben (optioneel)"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = applicant_choices(user)
        own = own_meldingen_queryset(user)
        if eligible_memberships(user) and own.exists():
            self.fields["linked_meldingen"].queryset = own
            self.fields["linked_meldingen"].label_from_instance = _melding_label
        else:
            del self.fields["linked_meldingen"]

    def clean_linked_meldingen(self):
        return [melding.pk for melding in self.cleaned_data["linked_meldingen"]]


def own_meldingen_queryset(user):
    """The user's own sent meldingen (only the applicant links meldingen: a secretaris
    filing on someone's behalf does not see theirs)."""
    melding = apps.get_model("incidents", "Melding")
    return melding.objects.filter(reporter=user).exclude(status="draft").order_by("-submitted_at")


def _melding_label(melding):
    when = date_format(melding.submitted_at, "j F Y") if melding.submitted_at else ""
    return f"{melding.reference} ({when})" if when else melding.reference


def _advisers():
    ids = Membership.objects.active().filter(role=Role.SECURITY_ADVISER).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name")


WHEN_ERRORS = {
    "required": _("Vul de datum en de tijd in."),
    "invalid": _("Vul een datum en tijd in, bijvoorbeeld 12-03-2027 14:30."),
}


class PlanIntakeForm(forms.Form):
    adviser = forms.ModelChoiceField(
        label=_("Beveiligingsadviseur"),
        queryset=User.objects.none(),
        empty_label=_("Kies een adviseur"),
        error_messages={"required": _("Kies de adviseur die het intakegesprek houdt.")},
    )
    when = forms.DateTimeField(
        label=_("Datum en tijd van het intakegesprek"),
        widget=DateTimeInput,
        error_messages=WHEN_ERRORS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = _advisers()

    def fix_adviser_choices(self):
        """Read the advisers once, as the widget's fixed choices (the texts the queryset's
        would give), and return them: the part of the empty form's HTML read from the
        database. Validation still checks the choice against the queryset."""
        field = self.fields["adviser"]
        advisers = [
            (pk, full_name or email)
            for pk, full_name, email in field.queryset.values_list("pk", "full_name", "email")
        ]
        field.widget.choices = [("", field.empty_label), *advisers]
        return advisers


class HoldIntakeForm(forms.Form):
    findings = forms.CharField(
        label=_("Bevindingen van het intakegesprek"), widget=forms.Textarea(attrs={"rows": 5})
    )
    urgency_class = forms.ChoiceField(
        label=_("Urgentieklasse na de intake"), choices=UrgencyClass.choices
    )


class HandOffForm(forms.Form):
    """The referral: to which unit, whom there, when, under their reference, and the threat
    as the unit needs to know it (it goes into the referral document)."""

    unit = forms.ChoiceField(
        label=_("Ontvangende eenheid"),
        choices=[("", _("Kies de eenheid")), *RECEIVING_UNITS],
        error_messages={"required": _("Kies de politie-eenheid of de NCTV/DBB.")},
    )
    contact_person = forms.CharField(
        label=_("Contactpersoon bij de eenheid"),
        max_length=200,
        error_messages={"required": _("Vul de naam in van de contactpersoon bij de eenheid.")},
    )
    handed_over_on = forms.DateField(
        label=_("Datum van de overdracht"),
        widget=DateInput,
        error_messages={
            "required": _("Vul de datum van de overdracht in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 12-03-2027."),
        },
    )
    reference = forms.CharField(
        label=_("Kenmerk van de eenheid"),
        max_length=100,
        error_messages={"required": _("Vul het kenmerk in dat de eenheid aan de zaak gaf.")},
    )
    note = forms.CharField(
        label=_("Samenvatting van de dreiging voor de eenheid"),
        help_text=_(
            "Komt in het overdrachtsdocument. Schrijf alleen wat de eenheid nodig heeft; "
            "huishouden en bevindingen van intake of woningscan gaan niet mee."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Vat de dreiging samen voor de ontvangende eenheid.")},
    )

    def clean_handed_over_on(self):
        day = self.cleaned_data["handed_over_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("De datum van de overdracht ligt in de toekomst."))
        return day


class HandoffReceiptForm(forms.Form):
    received_by = forms.CharField(
        label=_("Ontvangst bevestigd door (naam bij de eenheid)"),
        max_length=200,
        error_messages={"required": _("Vul in wie bij de eenheid de ontvangst bevestigde.")},
    )
    received_on = forms.DateField(
        label=_("Datum van de bevestiging"),
        widget=DateInput,
        error_messages={
            "required": _("Vul de datum van de bevestiging in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 12-03-2027."),
        },
    )


class CancelHandoffForm(forms.Form):
    """Taking a hand-off back before its receipt: why (the unit refused, or it was recorded
    in error) and BZK's own note (not sent to the applicant)."""

    reason = forms.ChoiceField(
        label=_("Waarom wordt de overdracht teruggenomen?"),
        choices=HandoffCancelReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies waarom de overdracht wordt teruggenomen.")},
    )
    note = forms.CharField(
        label=_("Toelichting voor BZK"),
        help_text=_(
            "Bijvoorbeeld wat de eenheid zei. De aanvrager ziet deze toelichting niet; die "
            "hoort alleen dat de aanvraag niet wordt overgedragen en dat BZK haar verder "
            "behandelt."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf kort op waarom de overdracht wordt teruggenomen.")},
    )


class NotEligibleForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)


class PlanScanForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Datum en tijd van de woningscan"), widget=DateTimeInput, error_messages=WHEN_ERRORS
    )


class ScanForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain in Domain:
            self.fields[domain.value] = forms.CharField(
                label=_("Bevindingen: %(domein)s") % {"domein": domain.label},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )


class SummaryForm(forms.Form):
    """The summary, saved on its own or sent along when the draft goes to the BVA."""

    summary = forms.CharField(
        label=_("Samenvatting van het advies"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _(
                "Schrijf eerst een samenvatting van het advies. Zonder samenvatting kan het "
                "advies niet ter beoordeling."
            )
        },
    )


class MeasureTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({format_euro(obj.estimated_cost)})"


class AddMeasureForm(forms.Form):
    measure_type = MeasureTypeChoiceField(
        label=_("Maatregel uit de catalogus"),
        queryset=MeasureType.objects.filter(is_active=True),
        empty_label=_("Kies een maatregel"),
        error_messages={"required": _("Kies een maatregel uit de catalogus.")},
    )
    estimated_cost = forms.DecimalField(
        label=_("Geschatte kosten in euro (leeg: het bedrag uit de catalogus)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
    )
    notes = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[
            ("approve", _("Goedkeuren en uitbrengen")),
            ("return", _("Terugsturen met opmerkingen")),
        ],
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label=_("Opmerkingen (verplicht bij terugsturen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("remarks") or "").strip():
            self.add_error("remarks", _("Geef aan wat er aan het advies moet veranderen."))
        return data


class MeasureUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    actual_cost = forms.DecimalField(
        label=_("Werkelijke kosten (EUR)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
    )
    completed_on = forms.DateField(label=_("Datum"), required=False, widget=DateInput)
    decline_reason = forms.CharField(label=_("Reden van afzien"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == MeasureStatus.DECLINED and not data.get("decline_reason"):
            self.add_error(
                "decline_reason", _("Geef de reden op waarom van de maatregel is afgezien.")
            )
        if data.get("status") == MeasureStatus.DONE and data.get("actual_cost") is None:
            self.add_error("actual_cost", _("Vul de werkelijke kosten in."))
        return data


class DocumentForm(forms.Form):
    """A scan report, quote or invoice; the file goes through ``weerbaar.uploads``."""

    kind = forms.ChoiceField(
        label=_("Soort document"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies welk soort document u toevoegt.")},
    )
    file = forms.FileField(
        label=_("Bestand (PDF, foto of schermafdruk, hoogstens 10 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp,image/gif"}
        ),
        error_messages={
            "required": _("Kies het bestand dat u wilt toevoegen."),
            "empty": _("Het gekozen bestand is leeg."),
        },
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds

    def clean_file(self):
        upload = self.cleaned_data["file"]
        filename, content_type, data = clean_upload(upload)
        return {"filename": filename, "content_type": content_type, "data": data}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Typ eerst uw bericht.")},
        help_text=_(
            "Te lezen voor de aanvrager, de intakemedewerkers van BZK en de adviseur van het CCV."
        ),
    )


FORM_ERROR = _("Niet alles is goed ingevuld. Bekijk de meldingen bij de velden.")
STEP_DONE = _("Opgeslagen.")
