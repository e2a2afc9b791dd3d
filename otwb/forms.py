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


class DatalistInput(forms.TextInput):
    """A text input with the browser's own suggestion list (``<datalist>``): searchable as
    one types, keyboard- and screen-reader-usable, and it needs no JavaScript."""

    template_name = "otwb/widgets/datalist.html"

    def __init__(self, attrs=None, options=()):
        super().__init__(attrs)
        self.options = list(options)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-lijst"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["attrs"]["autocomplete"] = "off"
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = self.options
        return context


def tour_organisations():
    return Organisation.objects.filter(
        kind__in=[OrganisationKind.GEMEENTE, OrganisationKind.PROVINCIE], is_active=True
    ).order_by("kind", "name")


class SessionKindForm(forms.Form):
    """The first step of planning a session: its kind decides the rest of the form."""

    soort = forms.ChoiceField(
        label=_("Welke soort sessie plant u?"),
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de soort sessie.")},
    )


class SessionForm(forms.Form):
    """A session of one ``kind``. A raadsbrede session or follow-up training is for an
    organisation, picked from the trajecten waiting for a session or typed (with
    suggestions); a regional driehoek session has a capacity and is filled by registrations."""

    # The newest tour first and chosen: no empty "---------" choice.
    tour = forms.ModelChoiceField(label=_("Ronde"), queryset=Tour.objects.all(), empty_label=None)
    kind = forms.ChoiceField(choices=SessionKind.choices, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Titel"), max_length=200)
    date = forms.DateField(label=_("Datum"), widget=DateInput)
    start_time = forms.TimeField(label=_("Begintijd"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Eindtijd"), widget=TimeInput)
    place = forms.CharField(label=_("Plaats"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    organisations = forms.ModelMultipleChoiceField(
        label=_("Trajecten die wachten op een sessie"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Organisaties waarmee het voorgesprek is gehouden."),
    )
    organisation = forms.CharField(
        label=_("Andere gemeente of provincie"),
        max_length=200,
        required=False,
        help_text=_(
            "Typ een deel van de naam en kies uit de lijst, bijvoorbeeld ‘Gemeente Utrecht’."
        ),
    )
    capacity = forms.IntegerField(
        label=_("Aantal driehoeken"),
        min_value=1,
        max_value=30,
        initial=conf.driehoek_capacity,
        help_text=_("Zoveel gemeenten kunnen met hun driehoek deelnemen."),
    )
    min_vertrouwenspersonen = forms.IntegerField(
        label=_("Minimum aantal vertrouwenspersonen"),
        min_value=0,
        max_value=5,
        initial=conf.min_vertrouwenspersonen,
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["kind"].initial = kind
        if kind == SessionKind.DRIEHOEK:
            del self.fields["organisations"], self.fields["organisation"]
            return
        del self.fields["capacity"]
        self.candidates = list(tour_organisations())
        self.fields["organisations"].queryset = (
            Organisation.objects.filter(otwb_trajecten__status=TrajectStatus.VOORGESPREK_HELD)
            .distinct()
            .order_by("kind", "name")
        )
        self.fields["organisation"].widget = DatalistInput(
            options=[str(o) for o in self.candidates]
        )
        if not self.fields["organisations"].queryset.exists():
            del self.fields["organisations"]

    def _typed_organisation(self, text):
        """The organisation the typed text names: its full label ("Gemeente Utrecht"), its
        code, or its name when only one organisation has it."""
        text = " ".join(text.split()).lower()
        by_label = {str(o).lower(): o for o in self.candidates}
        by_code = {o.code.lower(): o for o in self.candidates}
        by_name = [o for o in self.candidates if o.name.lower() == text]
        found = by_label.get(text) or by_code.get(text)
        return found or (by_name[0] if len(by_name) == 1 else None)

    def clean(self):
        data = super().clean()
        if data.get("kind") != self.kind:
            raise forms.ValidationError(_("Kies de soort sessie opnieuw."))
        if self.kind != SessionKind.DRIEHOEK:
            chosen = list(data.get("organisations") or [])
            typed = (data.get("organisation") or "").strip()
            if typed:
                found = self._typed_organisation(typed)
                if found is None:
                    self.add_error(
                        "organisation",
                        _(
                            "Geen gemeente of provincie gevonden met de naam ‘%(name)s’. "
                            "Kies uit de lijst."
                        )
                        % {"name": typed},
                    )
                elif found not in chosen:
                    chosen.append(found)
            elif not chosen:
                self.add_error(
                    "organisation",
                    _("Kies voor welke gemeente of provincie de sessie is."),
                )
            data["organisations"] = chosen
        else:
            data["organisations"] = []
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
    """The next step by its button. Cancelling is not one of them: it has its own
    confirmation page (``SessionCancelForm``)."""

    to = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[c for c in SessionStatus.choices if c[0] != SessionStatus.CANCELLED],
    )


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van annuleren"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Komt in het logboek. Deelnemers krijgen alleen bericht dat de sessie niet doorgaat."
        ),
        error_messages={"required": _("Geef een reden op voor het annuleren.")},
    )


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
