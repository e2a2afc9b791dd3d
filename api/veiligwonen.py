"""Veilig Wonen for BZK's own systems: applications with their place in the intake queue,
the state of their intake deadline and their costs, and the advised measures. Only a
client of BZK acting as an intake officer holds ``veiligwonen:lezen`` (``ROLE_SCOPES``);
it reads through ``Application.objects.visible_to`` as a person of that role does. The
names around an application only with ``veiligwonen:persoonsgegevens``; the home address,
household, phone and every note never: the field-level rule gives them to the assigned
intake officer, and a system is never assigned (``can_see_private_details``)."""

import django_filters
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from veiligwonen.constants import (
    WAITING_FOR_INTAKE,
    Domain,
    MeasureCategory,
    MeasureStatus,
    ResponsibleParty,
    Status,
    UrgencyClass,
)
from veiligwonen.models import Application, Measure
from veiligwonen.models.application import PRIVATE_FIELDS
from weerbaar.constants import NationalBody, Position

from .common import (
    ERRORS,
    AuditedDetail,
    AuditedList,
    audit_views,
    client_of,
    has_scope,
)
from .constants import Scope

__all__ = ["ApplicationDetail", "ApplicationList", "MeasureList"]

MONEY = DecimalField(max_digits=12, decimal_places=2)


class SlaState:
    ON_TRACK, WARNING, OVERDUE, MET, LATE, NONE = (
        "on_track",
        "warning",
        "overdue",
        "met",
        "late",
        "none",
    )
    CHOICES = [
        (ON_TRACK, "Binnen de termijn"),
        (WARNING, "Termijn bijna verstreken"),
        (OVERDUE, "Termijn overschreden, intake nog niet gehouden"),
        (MET, "Intake binnen de termijn gehouden"),
        (LATE, "Intake na de termijn gehouden"),
        (NONE, "Geen termijn (niet in de wachtrij)"),
    ]


def sla_state(app, now):
    if app.intake_held_at is not None:
        if app.sla_due_at is None:
            return SlaState.NONE
        return SlaState.MET if app.intake_held_at <= app.sla_due_at else SlaState.LATE
    if app.status not in WAITING_FOR_INTAKE or app.sla_due_at is None:
        return SlaState.NONE
    if app.sla_due_at < now:
        return SlaState.OVERDUE
    if app.sla_warn_at is not None and app.sla_warn_at <= now:
        return SlaState.WARNING
    return SlaState.ON_TRACK


def _queue_position():
    """1 + the number of waiting applications the queue serves first (by stored score, then
    waiting time, as the queue page sorts); ``null`` when not waiting. One correlated count
    over the queue's partial index."""
    ahead = Application.objects.filter(status__in=WAITING_FOR_INTAKE).filter(
        Q(score__gt=OuterRef("score"))
        | Q(score=OuterRef("score"), submitted_at__lt=OuterRef("submitted_at"))
        | Q(score=OuterRef("score"), submitted_at=OuterRef("submitted_at"), pk__lt=OuterRef("pk"))
    )
    counted = ahead.order_by().values(one=Value(1)).annotate(n=Count("*")).values("n")
    return Case(
        When(
            status__in=sorted(WAITING_FOR_INTAKE),
            then=Coalesce(Subquery(counted, output_field=IntegerField()), 0) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def _cost(field, **only):
    measures = (
        Measure.objects.filter(advice__application=OuterRef("pk"), **only)
        .order_by()
        .values("advice__application")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Subquery(measures, output_field=MONEY)


def scoped_applications(request):
    """The client's applications: nothing unless it is BZK's (the scope's owner)."""
    client = client_of(request)
    if client is None or client.organisation.code != NationalBody.BZK:
        return Application.objects.none()
    return (
        Application.objects.visible_to(request.user)
        .defer(*PRIVATE_FIELDS)
        .select_related("organisation")
        .annotate(
            queue_position=_queue_position(),
            estimated_cost=_cost("estimated_cost"),
            actual_cost=_cost("actual_cost", status=MeasureStatus.DONE),
            measure_count=Coalesce(
                Subquery(
                    Measure.objects.filter(advice__application=OuterRef("pk"))
                    .order_by()
                    .values("advice__application")
                    .annotate(n=Count("*"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
    )


class ApplicationFilter(django_filters.FilterSet):
    """The queue's filters: state, urgency class, position, overdue, period."""

    status = django_filters.ChoiceFilter(choices=Status.choices)
    urgency = django_filters.ChoiceFilter(field_name="urgency_class", choices=UrgencyClass.choices)
    waiting = django_filters.BooleanFilter(method="filter_waiting", label="Wacht op intake")
    position = django_filters.ChoiceFilter(choices=Position.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Termijn overschreden")
    submitted_from = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_until = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = Application
        fields = []

    def filter_waiting(self, queryset, name, value):
        waiting = Q(status__in=sorted(WAITING_FOR_INTAKE))
        return queryset.filter(waiting if value else ~waiting)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(
            intake_held_at__isnull=True,
            status__in=sorted(WAITING_FOR_INTAKE),
            sla_due_at__lt=timezone.now(),
        )
        return queryset.filter(overdue if value else ~overdue)


class ApplicationCursor(CursorPagination):
    """Newest first by submission: stable while scores change (the queue's order is in
    ``queuePosition``)."""

    ordering = ("-submitted_at", "-id")
    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100


class PersonalSerializer(serializers.Serializer):
    applicantName = serializers.CharField(source="applicant.get_full_name")
    filedOnBehalfBy = serializers.SerializerMethodField()
    intakeOfficerName = serializers.SerializerMethodField()
    adviserName = serializers.SerializerMethodField()

    def get_filedOnBehalfBy(self, app) -> str | None:
        if app.filed_by_id == app.applicant_id:
            return None
        return app.filed_by.get_full_name()

    def get_intakeOfficerName(self, app) -> str | None:
        return app.intake_officer.get_full_name() if app.intake_officer_id else None

    def get_adviserName(self, app) -> str | None:
        return app.adviser.get_full_name() if app.adviser_id else None


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    urgency = serializers.ChoiceField(source="urgency_class", choices=UrgencyClass.choices)
    position = serializers.ChoiceField(choices=Position.choices)
    organisation = serializers.CharField(source="organisation.code")
    indicators = serializers.SerializerMethodField()
    linkedMeldingen = serializers.SerializerMethodField()
    score = serializers.IntegerField(help_text="De opgeslagen prioriteitsscore.")
    queuePosition = serializers.IntegerField(
        source="queue_position",
        allow_null=True,
        help_text="Plaats in de intakewachtrij (1 = eerstvolgende); null als de aanvraag "
        "niet (meer) op de intake wacht.",
    )
    submittedAt = serializers.DateTimeField(source="submitted_at")
    intakeDueAt = serializers.DateTimeField(source="sla_due_at", allow_null=True)
    slaState = serializers.SerializerMethodField()
    intakePlannedFor = serializers.DateTimeField(source="intake_planned_for", allow_null=True)
    intakeHeldAt = serializers.DateTimeField(source="intake_held_at", allow_null=True)
    scanPlannedFor = serializers.DateTimeField(source="scan_planned_for", allow_null=True)
    scanDoneAt = serializers.DateTimeField(source="scan_done_at", allow_null=True)
    adviceIssuedAt = serializers.DateTimeField(source="advice_issued_at", allow_null=True)
    closedAt = serializers.DateTimeField(source="closed_at", allow_null=True)
    measureCount = serializers.IntegerField(source="measure_count")
    estimatedCost = serializers.DecimalField(
        source="estimated_cost", max_digits=12, decimal_places=2, allow_null=True
    )
    actualCost = serializers.DecimalField(
        source="actual_cost",
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="Werkelijke kosten van de uitgevoerde maatregelen.",
    )
    personal = serializers.SerializerMethodField(
        help_text="Alleen met veiligwonen:persoonsgegevens; anders null."
    )

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(
                choices=["recent_threats", "public_exposure", "incidents_at_home", "planned_move"]
            )
        )
    )
    def get_indicators(self, app):
        names = ("recent_threats", "public_exposure", "incidents_at_home", "planned_move")
        return [name for name in names if getattr(app, name)]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_linkedMeldingen(self, app):
        return list(app.linked_meldingen or [])

    @extend_schema_field(serializers.ChoiceField(choices=SlaState.CHOICES))
    def get_slaState(self, app):
        return sla_state(app, self.context["now"])

    @extend_schema_field(PersonalSerializer(allow_null=True))
    def get_personal(self, app):
        if not self.context.get("with_personal"):
            return None
        return PersonalSerializer(app).data


def _organisation(app):
    return app.organisation_id


class _ApplicationView:
    serializer_class = ApplicationSerializer
    required_scopes = {"GET": [Scope.VEILIGWONEN_LEZEN]}

    def _with_personal(self):
        return has_scope(self.request, Scope.VEILIGWONEN_PERSOONSGEGEVENS)

    def get_queryset(self):
        queryset = scoped_applications(self.request)
        if self._with_personal():
            queryset = queryset.select_related("applicant", "filed_by", "intake_officer", "adviser")
        return queryset

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "now": timezone.now(),
            "with_personal": self._with_personal(),
        }


class ApplicationList(AuditedList, _ApplicationView, generics.ListAPIView):
    """Every application BZK's intake sees, newest first, with its place in the queue."""

    audit_organisation = staticmethod(_organisation)

    pagination_class = ApplicationCursor
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ApplicationFilter

    @extend_schema(
        operation_id="veiligwonen_aanvragen_list",
        responses={200: ApplicationSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicationDetail(AuditedDetail, _ApplicationView, generics.RetrieveAPIView):
    audit_organisation = staticmethod(_organisation)

    @extend_schema(
        operation_id="veiligwonen_aanvragen_retrieve",
        responses={200: ApplicationSerializer, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeasureFilter(django_filters.FilterSet):
    """The cost page's questions: state, domain, who pays, the year carried out, and one
    application's measures."""

    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices)
    domain = django_filters.ChoiceFilter(choices=Domain.choices)
    responsible = django_filters.ChoiceFilter(
        field_name="responsible_party", choices=ResponsibleParty.choices
    )
    year = django_filters.NumberFilter(field_name="completed_on", lookup_expr="year")
    application = django_filters.NumberFilter(field_name="advice__application_id")

    class Meta:
        model = Measure
        fields = []


class MeasureCursor(CursorPagination):
    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "pageSize"
    max_page_size = 200


class MeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    organisation = serializers.CharField(source="organisation_code")
    measureType = serializers.CharField(source="measure_type.code")
    name = serializers.CharField(source="measure_type.name")
    domain = serializers.ChoiceField(choices=Domain.choices)
    category = serializers.ChoiceField(choices=MeasureCategory.choices)
    responsibleParty = serializers.ChoiceField(
        source="responsible_party", choices=ResponsibleParty.choices
    )
    priority = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MeasureStatus.choices)
    estimatedCost = serializers.DecimalField(
        source="estimated_cost", max_digits=9, decimal_places=2
    )
    actualCost = serializers.DecimalField(
        source="actual_cost", max_digits=9, decimal_places=2, allow_null=True
    )
    completedOn = serializers.DateField(source="completed_on", allow_null=True)


class MeasureList(generics.ListAPIView):
    """The measures of the applications the client sees; the adviser's notes (about the
    home) and the reason for declining never. Reading them is audited as a view of their
    application."""

    serializer_class = MeasureSerializer
    pagination_class = MeasureCursor
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = MeasureFilter
    required_scopes = {"GET": [Scope.VEILIGWONEN_LEZEN]}

    def get_queryset(self):
        applications = scoped_applications(self.request)
        return (
            Measure.objects.filter(advice__application__in=applications.values("pk"))
            .select_related("measure_type")
            .defer("notes", "measure_type__description")
            .annotate(
                application_id=F("advice__application_id"),
                organisation_id=F("advice__application__organisation_id"),
                organisation_code=F("advice__application__organisation__code"),
            )
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            seen = {}
            for measure in page:
                seen.setdefault(
                    measure.application_id,
                    Application(pk=measure.application_id, organisation_id=measure.organisation_id),
                )
            audit_views(
                self.request, seen.values(), organisation_id=_organisation, part="maatregelen"
            )
        return page

    @extend_schema(
        operation_id="veiligwonen_maatregelen_list",
        responses={200: MeasureSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
