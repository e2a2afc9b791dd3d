from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .constants import EventType
from .models import Subscription

__all__ = ["NewSubscriptionSerializer", "SubscriptionSerializer"]


class SubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False
    )
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Subscription
        fields = ["id", "url", "events", "createdAt"]
        read_only_fields = ["id"]


class NewSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_("Het geheim waarmee de berichten zijn ondertekend (whsec_…); alleen nu."),
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
