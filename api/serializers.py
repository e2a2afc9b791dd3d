"""What the API shows of a melding. The registration fields for ``meldingen:lezen``; the
free text and the reporter's name only in ``MeldingContentSerializer``, for a client with
``meldingen:inhoud`` too. Field names are camelCase, as the API Design Rules ask."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.constants import (
    AangifteFiler,
    AangifteStatus,
    Category,
    Channel,
    Perpetrator,
    Place,
    Route,
    Severity,
    Status,
)
from incidents.models import Aangifte, Melding

__all__ = [
    "AangifteSerializer",
    "AangifteWriteSerializer",
    "MeldingDetailSerializer",
    "MeldingSerializer",
]


class AangifteSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=AangifteStatus.choices)
    filer = serializers.ChoiceField(choices=AangifteFiler.choices)
    filedOn = serializers.DateField(source="filed_on", allow_null=True)
    statusChangedAt = serializers.DateTimeField(source="status_changed_at")
    vptMentioned = serializers.BooleanField(source="vpt_mentioned")
    advised = serializers.BooleanField()
    policeConfirmedOn = serializers.DateField(source="police_confirmed_on", allow_null=True)

    class Meta:
        model = Aangifte
        fields = [
            "status",
            "filer",
            "filedOn",
            "statusChangedAt",
            "vptMentioned",
            "advised",
            "policeConfirmedOn",
        ]


class AangifteWriteSerializer(serializers.Serializer):
    """What a police-contact system may change; the registration number and police unit
    are encrypted at rest and taken but never shown back without the content scope."""

    status = serializers.ChoiceField(choices=AangifteStatus.choices)
    filedOn = serializers.DateField(source="filed_on", required=False, allow_null=True)
    policeUnit = serializers.CharField(source="police_unit", required=False, max_length=200)
    registrationNumber = serializers.CharField(
        source="registration_number", required=False, max_length=100
    )
    # The police's confirmation of the aangifte: ends the triager's reminders.
    policeConfirmedOn = serializers.DateField(
        source="police_confirmed_on", required=False, allow_null=True
    )


class MeldingSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices)
    severity = serializers.ChoiceField(
        source="effective_severity",
        choices=Severity.choices,
        help_text="Door de behandelaar gezet, anders het voorstel uit de categorieën.",
    )
    severitySetByTriager = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    place = serializers.ChoiceField(choices=Place.choices, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, allow_blank=True)
    perpetrator = serializers.ChoiceField(choices=Perpetrator.choices, allow_blank=True)
    familyInvolved = serializers.BooleanField(source="family_involved")
    route = serializers.ChoiceField(choices=Route.choices)
    reporterRole = serializers.CharField(source="reporter_role")
    reporterPosition = serializers.CharField(source="reporter_position")
    organisation = serializers.CharField(source="organisation.code")
    occurredAt = serializers.DateTimeField(source="occurred_at", allow_null=True)
    submittedAt = serializers.DateTimeField(source="submitted_at", allow_null=True)
    acknowledgedAt = serializers.DateTimeField(source="acknowledged_at", allow_null=True)
    acknowledgeBefore = serializers.DateTimeField(source="ack_deadline", allow_null=True)
    escalationLevel = serializers.IntegerField(source="escalation_level")
    closedAt = serializers.DateTimeField(source="closed_at", allow_null=True)
    aangifte = serializers.SerializerMethodField()

    class Meta:
        model = Melding
        fields = [
            "id",
            "reference",
            "status",
            "severity",
            "severitySetByTriager",
            "categories",
            "place",
            "channel",
            "perpetrator",
            "familyInvolved",
            "route",
            "reporterRole",
            "reporterPosition",
            "organisation",
            "occurredAt",
            "submittedAt",
            "acknowledgedAt",
            "acknowledgeBefore",
            "escalationLevel",
            "closedAt",
            "aangifte",
        ]

    def get_severitySetByTriager(self, melding) -> bool:
        return bool(melding.severity)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    )
    def get_categories(self, melding):
        # The melding's own copy of its category rows: no query per melding.
        return [c for c in melding.category_codes.split(",") if c]

    @extend_schema_field(AangifteSerializer(allow_null=True))
    def get_aangifte(self, melding):
        try:
            aangifte = melding.aangifte
        except Aangifte.DoesNotExist:
            return None
        return AangifteSerializer(aangifte).data


class MeldingContentSerializer(serializers.Serializer):
    description = serializers.CharField()
    perpetratorDetails = serializers.CharField(source="perpetrator_details")
    witnesses = serializers.CharField()
    reporterName = serializers.SerializerMethodField()

    def get_reporterName(self, melding) -> str:
        return melding.reporter.get_full_name() if melding.reporter_id else ""


class MeldingDetailSerializer(MeldingSerializer):
    content = serializers.SerializerMethodField(
        help_text="Alleen met het recht meldingen:inhoud; anders null."
    )

    class Meta(MeldingSerializer.Meta):
        fields = [*MeldingSerializer.Meta.fields, "content"]

    @extend_schema_field(MeldingContentSerializer(allow_null=True))
    def get_content(self, melding):
        if not self.context.get("with_content"):
            return None
        return MeldingContentSerializer(melding).data
