"""Forms for the trainer pool: the trainer and their weekly pattern and exceptions."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Role
from weerbaar.models import Membership, User

from .forms import DateInput, TimeInput
from .models import AvailabilityException, Trainer, WeeklyAvailability


class TrainerForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = ["name", "email", "kind", "origin", "user", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            pk__in=Membership.objects.active().filter(role=Role.VERTROUWENSPERSOON).values("user")
        ).order_by("full_name")
        self.fields["user"].help_text = _(
            "Het account waarmee deze vertrouwenspersoon inlogt; experts hebben er vaak geen."
        )


WeeklyFormSet = inlineformset_factory(
    Trainer,
    WeeklyAvailability,
    fields=["weekday", "start_time", "end_time"],
    widgets={"start_time": TimeInput, "end_time": TimeInput},
    extra=1,
    can_delete=True,
)

ExceptionFormSet = inlineformset_factory(
    Trainer,
    AvailabilityException,
    fields=["date", "available", "start_time", "end_time"],
    widgets={"date": DateInput, "start_time": TimeInput, "end_time": TimeInput},
    extra=1,
    can_delete=True,
)
