"""Forms of the tour. They only collect input; the services decide what is allowed."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import OrganisationKind
from weerbaar.models import Organisation

from . import conf
from .constants import InvitationChannel, SessionKind, SessionStatus, Theme, TrajectStatus
from .models import Evaluation, Tour, Trainer
from .services.registrations import DRIEHOEK_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        return value


class TrajectTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"))
    channel = forms.ChoiceField(
        label=_("Uitnodiging verstuurd per"),
        choices=[("", "—"), *InvitationChannel.choices],
        required=False,
        help_text=_("Alleen bij ‘Uitgenodigd’."),
    )
    reason = forms.CharField(
        label=_("Reden"), max_length=500, required=False, help_text=_("Verplicht bij ‘Afgezien’.")
    )
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, TrajectStatus(s).label) for s in steps]


class ContactForm(forms.Form):
    note = forms.CharField(label=_("Gesprek of contact"), max_length=500)


class VoorgesprekPlanForm(forms.Form):
    planned_at = forms.DateTimeField(label=_("Datum en tijd"), widget=DateTimeInput)


class VoorgesprekRecordForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Gehouden op"), widget=DateTimeInput)
    themes = forms.MultipleChoiceField(
        label=_("Behoeften (thema's)"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(label=_("Aantekeningen"), widget=forms.Textarea, required=False)


class AgreementForm(forms.Form):
    description = forms.CharField(label=_("Afspraak"), max_length=300)
    owner = forms.CharField(label=_("Eigenaar"), max_length=200)
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DateInput)


class SessionForm(forms.Form):
    tour = forms.ModelChoiceField(label=_("Ronde"), queryset=Tour.objects.all())
    kind = forms.ChoiceField(label=_("Soort sessie"), choices=SessionKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    date = forms.DateField(label=_("Datum"), widget=DateInput)
    start_time = forms.TimeField(label=_("Begintijd"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Eindtijd"), widget=TimeInput)
    place = forms.CharField(label=_("Plaats"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisaties"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.GEMEENTE, OrganisationKind.PROVINCIE], is_active=True
        ).order_by("kind", "name"),
        required=False,
        help_text=_(
            "Bij een raads- of Statenbrede sessie de organisatie; bij een regionale "
            "sessie vullen de aanmeldingen de zaal."
        ),
    )
    capacity = forms.IntegerField(
        label=_("Aantal driehoeken"),
        min_value=1,
        max_value=30,
        initial=conf.driehoek_capacity,
        help_text=_("Alleen voor een regionale driehoeksessie."),
    )
    min_vertrouwenspersonen = forms.IntegerField(
        label=_("Minimum aantal vertrouwenspersonen"),
        min_value=0,
        max_value=5,
        initial=conf.min_vertrouwenspersonen,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        tz = timezone.get_current_timezone()
        data["starts_at"] = dt.datetime.combine(data["date"], data["start_time"], tzinfo=tz)
        data["ends_at"] = dt.datetime.combine(data["date"], data["end_time"], tzinfo=tz)
        if data["ends_at"] <= data["starts_at"]:
            self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        if not (data.get("place") or data.get("online_url")):
            self.add_error("place", _("Geef een plaats of een online link op."))
        return data


class RescheduleForm(forms.Form):
    date = forms.DateField(label=_("Nieuwe datum"), widget=DateInput)
    start_time = forms.TimeField(label=_("Begintijd"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Eindtijd"), widget=TimeInput)

    def clean(self):
        data = super().clean()
        if not self.errors:
            tz = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(data["date"], data["start_time"], tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(data["date"], data["end_time"], tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        return data


class SessionStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"), choices=SessionStatus.choices)


class AssignForm(forms.Form):
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=Trainer.objects.active())


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Gemeente"), queryset=Organisation.objects.none())
    burgemeester_name = forms.CharField(label=_("Naam burgemeester"), max_length=200)
    burgemeester_email = forms.EmailField(label=_("E-mailadres burgemeester"))
    griffier_name = forms.CharField(label=_("Naam griffier"), max_length=200)
    griffier_email = forms.EmailField(label=_("E-mailadres griffier"))
    secretaris_name = forms.CharField(label=_("Naam gemeentesecretaris"), max_length=200)
    secretaris_email = forms.EmailField(label=_("E-mailadres gemeentesecretaris"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def people(self):
        return {f: self.cleaned_data[f] for f in DRIEHOEK_FIELDS}


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["overall", "usefulness", "trainers", "comment"]
        widgets = {
            "overall": forms.RadioSelect,
            "usefulness": forms.RadioSelect,
            "trainers": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
