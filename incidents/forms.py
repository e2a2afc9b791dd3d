"""Forms of the incidents app. Labels and errors in plain Dutch; the filing form saves a
draft with whatever is filled in and asks for the required answers only when sending."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import REPORTER_ROLES, Position, Role
from weerbaar.models import Membership

from .attachments import clean_uploads
from .constants import (
    AangifteFiler,
    AangifteStatus,
    About,
    AftercareKind,
    Category,
    Channel,
    HelpWanted,
    Perpetrator,
    PerpetratorActionKind,
    Place,
    Severity,
    Step,
)
from .services import can_file_on_behalf

MAX_TEXT = 10_000
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def reporter_memberships(user):
    """The memberships ``user`` may file in: their own as reporter, and those of raads- and
    Statenleden they may file for (griffier, burgemeester of the same organisation)."""
    own = [m for m in user.active_memberships if m.role in REPORTER_ROLES]
    org_ids = {
        m.organisation_id
        for m in user.active_memberships
        if m.role == Role.GRIFFIER or m.position == Position.BURGEMEESTER
    }
    others = (
        Membership.objects.active()
        .filter(
            organisation_id__in=org_ids,
            role=Role.OFFICE_HOLDER,
            position__in=[Position.RAADSLID, Position.STATENLID],
        )
        .exclude(user=user)
        .select_related("user", "organisation")
        .order_by("user__full_name")
    )
    return own + [m for m in others if can_file_on_behalf(user, m)]


class MeldingForm(forms.Form):
    reporter_membership = forms.TypedChoiceField(
        label=_("Voor wie is deze melding?"),
        coerce=int,
        help_text=_("U kunt een melding doen voor uzelf of namens een raads- of Statenlid."),
    )
    about = forms.ChoiceField(
        label=_("Over wie gaat deze melding?"),
        choices=About.choices,
        initial=About.SELF,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Is uw partner, kind, ouder of een huisgenoot iets aangedaan vanwege uw ambt? "
            "Meld het dan hier. De melding gaat naar dezelfde plek als uw eigen melding."
        ),
    )
    occurred_at = forms.DateTimeField(
        label=_("Wanneer gebeurde het?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
        help_text=_("Weet u het niet precies? Vul dan ongeveer in."),
    )
    place = forms.ChoiceField(
        label=_("Waar gebeurde het?"), choices=Place.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=_("Hoe gebeurde het?"), choices=Channel.choices, widget=forms.RadioSelect
    )
    categories = forms.MultipleChoiceField(
        label=_("Wat voor voorval was het?"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies alles wat van toepassing is."),
    )
    description = forms.CharField(
        label=_("Wat is er gebeurd?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Beschrijf in uw eigen woorden wat er gebeurde. Woorden die zijn gebruikt "
            "mag u letterlijk opschrijven."
        ),
    )
    perpetrator = forms.ChoiceField(
        label=_("Is de pleger bekend?"),
        choices=Perpetrator.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    perpetrator_details = forms.CharField(
        label=_("Wat weet u van de pleger?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld naam, account of relatie tot u (inwoner, collega, onbekende)."),
    )
    family_involved = forms.BooleanField(
        label=_("Mijn gezin of familie is erbij betrokken"), required=False
    )
    witnesses = forms.CharField(
        label=_("Waren er getuigen?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attachments = MultipleFileField(
        label=_("Bijlagen (schermafdrukken, foto's of PDF)"),
        required=False,
        help_text=_(
            "Maximaal 5 bestanden van elk hoogstens 10 MB. Foto's worden opgeslagen "
            "zonder locatiegegevens."
        ),
    )
    help_wanted = forms.MultipleChoiceField(
        label=_("Welke hulp wilt u?"),
        choices=HelpWanted.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Set when the empty form is shown; the same form sent twice files one melding.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    confidential = forms.BooleanField(
        label=_("Vertrouwelijk: alleen een vertrouwenspersoon van het OTWB ziet deze melding"),
        required=False,
        help_text=_("Uw eigen organisatie krijgt de melding dan niet te zien."),
    )

    DRAFT_OPTIONAL = ("occurred_at", "place", "channel", "categories", "description")

    def __init__(self, *args, user, for_draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {m.pk: m for m in reporter_memberships(user)}
        field = self.fields["reporter_membership"]
        field.choices = [
            (
                m.pk,
                _("Mijzelf (%(label)s)") % {"label": m}
                if m.user_id == user.pk
                else f"{m.user}, {m}",
            )
            for m in self.memberships.values()
        ]
        only = next(iter(self.memberships.values())) if len(self.memberships) == 1 else None
        if only is not None and only.user_id == user.pk:
            field.widget = forms.HiddenInput()
            field.initial = next(iter(self.memberships))
            field.required = False
        if for_draft:
            for name in self.DRAFT_OPTIONAL:
                self.fields[name].required = False

    def clean_reporter_membership(self):
        value = self.cleaned_data.get("reporter_membership")
        if value in (None, "") and self.fields["reporter_membership"].widget.is_hidden:
            return next(iter(self.memberships))
        return value

    def clean_about(self):
        # Not asked is about the office holder themselves (a form sent before the question).
        return self.cleaned_data.get("about") or About.SELF

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("Dit moment ligt in de toekomst. Wanneer gebeurde het?"))
        return value

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("U kunt hoogstens 5 bestanden tegelijk toevoegen."))
        return clean_uploads(files)

    def membership(self):
        return self.memberships[self.cleaned_data["reporter_membership"]]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    prefix = "notitie"
    body = forms.CharField(
        label=_("Interne notitie"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen zichtbaar voor behandelaars, niet voor de melder."),
    )


class AssignForm(forms.Form):
    """``people``: who may be picked (the case's recipients); the choice is checked against
    them, so the same list serves the page and the submission."""

    assignee = forms.TypedChoiceField(
        label=_("Behandelaar"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.fields["assignee"].choices = [("", "—")] + [
            (p.pk, p.get_full_name()) for p in sorted(people, key=lambda p: p.get_full_name())
        ]

    def person(self):
        """The chosen person, or None for nobody."""
        return self.people.get(self.cleaned_data["assignee"])


class BeoordelingForm(AssignForm):
    """The case page's "Beoordeling": severity and assignee in one submission. A field left
    out of the submission keeps the case's current value (``data_with_current``), so a post
    of one of them (the earlier separate forms) changes only that one."""

    # Empty: not decided yet (an assignment alone leaves it so).
    severity = forms.ChoiceField(label=_("Ernst"), choices=Severity.choices, required=False)
    field_order = ["severity", "assignee"]


class CloseForm(forms.Form):
    """Closing a case: why, for the record (stored as an internal note)."""

    reason = forms.CharField(
        label=_("Reden van afsluiten"),
        help_text=_("Bijvoorbeeld: afgehandeld met de melder, nazorg afgerond."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Vul de reden van afsluiten in.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Vul de reden van afsluiten in."))
        return reason


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=Step.choices)
    done = forms.BooleanField(required=False)


class AftercareForm(forms.Form):
    prefix = "nazorg"
    kind = forms.ChoiceField(label=_("Soort nazorg"), choices=AftercareKind.choices)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PerpetratorActionForm(forms.Form):
    prefix = "pleger"
    kind = forms.ChoiceField(label=_("Maatregel"), choices=PerpetratorActionKind.choices)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.CharField(
        label=_("Resultaat"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AangifteForm(forms.Form):
    prefix = "aangifte"
    advised = forms.BooleanField(label=_("Aangifte geadviseerd"), required=False)
    filer = forms.ChoiceField(label=_("Aangifte door"), choices=AangifteFiler.choices)
    filed_on = forms.DateField(
        label=_("Datum aangifte"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    police_unit = forms.CharField(label=_("Politie-eenheid"), max_length=120, required=False)
    registration_number = forms.CharField(
        label=_("Registratienummer"), max_length=60, required=False
    )
    vpt_mentioned = forms.BooleanField(label=_("VPT/ELA-status vermeld"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=AangifteStatus.choices)
    police_confirmed_on = forms.DateField(
        label=_("Door de politie bevestigd op"),
        help_text=_(
            "Vul in wanneer de politie de aangifte heeft bevestigd. Tot dan krijgt de "
            "behandelaar een herinnering."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ShareForm(forms.Form):
    """Only the address's form is checked here. Whether it belongs to an account is not
    for the triager to learn (``followup.share_by_email`` answers the same either way)."""

    email = forms.EmailField(
        label=_("E-mailadres van de persoon"),
        help_text=_("Alleen iemand met een account in dit portaal kan de melding dan zien."),
    )
